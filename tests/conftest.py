"""Settings every test shares."""

from __future__ import annotations

import os
from pathlib import Path

# The sample city is cached in the checkout (git ignores it), not in the user's cache folder,
# so checkouts of different versions never rebuild over each other's cache.
os.environ.setdefault(
    "KIT_SAMPLE_BUILD", str(Path(__file__).resolve().parents[1] / "sample_city" / "build")
)
