"""Metadata of a thin distribution, taken from ``modelverse-integrations``' own ``pyproject.toml``.

Each distribution under ``distributions/`` is the name users search for and
depends on one extra of ``modelverse-integrations``, pinned to the same
version. The version, the supported Pythons and the classifiers are read from
the repository's ``pyproject.toml``, so there is one place to change them. An
sdist carries the result in its ``PKG-INFO``, from which hatchling builds the
wheel without this hook's help.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.metadata.plugin.interface import MetadataHookInterface

if sys.version_info >= (3, 11):
    import tomllib
else:  # hatchling itself depends on tomli there
    import tomli as tomllib

INHERITED = ("version", "requires-python", "classifiers")


class ThinDistributionHook(MetadataHookInterface):
    """Sets the inherited fields and the one dependency, ``modelverse-integrations[<extra>]==<version>``."""

    def update(self, metadata: dict[str, Any]) -> None:
        """Fill in the fields this distribution declares ``dynamic``."""
        main = self._main_project()
        for field in INHERITED:
            metadata[field] = main[field]
        metadata["dependencies"] = [f"{main['name']}[{self.config['extra']}]=={main['version']}"]

    def _main_project(self) -> dict[str, Any]:
        path = Path(self.root).resolve().parent.parent / "pyproject.toml"
        if not path.is_file():
            raise FileNotFoundError(f"{path}: build this distribution from the repository or from its sdist")
        with path.open("rb") as file:
            project: dict[str, Any] = tomllib.load(file)["project"]
        return project
