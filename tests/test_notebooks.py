"""Every notebook in notebooks/ runs end to end under nbmake, at the small sizes it is stored with.

Notebooks are stored without outputs (``python notebooks/strip_outputs.py`` strips them)
and keep their sizes small (a few hundred positions, a few seeds, a tiny calibration
budget), so CI runs them as they are.
Each runs in a fresh kernel in a temporary folder, so nothing is written into the
checkout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
    pytest.importorskip("nbmake")
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
        assert not {"execution", "ExecuteTime"} & set(cell.get("metadata", {}))
    assert "widgets" not in nb.get("metadata", {})


def test_strip_script_finds_outputs_and_strips_them(tmp_path):
    script = ROOT / "notebooks" / "strip_outputs.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    nb = json.loads(NOTEBOOKS[0].read_text())
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}]
    code["execution_count"] = 3
    dirty = tmp_path / "dirty.ipynb"
    dirty.write_text(json.dumps(nb))
    check = [sys.executable, str(script), "--check", str(dirty)]
    found = subprocess.run(check, capture_output=True, text=True)
    assert found.returncode == 1 and "dirty.ipynb" in found.stdout
    subprocess.run([sys.executable, str(script), str(dirty)], check=True, capture_output=True)
    assert dirty.read_text() == NOTEBOOKS[0].read_text()


def test_the_notebooks_extra_installs_jupyter_and_the_test_extra_runs_them():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    names = {d.split(">")[0].split("[")[0] for d in extras["notebooks"]}
    assert {"jupyterlab", "nbconvert", "ipykernel"} <= names
    assert "notebooks" not in extras["all"][0]  # Jupyter is heavy: not in `all`
    assert {"nbmake", "ipykernel"} <= {d.split(">")[0] for d in extras["test"]}
    # notebooks needing an extra say so in one line
    for name, modules in NEEDS.items():
        text = (ROOT / "notebooks" / name).read_text()
        assert "pip install -e '.[notebooks]'" in text
        assert all(m in text for m in modules)
