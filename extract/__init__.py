"""perfkg extraction: budget documents (PDF, workbooks, Word, HTML, text) to checked performance-target records.

One way through for every document: ``reader`` (file → rows of cells, with ``containers`` for PDF,
XLSX/XLS, DOCX and HTML) → ``tokens`` (the cell splitters) → ``content_model`` (one role per cell,
a fitted CRF) → ``row_decoder`` (projects and indicators) → ``checks``; ``pipeline`` runs it.

Installed as ``perfkg.extract``; the package is callable: ``perfkg.extract(paths)`` is
``perfkg.api.extract(paths)``, the notebook entry point.
"""
from __future__ import annotations

import sys
import types


class _CallablePackage(types.ModuleType):
    def __call__(self, *args, **kwargs):
        from perfkg.api import extract

        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
