"""The README is checked against the code: every CLI command, container reader and content-model role is documented."""
from __future__ import annotations

from pathlib import Path

from perfkg.kg.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme_with_an_example() -> None:
    for name in cli.commands:
        assert f"`perfkg {name}" in README, f"command {name} missing from the README's command table"
        assert f"\nperfkg {name}" in README, f"command {name} has no example in the README"


def test_every_container_reader_and_content_role_is_in_the_readme() -> None:
    from perfkg.extract.containers import containers
    from perfkg.extract.content_model import ROLES

    for c in containers():
        assert f"`{c.name}`" in README, f"container reader {c.name} missing from the README"
    for role in ROLES:
        assert f"`{role}`" in README, f"content-model role {role} missing from the README"


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1200]
    assert "make demo" in head and "make test" in head


def test_every_named_query_is_in_the_readme_with_real_example_output(seed_dataset) -> None:
    import re
    import shlex

    from perfkg.kg.query_library import list_queries, run_query
    from perfkg.kg.query_output import cell_text

    start, end = README.index("<!-- section:queries -->"), README.index("<!-- /section:queries -->")
    section = README[start:end]
    for query in list_queries():
        assert f"| `{query.name}` | {query.title} |" in section, f"query {query.name} missing from the README's table"
        heading = f"#### `{query.name}` — {query.title}\n"
        assert heading in section, f"query {query.name} has no example in the README"
        block = section[section.index(heading):].split("```text\n", 1)[1].split("```", 1)[0].splitlines()
        command = shlex.split(block[0].lstrip("$ "))
        assert command[:3] == ["perfkg", "query", query.name]
        params = dict(a.split("=", 1) for a, prev in zip(command[1:], command) if prev == "--param")
        result = run_query(query, seed_dataset, params)
        assert block[1].split() == list(result.columns), f"README example of {query.name} has other columns"
        actual = {tuple(cell_text(v) for v in row) for row in result.rows}
        for line in block[3:]:
            if not line.startswith("…"):
                assert tuple(re.split(r" {2,}", line.strip())) in actual or any(
                    tuple(c for c in row if c) == tuple(re.split(r" {2,}", line.strip())) for row in actual), \
                    f"README example row of {query.name} is not a result on the seed graph: {line}"


def test_python_examples_in_the_readme_run(tmp_path, monkeypatch) -> None:
    """Every ```python block of the README's Python API section runs as written (from the repository root)."""
    import os
    import shutil

    root = Path(__file__).resolve().parents[1]
    start, end = README.index("<!-- section:python -->"), README.index("<!-- /section:python -->")
    blocks = [b.split("```", 1)[0] for b in README[start:end].split("```python\n")[1:]]
    assert blocks
    for name in ("examples", "tests"):
        os.symlink(root / name, tmp_path / name)
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert (tmp_path / "out" / "bureau.html").stat().st_size > 1000
    shutil.rmtree(tmp_path / "out")
