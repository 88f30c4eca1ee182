"""Formatting shared by the reports and the command line."""

from __future__ import annotations

import math
import os
from typing import Any


def json_ready(obj: Any) -> Any:
    """Return ``obj`` ready for JSON: NaN and infinities None, numpy scalars Python, paths text."""
    if isinstance(obj, dict):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_ready(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return json_ready(obj.item())
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    return obj
