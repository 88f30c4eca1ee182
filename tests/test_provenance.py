"""The code fingerprint that keeps stored runs from mixing with a changed model's numbers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.calibration.crossval import CrossValidation, _prepare
from sim.calibration.settings import Settings
from sim.errors import UserError
from sim.provenance import CODE_MODULES, code_fingerprint

PACKAGE = Path(sim.__file__).resolve().parent


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the modules the fingerprint reads."""
    for rel in CODE_MODULES:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PACKAGE / rel, tmp_path / rel)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_fingerprint_reads_code_not_prose(package):
    now = code_fingerprint()
    assert code_fingerprint(package) == now and len(now) == 16
    rules = package / "rules.py"
    # a docstring, a comment and the layout are prose: the fingerprint stays
    _edit(rules, '"""Trust in AI follows', '"""Trust in AI (reworded) follows')
    _edit(rules, "\ndef trust(", "\n# a comment\n\n\ndef trust(")
    assert code_fingerprint(package) == now
    # a change of code is not
    _edit(rules, "s.trust_ai += p.trust_rate", "s.trust_ai += 0.5 * p.trust_rate")
    assert code_fingerprint(package) != now
    # nor is a missing module
    (package / "rules.py").unlink()
    assert code_fingerprint(package) not in (now, code_fingerprint())


def test_a_calibration_records_the_models_code():
    assert Settings().identity()["code"] == code_fingerprint()


def test_stored_fits_of_other_model_code_are_not_reused(tmp_path):
    cv = CrossValidation(blocks=("roles",), root_seeds=(7,), n_agents=100, seeds=1)
    work = tmp_path / "root-7"
    _prepare(work, cv, 7, fresh=False)  # first use: writes the identity
    _prepare(work, cv, 7, fresh=False)  # the same code and settings: reused
    ident = work / "settings.json"
    stored = json.loads(ident.read_text())
    stored["model"]["code"] = "0" * 16
    ident.write_text(json.dumps(stored))
    with pytest.raises(UserError, match="other model code: use --fresh"):
        _prepare(work, cv, 7, fresh=False)
    _prepare(work, cv, 7, fresh=True)  # --fresh discards them


def test_the_prior_predictive_sample_is_drawn_anew_for_other_priors_or_code(tmp_path):
    """The frontier figure's cached sample is reused only under the settings it was drawn for."""
    from sim.calibration.report import _prior_predictive

    baseline = tmp_path / "baseline.toml"  # the cache lives beside it
    settings = Settings(n_agents=40, jobs=1)
    said: list[str] = []

    def draw():
        return _prior_predictive(baseline, settings, 2, said.append, lambda _name: None)

    drawn = draw()
    assert len(said) == 1  # drawn and cached, with its stamp
    stamp = tmp_path / "baseline_posterior.prior.json"
    assert json.loads(stamp.read_text()) and (tmp_path / "baseline_posterior.prior.csv").is_file()
    reused = draw()
    assert len(said) == 1  # the same settings, priors and code: reused
    # drawn now or read back, the sample (and so the figure) is the same, to the last digit
    pd.testing.assert_frame_equal(drawn, reused, check_exact=True)
    stamp.write_text(json.dumps({"identity": "0" * 16}))  # drawn under something else
    draw()
    assert len(said) == 2
    stamp.unlink()  # a sample without a stamp is not trusted either
    draw()
    assert len(said) == 3
