"""Data package: the named SPARQL query library (one ``.rq`` file per query)."""
from importlib import resources
from importlib.abc import Traversable


def path(name: str) -> Traversable:
    """A query file of this package by name, e.g. ``path("satisfaction_targets.rq")``."""
    return resources.files(__name__).joinpath(name)
