"""The library's modules by their installed names, read from setup.cfg's package_dir and packages.

The repository keeps extract/, kg/, … as top-level folders that install as perfkg.extract, perfkg.kg, …
(an editable install maps them with an import hook, which pkgutil cannot walk), so the list is
derived from the same mapping setuptools uses.
"""
from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_dirs() -> dict[str, Path]:
    """Every package of setup.cfg's ``packages`` and the folder it is read from."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    mapping = dict(
        (name.strip(), folder.strip())
        for name, folder in (line.split("=") for line in cfg["options"]["package_dir"].strip().splitlines()))
    out = {}
    for package in cfg["options"]["packages"].split():
        base = max((name for name in mapping if package == name or package.startswith(name + ".")), key=len)
        rest = package[len(base):].lstrip(".")
        out[package] = ROOT / mapping[base] / Path(*rest.split(".")) if rest else ROOT / mapping[base]
    return out


def library_modules() -> list[str]:
    """Installed names of every module of the library (``perfkg``, ``perfkg.extract.reader``, …)."""
    names = []
    for package, folder in sorted(package_dirs().items()):
        for path in sorted(folder.glob("*.py")):
            names.append(package if path.stem == "__init__" else f"{package}.{path.stem}")
    return names
