from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    # Packets and scans are written to the default storage; keep them out of var/.
    settings.MEDIA_ROOT = tmp_path / "media"
