"""Data package: the perfkg OWL ontology, SHACL shapes and SKOS concept schemes (Turtle files)."""
from importlib import resources
from importlib.abc import Traversable


def path(name: str) -> Traversable:
    """A Turtle file of this package by name, e.g. ``path("perfkg.ttl")``."""
    return resources.files(__name__).joinpath(name)
