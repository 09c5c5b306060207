"""Coordinates in a projected system (state plane, UTM), turned into degrees or left out.

Many CAD exports give the map position in the city's own projected coordinate
system, in feet or metres (New Orleans' MapX/MapY are Louisiana state plane feet).
Such values are far outside the range of degrees, and read as latitude and longitude
they would put every call off the map. They are converted with pyproj when the user
names the system (an EPSG code, e.g. EPSG:3452), and otherwise left out with a note.
pyproj carries the PROJ database inside its wheel: nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final

import numpy as np

from kit.errors import KitError

if TYPE_CHECKING:
    from pyproj import Transformer

# Degrees never exceed 180; projected eastings and northings in feet or metres are
# thousands or more. A pair whose two values are both this large is projected.
PROJECTED_FROM: Final[float] = 1000.0
_EXAMPLE: Final = "EPSG:3452 (Louisiana South, US feet)"


def projected(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Which points are projected coordinates rather than degrees."""
    with np.errstate(invalid="ignore"):
        return (np.abs(x) >= PROJECTED_FROM) & (np.abs(y) >= PROJECTED_FROM)


@functools.cache
def _transformer(crs: str) -> Transformer:
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except CRSError:
        raise KitError(
            f"{crs!r} is not a coordinate system the kit knows. Give its EPSG code, "
            f"for example {_EXAMPLE}; the city's GIS staff or the export's documentation "
            "name it."
        ) from None
    return Transformer.from_crs(source, "EPSG:4326", always_xy=True)


def check_crs(crs: str) -> str:
    """``crs`` if pyproj knows it, else a KitError saying how to name one."""
    _transformer(crs.strip())
    return crs.strip()


def to_degrees(x: np.ndarray, y: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of easting ``x`` and northing ``y`` in ``crs``."""
    lon, lat = _transformer(crs).transform(x, y)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
