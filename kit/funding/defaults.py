"""The defaults shipped with step 03 (``templates/funding/``), read in one place."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from kit.errors import KitError
from kit.resources import template

#: The cost, scenario and funding-source defaults, wherever the kit is installed.
TEMPLATES: Final[Path] = template("funding")


@lru_cache(maxsize=8)
def _read_template(name: str) -> str:
    path = TEMPLATES / name
    if not path.is_file():
        raise KitError(
            f"The defaults file {name} was not found. Restore it from templates/funding/."
        )
    return path.read_text(encoding="utf-8")


def load_template(name: str) -> dict[str, Any]:
    """A fresh copy of one of the JSON files in ``templates/funding/`` (safe to edit)."""
    return json.loads(_read_template(name))
