"""Extraction in worker processes with a CPU-time and memory limit per document.

Each worker is a forked process reading one document at a time. Before each document it sets
its own soft CPU limit (``RLIMIT_CPU``) to the time used so far plus the per-document limit, so
the kernel stops a runaway document; its address space (``RLIMIT_AS``) is capped once at start.
The parent never blocks on a worker: it waits on the workers' pipes and process sentinels
together, so a worker that dies (CPU limit, out of memory, ``kill -9``) is noticed at once, its
document becomes a one-line error, a fresh worker takes its place and the run goes on.
Outcomes come back in input order.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Callable

from perfkg.extract import limits as _limits

# How a dead worker's document is reported, by the signal that ended it.
DEATH_MESSAGES: dict[int, str] = {
    signal.SIGXCPU: "over the time limit of {timeout:g} s CPU per document (raise it with --timeout)",
    signal.SIGKILL: "the worker was killed (out of memory, or by a signal); limit {memory:g} MB per document",
    signal.SIGSEGV: "the worker crashed (segmentation fault)",
}
WALL_FACTOR = 3  # a document may take this many times its CPU limit in wall time (waiting on I/O) …
WALL_GRACE_S = 30.0  # … plus this, before its worker is killed
# A forked worker can deadlock on a lock another thread of the parent held when it forked (a store's or a
# server's thread): it then uses no CPU at all. A busy worker whose CPU time has not moved for this long is
# such a worker: it is killed and its document given to a fresh one, once.
STALL_S = 20.0


def _vm_size() -> int:
    """This process's current address space in bytes (0 when /proc is not there)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _set_soft_limit(which: int, soft: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    try:
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass  # an environment that forbids it: the parent's wall-clock guard still holds


def _worker_main(conn: Connection, task: Callable, limits: _limits.Limits) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _set_soft_limit(resource.RLIMIT_CORE, 0)
    if limits.max_memory_mb > 0:
        _set_soft_limit(resource.RLIMIT_AS, _vm_size() + int(limits.max_memory_mb * 2**20))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, path = message
        if limits.timeout_s > 0:
            _set_soft_limit(resource.RLIMIT_CPU, math.ceil(_cpu_seconds() + limits.timeout_s))
        try:
            outcome = task(path)
        except MemoryError:
            outcome = None
        conn.send((index, outcome))
        if outcome is None:
            return  # after a MemoryError the heap may be in any state: a fresh worker takes over


@dataclass
class _Worker:
    process: BaseProcess  # a Process of the fork or spawn context
    conn: Connection
    index: int | None = None
    started: float = 0.0
    cpu_seen: float = -1.0  # the worker's CPU seconds when last looked at, and when that was
    cpu_seen_at: float = 0.0

    def stalled(self, now: float) -> bool:
        """Whether the worker has used no CPU for :data:`STALL_S` while busy (Linux ``/proc``; else never)."""
        cpu = _process_cpu_seconds(self.process.pid)
        if cpu is None:
            return False
        if cpu != self.cpu_seen:
            self.cpu_seen, self.cpu_seen_at = cpu, now
            return False
        return now - self.cpu_seen_at > STALL_S


def _process_cpu_seconds(pid: int | None) -> float | None:
    """User plus system CPU seconds of a process, from ``/proc/PID/stat``; None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _memory_error(path: Path, limits: _limits.Limits) -> str:
    return f"{path}: over the memory limit of {limits.max_memory_mb:g} MB per document (raise it with --max-memory-mb)"


def run_isolated(files: list[Path], task: Callable, make_error: Callable[[Path, str], object],
                 jobs: int = 1, limits: _limits.Limits | None = None) -> Iterator:
    """``task(path)`` for every file in ``jobs`` worker processes, yielded in input order.

    A document whose worker dies or runs out of time or memory yields ``make_error(path, message)``.
    """
    limits = limits or _limits.current()
    context = multiprocessing.get_context("fork")
    workers: list[_Worker] = []
    results: dict[int, object] = {}
    queue = list(range(len(files)))
    queue.reverse()
    next_out = 0

    def start() -> _Worker:
        parent, child = context.Pipe()
        process = context.Process(target=_worker_main, args=(child, task, limits), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        workers.append(worker)
        return worker

    retried: set[int] = set()  # documents given to a fresh worker after theirs stalled

    def assign(worker: _Worker) -> None:
        if queue:
            worker.index = queue.pop()
            worker.started = worker.cpu_seen_at = time.monotonic()
            worker.cpu_seen = -1.0
            worker.conn.send((worker.index, files[worker.index]))
        else:
            worker.index = None

    def retire(worker: _Worker, message: str | None) -> None:
        if worker.index is not None and message is not None:
            results[worker.index] = make_error(files[worker.index], message)
        worker.index = None
        workers.remove(worker)
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()

    def death_message(worker: _Worker) -> str:
        code = worker.process.exitcode
        path = files[worker.index] if worker.index is not None else "?"
        if code is not None and code < 0:
            template = DEATH_MESSAGES.get(-code, "the worker was stopped by signal {signal}")
            return f"{path}: " + template.format(timeout=limits.timeout_s, memory=limits.max_memory_mb, signal=-code)
        return f"{path}: the worker exited unexpectedly (status {code})"

    try:
        for _ in range(max(1, min(jobs, len(files)))):
            assign(start())
        while next_out < len(files):
            while next_out in results:
                yield results.pop(next_out)
                next_out += 1
            if next_out >= len(files):
                break
            busy = [w for w in workers if w.index is not None]
            if not busy:  # every worker retired with work left: start one
                assign(start())
                continue
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.5)
            for worker in list(busy):
                if worker.conn in ready:
                    try:
                        index, outcome = worker.conn.recv()
                    except (EOFError, OSError):
                        worker.process.join(1.0)
                        retire(worker, death_message(worker))
                        assign(start()) if queue else None
                        continue
                    if outcome is None:  # MemoryError in the worker; it exits
                        results[index] = make_error(files[index], _memory_error(files[index], limits))
                        worker.index = None
                        retire(worker, None)
                        assign(start()) if queue else None
                    else:
                        results[index] = outcome
                        assign(worker)
                elif worker.process.sentinel in ready:
                    worker.process.join(1.0)
                    retire(worker, death_message(worker))
                    assign(start()) if queue else None
                elif worker.index is not None and worker.index not in retried and worker.stalled(time.monotonic()):
                    retried.add(worker.index)
                    queue.append(worker.index)  # the next document taken: a fresh worker reads it again
                    worker.index = None
                    retire(worker, None)
                    assign(start())
                elif limits.timeout_s > 0 and \
                        time.monotonic() - worker.started > WALL_FACTOR * limits.timeout_s + WALL_GRACE_S:
                    path = files[worker.index] if worker.index is not None else "?"
                    retire(worker, f"{path}: over the time limit ({WALL_FACTOR * limits.timeout_s + WALL_GRACE_S:g} s "
                                   "wall clock, e.g. waiting on a stalled file system)")
                    assign(start()) if queue else None
    finally:
        for worker in list(workers):
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
            worker.process.join(0.2)
            retire(worker, None)
