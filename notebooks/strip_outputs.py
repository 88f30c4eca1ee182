"""Strip the notebooks' outputs before they are committed (what nbstripout does).

Usage::

    python notebooks/strip_outputs.py            # strip every notebook in notebooks/
    python notebooks/strip_outputs.py --check    # exit 1, naming them, if any has outputs
    python notebooks/strip_outputs.py A.ipynb B.ipynb

Code cells lose their outputs and execution counts, cells the metadata a run
leaves (``execution``, ``collapsed``, ``scrolled``, ``ExecuteTime``), the notebook
its widget state. The file is written as Jupyter writes it (JSON, indent 1, keys
sorted), so a stripped notebook opened and saved again without running is unchanged.
Needs only the standard library; ``jupyter nbconvert --clear-output --inplace`` does
the same for outputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: Cell metadata keys a run leaves behind.
RUN_KEYS = ("execution", "collapsed", "scrolled", "ExecuteTime")


def strip(nb: dict) -> dict:
    """Return the notebook without outputs, execution counts or run metadata."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        meta = cell.get("metadata", {})
        for key in RUN_KEYS:
            meta.pop(key, None)
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def text(nb: dict) -> str:
    """Return the notebook as Jupyter writes it."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Strip (or with ``--check`` only check) the notebooks named, or all in this folder."""
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"] or sorted(
        Path(__file__).resolve().parent.glob("*.ipynb")
    )
    dirty = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        after = text(strip(json.loads(before)))
        if after != before:
            dirty.append(path)
            if not check:
                path.write_text(after, encoding="utf-8")
    if check and dirty:
        names = ", ".join(p.name for p in dirty)
        print(f"notebooks stored with outputs: {names} (run: python {sys.argv[0]})")
        return 1
    for p in dirty:
        print(f"stripped {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
