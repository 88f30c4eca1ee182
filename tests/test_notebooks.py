"""Every notebook in notebooks/ runs end to end under nbmake, at the small sizes it is stored with.

Notebooks are stored without outputs and keep their sizes small (a few hundred
positions, a few seeds, a tiny calibration budget), so CI runs them as they are.
Each runs in a fresh kernel in a temporary folder, so nothing is written into the
checkout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbmake")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
#: What each notebook needs beyond the core (the extras of pyproject.toml).
NEEDS = {
    "03_calibration.ipynb": ["pyabc"],
    "04_sweeps_and_sensitivity.ipynb": ["ema_workbench", "SALib"],
}


def test_every_notebook_is_covered():
    assert [nb.name for nb in NOTEBOOKS] == [
        "01_quickstart.ipynb",
        "02_redesign_scenarios.ipynb",
        "03_calibration.ipynb",
        "04_sweeps_and_sensitivity.ipynb",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_with_nbmake(notebook, tmp_path):
    for module in NEEDS.get(notebook.name, []):
        pytest.importorskip(module)
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
            str(notebook),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(notebook):
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None
