"""The layout registry: one module per layout family, each with ``detect`` and ``parse``.

A layout module exposes ``NAME`` (str), ``DESCRIPTION`` (str), ``detect(block) -> float``
(0 = not this layout, higher = more certain) and ``parse(block, context) -> LayoutResult``.
Adding a layout is one new module plus one entry in ``DEFAULT_LAYOUTS``; ``register`` adds
third-party layouts at run time. ``perfkg layouts`` prints the registry.
"""
from __future__ import annotations

from types import ModuleType

from extract.layouts import cell_per_line, pipe, run_together, space_aligned, tabbed, wide_summary
from extract.layouts import wrapped_space
from extract.layouts.base import DocumentContext, LayoutResult  # noqa: F401  (re-exported)

DEFAULT_LAYOUTS: tuple[ModuleType, ...] = (tabbed, pipe, wide_summary, cell_per_line, run_together, space_aligned,
                                         wrapped_space)

_registry: dict[str, ModuleType] = {}


def register(module: ModuleType) -> None:
    """Add a layout module; it must define NAME, DESCRIPTION, detect and parse."""
    for attr in ("NAME", "DESCRIPTION", "detect", "parse"):
        if not hasattr(module, attr):
            raise TypeError(f"layout module {module.__name__} lacks {attr}")
    _registry[module.NAME] = module


for _module in DEFAULT_LAYOUTS:
    register(_module)


def get(name: str) -> ModuleType:
    """The layout called ``name``; the error lists the registered names."""
    try:
        return _registry[name]
    except KeyError:
        raise KeyError(f"no layout {name!r}; registered: {', '.join(sorted(_registry))}") from None


def all_layouts() -> list[ModuleType]:
    return list(_registry.values())


def choose(block) -> tuple[ModuleType | None, float]:
    """The layout that detects the block most confidently (ties: registration order)."""
    best, best_score = None, 0.0
    for module in _registry.values():
        score = module.detect(block)
        if score > best_score:
            best, best_score = module, score
    return best, best_score
