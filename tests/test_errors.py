"""One exception base class: every error the library defines derives from perfkg.PerfkgError, and the
command line turns one that no command handled into a single error line (exit 1), not a traceback."""
from __future__ import annotations

import importlib
import inspect

import click
import pytest
from click.testing import CliRunner

import perfkg
from library_modules import library_modules
from perfkg.errors import PerfkgError
from perfkg.extract.reader import ReadError
from perfkg.kg.cli import cli


def _defined_exceptions() -> list[type[BaseException]]:
    found = []
    for name in library_modules():
        module = importlib.import_module(name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == name:
                found.append(obj)
    return found


def test_every_public_error_of_the_library_is_a_perfkg_error() -> None:
    found = _defined_exceptions()
    public = [e for e in found if not e.__name__.startswith("_")]
    # the ones the issue names, so the scan cannot pass by finding nothing
    assert {"ReadError", "RecordFileError", "GraphFileError", "QueryError", "ViewSelectionError",
            "ExtractionError"} <= {e.__name__ for e in public}
    assert [e.__qualname__ for e in public if not issubclass(e, PerfkgError)] == []
    assert perfkg.PerfkgError is PerfkgError


def test_view_selection_error_is_still_a_value_error() -> None:
    from perfkg.kg.view_facts import ViewSelectionError

    assert issubclass(ViewSelectionError, ValueError)  # callers that caught ValueError keep working


@pytest.fixture
def failing_command():
    """A command that raises errors no command handler catches, added to the real group for one test."""
    @click.command("fail-for-test")
    @click.option("--kind", default="perfkg")
    def fail(kind: str) -> None:
        if kind == "perfkg":
            raise ReadError("broken.pdf: the file is truncated\n(xref table missing)")
        raise RuntimeError("a bug")

    cli.add_command(fail)
    yield fail
    del cli.commands["fail-for-test"]


def test_cli_prints_one_line_for_an_unhandled_perfkg_error(failing_command) -> None:
    result = CliRunner().invoke(cli, ["fail-for-test"])
    assert result.exit_code == 1
    assert result.stderr == "error: broken.pdf: the file is truncated (xref table missing)\n"
    assert "Traceback" not in result.output


def test_cli_does_not_hide_other_exceptions(failing_command) -> None:
    result = CliRunner().invoke(cli, ["fail-for-test", "--kind", "bug"])
    assert isinstance(result.exception, RuntimeError)  # a bug stays a traceback, not a tidy error line
