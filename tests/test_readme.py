"""The README is checked against the code: every CLI command and every layout is documented."""
from __future__ import annotations

from pathlib import Path

from extract import layouts
from kg.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme_with_an_example() -> None:
    for name in cli.commands:
        assert f"`perfkg {name}" in README, f"command {name} missing from the README's command table"
        assert f"\nperfkg {name}" in README, f"command {name} has no example in the README"


def test_every_layout_is_in_the_readme() -> None:
    for module in layouts.all_layouts():
        assert f"`{module.NAME}`" in README, f"layout {module.NAME} missing from the README"


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1200]
    assert "make demo" in head and "make test" in head
