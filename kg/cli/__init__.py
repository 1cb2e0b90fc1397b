"""The ``perfkg`` command line: a thin click group; each command lives in its own module.

Commands only parse options and call library functions. Adding a command is one module
in ``kg/cli/`` exposing ``commands`` (a list of click commands) plus one entry in
``COMMAND_MODULES``.
"""
from __future__ import annotations

import sys

import click

from perfkg.errors import PerfkgError
from perfkg.kg.cli import build_cmd, evaluate_cmd, export_cmd, extract_cmd, query_cmd, store_cmd, synth_cmd, viz_cmd

COMMAND_MODULES = (extract_cmd, evaluate_cmd, build_cmd, store_cmd, viz_cmd, query_cmd, export_cmd, synth_cmd)


class _Group(click.Group):
    """The command group; a PerfkgError a command did not handle itself is one error line and exit 1.

    Commands catch the errors they can say more about (exit 2 for usage); this is the net under them,
    so no explained failure reaches the user as a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PerfkgError as exc:
            click.echo(f"error: {' '.join(str(exc).splitlines())}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="perfkg")
def cli() -> None:
    """perfkg: performance-target tables of Chinese budget documents to a knowledge graph."""


for _module in COMMAND_MODULES:
    for _command in _module.commands:
        cli.add_command(_command)


def main() -> None:
    import signal

    # SIGTERM (a job scheduler, a timeout) ends the run like Ctrl-C: cleanup runs, temporaries go.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    cli(prog_name="perfkg")
