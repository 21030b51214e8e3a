"""Where the real third-party data sets are: ``../shared/data`` of the checkout the work is
done in, wherever the suite runs from (a clean clone under /tmp for CI included), or
QUARTERDECK_SHARED_DATA. They are never copied into the repository."""

from __future__ import annotations

import os
from pathlib import Path

_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "shared" / "data",
    Path("/work/shared/data"),
)


def shared_data() -> Path:
    configured = os.environ.get("QUARTERDECK_SHARED_DATA")
    if configured:
        return Path(configured)
    return next((path for path in _CANDIDATES if path.is_dir()), _CANDIDATES[-1])
