"""``perfkg load --scheduler tcp://HOST:8786``: the documents of a load on a Dask cluster.

Each document is one task running ``load_job.load_task`` (extract, build, validate, N-Quads), the same task
the local worker processes run; the client gathers the N-Quads and loads them into its store as it does
from its own workers, so the store is the same either way (``tests/test_dask_load.py``). The client sends
each file's bytes (and its ``<document>.json`` sidecar) with the task, so the workers need perfkg installed
but not the files: a worker writes them into a scratch folder under their own names, and error messages
name the client's path. A few tasks per worker thread are in flight at a time, so a corpus of any size
never sits in the scheduler's memory at once.

What the local workers do and Dask does not: the per-document CPU-time and memory limits (``--timeout``,
``--max-memory-mb``) are not applied on the cluster; give the workers Dask's own memory limit
(``dask worker --memory-limit``). A task that fails, or whose worker dies, is one error line naming its
document, and the load goes on. Run the workers with one thread each (``dask worker --nthreads 1``): the
work is Python holding the GIL, so more threads in one worker do not run faster (a worker runs one
document at a time whatever its thread count).
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from perfkg.extract.file_names import shown
from perfkg.kg.load_job import LoadOutcome, _error, load_task
from perfkg.kg.provenance import SIDECAR_SUFFIX

IN_FLIGHT_PER_THREAD = 4
_ONE_AT_A_TIME = threading.Lock()  # a worker's documents one after another (shared parsers, scratch dataset)


def remote_task(name: str, where: str, data: bytes, sidecar: bytes | None, key: str, sha256: str,
                started: datetime, url: str | None, licence: str | None, engine: str) -> LoadOutcome:
    """``load_task`` on a Dask worker, for a file sent as bytes; messages name the client's path ``where``."""
    with _ONE_AT_A_TIME:
        scratch = Path(tempfile.mkdtemp(prefix="perfkg-dask-"))
        try:
            path = scratch / name
            path.write_bytes(data)
            if sidecar is not None:
                path.with_name(name + SIDECAR_SUFFIX).write_bytes(sidecar)
            outcome = load_task(path, key, sha256, started, url, licence, engine)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    outcome.path = Path(where)
    if outcome.error:
        outcome.error = outcome.error.replace(shown(path), where).replace(str(path), where)
    return outcome


def dask_outcomes(scheduler: str, todo: list[tuple[Path, str, str]], started: datetime, url: str | None,
                  licence: str | None, engine: str) -> Iterator[LoadOutcome]:
    """The outcome of every (path, key, sha256) of ``todo``, run on the cluster of ``scheduler``, as they finish."""
    from distributed import Client, as_completed

    from perfkg.kg.store import StoreError

    try:
        client = Client(scheduler, set_as_default=False)  # waits distributed.comm.timeouts.connect (30 s)
    except (OSError, TimeoutError) as exc:
        raise StoreError(f"{scheduler}: cannot reach the Dask scheduler ({exc})") from None
    try:
        threads = max(1, sum(client.nthreads().values()))
        items = iter(todo)
        paths = {}
        unread: list[LoadOutcome] = []  # files that could not be read here, reported as they come

        def submit(item: tuple[Path, str, str]) -> Any:
            path, key, sha = item
            side = path.with_name(path.name + SIDECAR_SUFFIX)
            try:
                data, sidecar = path.read_bytes(), (side.read_bytes() if side.is_file() else None)
            except OSError as exc:
                unread.append(_error(path, f"{shown(path)}: cannot read: {exc.strerror or exc}"))
                return None
            future = client.submit(remote_task, path.name, shown(path), data, sidecar, key, sha, started, url,
                                   licence, engine, pure=False)
            paths[future.key] = path
            return future

        window = IN_FLIGHT_PER_THREAD * threads
        running = as_completed([], loop=client.loop)

        def top_up() -> None:  # files submitted until the window is full or none are left
            for item in islice(items, max(0, window - len(paths))):
                future = submit(item)
                if future is not None:
                    running.add(future)
                if len(paths) >= window:
                    return

        top_up()
        while unread or paths:
            yield from unread
            unread.clear()
            if not paths:
                top_up()
                continue
            future = next(running)
            path = paths.pop(future.key)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 (a task that failed or lost its worker is its document's error)
                outcome = _error(path, f"{shown(path)}: failed on the Dask cluster ({type(exc).__name__}: {exc})")
            future.release()
            top_up()
            yield outcome
    finally:
        client.close()
