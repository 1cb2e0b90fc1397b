"""The one base class of perfkg's errors, so a caller (the CLI, a notebook) can catch them all at once.

Every error perfkg raises on purpose — an unreadable document (``ReadError``), a bad record or graph
file (``RecordFileError``, ``GraphFileError``), a query that cannot run (``QueryError``), a view
selector that names nothing (``ViewSelectionError``), documents left out in strict mode
(``ExtractionError``) — derives from ``PerfkgError``; anything else escaping the library is a bug.
The module imports nothing, so both ``perfkg.extract`` and ``perfkg.kg`` use it without cycles.
"""
from __future__ import annotations


class PerfkgError(Exception):
    """A failure perfkg explains in its message (naming the file, query or selector); one line each."""
