"""Test helper: HTML printed to PDF by headless chromium (Debian's, installed by ``make test``)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer"]
STYLE = ("<style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12px}"
         "table{border-collapse:collapse} td,th{border:1px solid #000;padding:2px 4px}</style>")


def print_pdf(html: str, out: Path) -> Path:
    """``html`` (a body fragment or a page) printed to ``out``."""
    page = out.with_suffix(".html")
    page.write_text(f"<html><head><meta charset='utf-8'>{STYLE}</head><body>{html}</body></html>", encoding="utf-8")
    profile = out.parent / f".chromium-{out.stem}"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    shutil.rmtree(profile, ignore_errors=True)
    return out
