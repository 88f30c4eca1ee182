"""notebooks/04_sweeps_and_sensitivity.ipynb runs end to end (nbmake, small sizes).

The notebook is stored without outputs and keeps its sizes small, so CI runs it
as it is. If the test command ever collects notebooks itself (``pytest --nbmake
notebooks``), this test is redundant and can go.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbmake")
pytest.importorskip("ema_workbench")
pytest.importorskip("SALib")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04_sweeps_and_sensitivity.ipynb"


@pytest.mark.slow
def test_sweeps_notebook_runs_with_nbmake(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbmake",
            "--nbmake-timeout=900",
            "-q",
            "-p",
            "no:cacheprovider",
            str(NOTEBOOK),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_notebook_is_stored_without_outputs():
    import json

    nb = json.loads(NOTEBOOK.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None
