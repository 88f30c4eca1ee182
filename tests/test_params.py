import math

import pytest

from sim.errors import UserError
from sim.params import ParameterError, Params, coerce


def test_defaults_validate_and_are_typed():
    p = Params()
    for name, spec in Params.spec().items():
        value = getattr(p, name)
        assert isinstance(value, spec["type"])
        assert spec["lo"] <= value <= spec["hi"], name
        assert spec["doc"] and spec["unit"] and spec["kind"]


def test_every_kind_is_known_and_behaviour_is_small():
    kinds = {s["kind"] for s in Params.spec().values()}
    assert kinds == {"structure", "lever", "behaviour", "evidence"}
    assert len(Params.names("lever")) >= 5


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"output_conversion": 2.0}, "output_conversion=2.0 is out of range: allowed 0 to 1"),
        ({"output_conversion": -0.1}, "out of range"),
        ({"span_of_control": 3.5}, "span_of_control=3.5 has the wrong type: expected an integer"),
        ({"n_agents": 5}, "n_agents=5 is out of range: allowed 10 to 10,000,000"),
        ({"touchpoints": "x"}, "touchpoints='x' has the wrong type"),
        ({"touchpoints": True}, "wrong type"),
        ({"touchpoints": math.nan}, "out of range"),
        ({"touchpoints": math.inf}, "out of range"),
        ({"n_agnts": 5}, "unknown parameter 'n_agnts'; did you mean 'n_agents'?"),
    ],
)
def test_invalid_values_name_the_parameter_and_range(changes, fragment):
    with pytest.raises(ParameterError) as err:
        Params.from_mapping(changes)
    assert fragment in str(err.value)
    assert isinstance(err.value, UserError)
    assert "\n" not in str(err.value)


def test_replace_and_coerce():
    p = Params().replace(span_of_control=8.0)
    assert p.span_of_control == 8 and isinstance(p.span_of_control, int)
    assert coerce("touchpoints", "0.3") == 0.3
    assert coerce("n_agents", "500") == 500
    with pytest.raises(ParameterError, match="not an integer"):
        coerce("n_agents", "5.5")
    with pytest.raises(ParameterError, match="unknown parameter"):
        Params().replace(nope=1)


def test_describe_lists_every_parameter():
    table = Params.describe()
    for name in Params.names():
        assert f"`{name}`" in table


def test_rule_constants_are_parameters():
    """The rules' former constants are documented parameters; only numerical guards remain.

    Their defaults were the rules' values when they moved (tests/test_regression.py
    proved the numbers unchanged); later evidence may move them like any parameter.
    """
    from sim import rules
    from sim.params import RULE_CONSTANTS

    spec = Params.spec()
    for name in RULE_CONSTANTS:
        assert spec[name]["kind"] in ("evidence", "behaviour", "structure"), name
        assert spec[name]["source"] and spec[name]["unit"], name
    constants = {k for k, v in vars(rules).items() if k.isupper() and isinstance(v, int | float)}
    assert constants <= {"EPS", "TIE_EPS", "HOURS_PER_WEEK"}


def test_kinds_do_not_decide_what_is_calibrated():
    from sim.calibration import FREE_PARAMETERS

    # The calibration frees its own list; every name on it is a behavioural or evidence
    # parameter, and no kind is freed wholesale.
    kinds = {Params.spec()[f.name]["kind"] for f in FREE_PARAMETERS}
    assert kinds <= {"behaviour", "evidence"}
    assert len(FREE_PARAMETERS) < len(Params.names("behaviour") + Params.names("evidence"))


def test_sweeps_reach_rule_constants(tmp_path):
    from sim.sweeps import load_spec

    f = tmp_path / "s.toml"
    f.write_text(
        'name = "t"\ndesign = "grid"\n[params]\nn_agents = 100\n'
        "[vary]\nburnout_threshold = [0.6, 0.8]\nfreelancer_gap = [1, 3]\n",
        encoding="utf-8",
    )
    spec = load_spec(str(f))
    assert [x.name for x in spec.factors] == ["burnout_threshold", "freelancer_gap"]


def test_morris_all_screens_every_behaviour_and_evidence_parameter():
    """If this fails after adding a parameter or recalibrating, rerun scripts/morris_ranges.py.

    That script writes the ranges of scenarios/sweeps/morris_all.toml (docs/sensitivity.md).
    """
    import sim
    from sim.sweeps import load_spec

    spec = load_spec("morris_all")
    base = sim.load_scenario("baseline").params
    screened = {f.name: f for f in spec.factors}
    wanted = set(Params.names("behaviour") + Params.names("evidence"))
    assert set(screened) == wanted
    for name, factor in screened.items():
        value = getattr(base, name)
        assert factor.lo <= value <= factor.hi, name
