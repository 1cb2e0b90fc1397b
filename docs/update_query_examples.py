"""Rewrite the example output of every named query in the README from the current seed graph.

Run after the extractor or a query changes (``.venv/bin/python docs/update_query_examples.py``);
``tests/test_readme.py`` fails while an example is not a real result. Each example keeps its
command and as many rows as it showed.
"""
from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfkg.kg.cli import cli  # noqa: E402

BLOCK = re.compile(r"```text\n(\$ perfkg (?:query|compare) [^\n]*)\n(.*?)```", re.S)


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "graph.ttl"
        result = runner.invoke(cli, ["build", str(ROOT / "examples" / "documents"), "-o", str(graph)])
        if result.exit_code != 0:
            print(result.output, file=sys.stderr)
            return 1

        def rewrite(m: re.Match) -> str:
            command, body = m.group(1), m.group(2).splitlines()
            shown = [line for line in body[2:] if not line.startswith("…")]
            args = [a if a != "out/graph.ttl" else str(graph) for a in shlex.split(command[2:])[1:]]
            out = runner.invoke(cli, args).output.splitlines()
            out = [line for line in out if line.strip() and not re.fullmatch(r"\(?\d+ rows?\)?\.?", line.strip())]
            head, rows = out[:2], out[2:]
            lines = head + rows[:max(1, len(shown))]
            if len(rows) > len(lines) - 2:
                lines.append(f"… ({len(rows)} rows in all)")
            return "```text\n" + command + "\n" + "\n".join(lines) + "\n```"

        text = BLOCK.sub(rewrite, text)
    readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
