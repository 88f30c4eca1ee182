"""Which code computed a stored result: a fingerprint of the modules that decide a run's numbers.

Work that resumes from disk (a sweep's folder, a calibration's ABC history, a
cross-validation's stored fits) records :func:`code_fingerprint` and refuses to
resume under other code: the stored numbers would mix with numbers the changed
model computes. The fingerprint reads each module's syntax tree without its
docstrings, so editing a comment, a docstring or the layout keeps it, and any
change of code changes it.

Example:
    >>> from sim.provenance import code_fingerprint
    >>> len(code_fingerprint())
    16
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

__all__ = ["CODE_MODULES", "code_fingerprint"]

#: The modules whose code decides a run's numbers, relative to the package. Parameter values
#: are recorded apart (every stored run's settings hold them), so the parameters' definitions
#: (``model_params.py``) are not here.
CODE_MODULES = (
    "agents.py",
    "calendar.py",
    "experiment/run.py",
    "model.py",
    "organisation.py",
    "params.py",
    "responses.py",
    "rules.py",
    "state.py",
    "survey.py",
    "sweeps/runs.py",
    "ties.py",
)

_PACKAGE = Path(__file__).resolve().parent
#: The nodes that can open with a docstring.
_DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _code_of(source: str) -> str:
    """Return the syntax tree of ``source`` without docstrings, as text."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, _DOCUMENTED) and ast.get_docstring(node, clean=False) is not None:
            node.body = node.body[1:] or [ast.Pass()]
    return ast.dump(tree)


def code_fingerprint(package: Path | None = None) -> str:
    """Return a short hash of the code of :data:`CODE_MODULES`, blind to docstrings and comments.

    Args:
        package: the package folder to read (default: this installed ``sim``).

    Returns:
        16 hexadecimal digits; a module that cannot be read counts as missing.
    """
    root = _PACKAGE if package is None else Path(package)
    h = hashlib.sha256()
    for rel in CODE_MODULES:
        h.update(rel.encode())
        try:
            h.update(_code_of((root / rel).read_text(encoding="utf-8")).encode())
        except (OSError, SyntaxError, ValueError):
            h.update(b"missing")
    return h.hexdigest()[:16]
