"""Optional extras: import a package that only an extra installs, or say how to get it.

Example:
    >>> from sim.extras import require
    >>> require("math", "calibration", "the example").__name__
    'math'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from sim.errors import UserError

__all__ = ["require"]


def require(module: str, extra: str, what: str, hint: str = "") -> ModuleType:
    """Import ``module``, or raise the one-line message naming the extra that installs it.

    Args:
        module: the module to import (``"pyabc"``, ``"dask.distributed"``).
        extra: the extra of ``workplace-sim`` that brings it (``"calibration"``).
        what: what needs it, the start of the message (``"calibration"``).
        hint: an alternative appended to the message (``"or pass --refine 0"``).

    Raises:
        UserError: ``<what> needs <module>: pip install 'workplace-sim[<extra>]'``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        tail = f", {hint}" if hint else ""
        raise UserError(
            f"{what} needs {module}: pip install 'workplace-sim[{extra}]'{tail} ({exc})"
        ) from None
