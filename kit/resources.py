"""Files the kit ships beside its code: workbooks, blank templates, rules, presets, defaults.

In the repository they sit at the top level (``workbooks/``, ``templates/``), where a
reader looks for them. The wheel carries them inside the package as ``kit/_shipped/``
(the build maps them there, see pyproject.toml), so an installed kit needs no source
tree. An editable install (``pip install -e .``) reads the checkout's folders instead.
Every other module finds these files through this one, never through ``__file__``.
"""

from __future__ import annotations

import shutil
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Final

from kit.errors import KitError

#: The folder inside the package where the wheel keeps the shipped files.
SHIPPED: Final = "_shipped"
#: The blank CSV templates a user fills in (areas, budget lines, survey answers).
BLANK_TEMPLATES: Final = ("areas_template.csv", "budget_template.csv", "survey_template.csv")


@cache
def _root() -> Path:
    """The folder holding ``workbooks/`` and ``templates/``: in the package, else the checkout."""
    package = files("kit")
    if not isinstance(package, Path):
        # Voila and papermill open workbooks by path, so the files must be on disk.
        raise KitError("The kit must be installed as files on disk; reinstall it with pip.")
    shipped = package / SHIPPED
    return shipped if shipped.is_dir() else package.parent


def workbooks() -> Path:
    """The folder of the step workbooks (``00_set_up.ipynb`` ...)."""
    return _root() / "workbooks"


def template(*parts: str) -> Path:
    """A file or folder under ``templates/``, e.g. ``template("funding", "costs.json")``.

    The funding cost defaults are ``template("funding")``; presets ``template("presets")``.
    """
    return _root().joinpath("templates", *parts)


def copy_blank_templates(folder: Path) -> list[Path]:
    """Copy the blank CSV templates into ``folder`` (made if needed); files there are kept.

    Returns the files copied. An existing file is never overwritten: it may be filled in.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KitError(f"Cannot make the folder {folder}: {exc.strerror or exc}.") from exc
    copied = []
    for name in BLANK_TEMPLATES:
        target = folder / name
        if target.exists():
            continue
        try:
            shutil.copyfile(template(name), target)
        except OSError as exc:
            raise KitError(f"Cannot write {target}: {exc.strerror or exc}.") from exc
        copied.append(target)
    return copied
