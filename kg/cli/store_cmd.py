"""CLI commands of the store: ``load`` (documents → an on-disk Oxigraph store, or a SPARQL 1.1 store on the
network) and ``serve`` (a read-only SPARQL endpoint over an on-disk store)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from perfkg.extract import limits
from perfkg.extract.file_names import shown
from perfkg.kg.cli.build_cmd import validate_option
from perfkg.kg.cli.extract_cmd import limit_options
from perfkg.kg.store import OxigraphStore, StoreError


@click.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Store folder (created when absent).")
@click.option("--endpoint", metavar="URL", help="Load into the SPARQL 1.1 store at this query URL instead "
              "(Graph Store HTTP Protocol, SPARQL Update as the fallback; basic auth from PERFKG_ENDPOINT_AUTH).")
@click.option("--update-url", metavar="URL", help="With --endpoint: its SPARQL Update URL (default: …/update "
              "beside …/query, else the endpoint URL).")
@click.option("--gsp-url", metavar="URL", help="With --endpoint: its Graph Store Protocol URL (default: the first of "
              "…/store, …/data, /sparql-graph-crud that takes a write).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes that extract, build and validate (default: the number of cores).")
@click.option("--scheduler", metavar="ADDRESS", help="Run extraction and graph building on this Dask cluster "
              "(tcp://HOST:8786) instead of local worker processes.")
@click.option("--source-url", help="Where the document was published (dcterms:source); for one document.")
@click.option("--licence", "licence", help="Licence of the documents (an IRI or text; dcterms:license).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@validate_option
@limit_options
def load_command(paths: tuple[Path, ...], store_dir: Path | None, endpoint: str | None, update_url: str | None,
                 gsp_url: str | None, jobs: int | None, scheduler: str | None, source_url: str | None,
                 licence: str | None, progress: bool | None, validation: str, timeout_s: float | None,
                 max_memory_mb: float | None, max_document_mb: float | None) -> None:
    """Extract documents, build and validate each one's graph and load it into an Oxigraph store on disk
    (--store DIR) or a SPARQL 1.1 store on the network (--endpoint URL).

    One named graph per document, known by its file's path and content: a file loaded before and unchanged
    is skipped, a changed one replaces its graph, two files of the same name in different folders both
    stay. A document that cannot be read or whose graph violates the SHACL shapes is one error line
    naming it (exit 1); the others are loaded. --scheduler runs the documents on a Dask cluster.
    """
    if (store_dir is None) == (endpoint is None):
        raise click.UsageError("give the store as --store DIR or --endpoint URL (one of them)")
    if endpoint is None and (update_url or gsp_url):
        raise click.UsageError("--update-url and --gsp-url go with --endpoint")
    limits.set_environment(timeout_s=timeout_s, max_memory_mb=max_memory_mb, max_document_mb=max_document_mb)
    if source_url and (len(paths) > 1 or paths[0].is_dir()):
        raise click.UsageError("--source-url names the source of one document; for several, write a sidecar "
                               "<document>.json beside each")
    bar = None
    show = sys.stderr.isatty() if progress is None else progress

    def tick(done: int, total: int) -> None:
        nonlocal bar
        if not show:
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="doc", file=sys.stderr, desc="load")
        bar.update(1)

    where = shown(store_dir) if store_dir is not None else str(endpoint)
    try:
        if endpoint is not None:
            from perfkg.kg.endpoint_store import EndpointStore

            store = EndpointStore(endpoint, update_url, gsp_url)
            result = store.load(list(paths), jobs or os.cpu_count() or 1, source_url, licence, progress=tick,
                                validation=validation, scheduler=scheduler)
        else:
            assert store_dir is not None
            result = _load(store_dir, list(paths), jobs or os.cpu_count() or 1, source_url, licence, tick,
                           validation, scheduler)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"error: {where}: cannot write the store ({exc.strerror or exc})", err=True)
        sys.exit(1)
    finally:
        if bar is not None:
            bar.close()
    for error in result.errors:
        click.echo(f"error: {shown(error)}", err=True)
    click.echo(f"{where}: {result.summary()}", err=True)
    sys.exit(1 if result.errors else 0)


def _load(store_dir: Path, paths: list[Path], jobs: int, source_url: str | None, licence: str | None, tick,
          validation: str = "compiled", scheduler: str | None = None):
    # The store is opened and let go inside this call: Oxigraph locks the folder while a Store object
    # lives, and the next command in the same process (a test, a notebook) must be able to open it.
    store = OxigraphStore(store_dir)
    return store.load(paths, jobs, source_url, licence, progress=tick, validation=validation, scheduler=scheduler)


@click.command("serve")
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Store folder from perfkg load.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=7878, show_default=True)
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows (or triples) a query returns at most; the rest are cut (header X-Perfkg-Truncated).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Query worker processes (default: the number of cores).")
@click.option("--log/--no-log", default=False, help="Print one line per request.")
def serve_command(store_dir: Path, host: str, port: int, timeout_s: float, max_rows: int, workers: int | None,
                  log: bool) -> None:
    """A read-only SPARQL 1.1 endpoint over a store: /query (and /sparql), GET and POST, JSON/CSV/TSV/XML
    results by content negotiation, updates and SERVICE refused, a time limit and a row cap per query, CORS;
    a page at / lists the named queries with an editor and a results table. Ctrl-C (or SIGTERM) stops it.

    Serve a store that no perfkg load is writing meanwhile (the workers open it read-only).
    """
    from perfkg.kg.sparql_server import open_server

    try:
        server = open_server(store_dir, host, port, timeout_s=timeout_s, max_rows=max_rows,
                             workers=workers or os.cpu_count() or 1, log=log)
    except OSError as exc:
        click.echo(f"error: {shown(store_dir)}: cannot serve on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"serving {shown(store_dir)} at {server.url} (SPARQL at {server.url}query and {server.url}sparql); "
               "Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        click.echo("stopped", err=True)


commands = [load_command, serve_command]
