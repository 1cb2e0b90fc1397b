"""Test helper: HTML printed to PDF by headless chromium (Debian's, installed by ``make test``).

``print_pdf`` starts chromium once for one page (``--print-to-pdf``); ``print_pdfs`` prints many pages in one
chromium, driven by Playwright in a child interpreter (this file run as a script, so no Playwright thread is
left in the test process, whose later tests fork workers), with the command line's print settings: Letter,
0.4 in margins, no header or footer. The two give the same pages, words and word positions (pdfplumber's,
checked on the 28 gold documents typeset as HTML)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer"]
STYLE = ("<style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12px}"
         "table{border-collapse:collapse} td,th{border:1px solid #000;padding:2px 4px}</style>")
# chromium --print-to-pdf's defaults (what print_pdf gets), given to page.pdf, whose margins default to none
PRINT_SETTINGS = {"format": "Letter", "margin": {side: "0.4in" for side in ("top", "bottom", "left", "right")}}


def _page(html: str, out: Path) -> Path:
    page = out.with_suffix(".html")
    page.write_text(f"<html><head><meta charset='utf-8'>{STYLE}</head><body>{html}</body></html>", encoding="utf-8")
    return page


def print_pdf(html: str, out: Path) -> Path:
    """``html`` (a body fragment or a page) printed to ``out``."""
    page = _page(html, out)
    profile = out.parent / f".chromium-{out.stem}"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    shutil.rmtree(profile, ignore_errors=True)
    return out


def print_pdfs(pages: list[tuple[str, Path]]) -> list[Path]:
    """Each ``(html, out)`` printed to its ``out``, all in one chromium."""
    jobs = [(_page(html, out).as_uri(), str(out)) for html, out in pages]
    subprocess.run([sys.executable, __file__], input=json.dumps(jobs), text=True, check=True, capture_output=True,
                   timeout=60 + 30 * len(jobs))
    return [out for _, out in pages]


def _print_all(jobs: list[tuple[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS[:-1])
        for uri, out in jobs:
            page = browser.new_page()
            page.goto(uri)
            page.pdf(path=out, **PRINT_SETTINGS)
            page.close()
        browser.close()


if __name__ == "__main__":
    _print_all(json.load(sys.stdin))
