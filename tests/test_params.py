import math

import numpy as np
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


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("n_agents", np.int64(100), 100),
        ("n_agents", np.int32(100), 100),
        ("n_agents", 100.0, 100),
        ("n_agents", np.float64(100.0), 100),
        ("freelancer_share", np.float32(0.25), 0.25),
        ("freelancer_share", np.float64(0.2), 0.2),
        ("freelancer_share", 0, 0.0),
    ],
)
def test_numpy_scalars_are_numbers_of_the_fields_python_type(name, value, expected):
    p = Params(**{name: value})
    assert getattr(p, name) == expected
    assert type(getattr(p, name)) is Params.spec()[name]["type"]
    assert type(Params().replace(**{name: value}).to_dict()[name]) is type(expected)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"n_agents": np.int64(5)}, "n_agents=5 is out of range: allowed 10 to 10,000,000"),
        ({"n_agents": np.float32(100.5)}, "has the wrong type: expected an integer"),
        ({"touchpoints": np.bool_(True)}, "has the wrong type: expected a number from 0"),
        ({"n_agents": None}, "has the wrong type"),
        ({"touchpoints": np.array([0.5])}, "has the wrong type"),
        ({"n_agents": 10**5000}, "n_agents: a number of about 5,001 digits is too long"),
        ({"touchpoints": 10**400}, "touchpoints: a number of 401 digits is too long"),
    ],
)
def test_bad_numbers_name_the_parameter_and_what_is_allowed(changes, fragment):
    with pytest.raises(ParameterError) as err:
        Params(**changes)
    assert fragment in str(err.value)


def test_an_unknown_keyword_gets_the_did_you_mean_of_replace():
    with pytest.raises(ParameterError, match=r"^unknown parameter 'touchpoint'; did you mean"):
        Params(touchpoint=0.5)
    with pytest.raises(ParameterError, match="did you mean 'touchpoints'"):
        Params().replace(touchpoint=0.5)


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ("baseline", "got string 'baseline'; for a scenario's parameters use load_scenario("),
        (Params(), "got a Params; pass it as is"),
        ([("n_agents", 50)], "got list [('n_agents', 50)]"),
        (42, "got int 42"),
    ],
)
def test_from_mapping_wants_a_mapping(values, fragment):
    with pytest.raises(ParameterError) as err:
        Params.from_mapping(values)
    msg = str(err.value)
    assert msg.startswith("params has the wrong type: expected a mapping of parameter values")
    assert fragment in msg
    assert isinstance(err.value, UserError) and isinstance(err.value, ValueError)


def test_from_mapping_names_a_key_that_is_not_a_string():
    with pytest.raises(ParameterError, match="unknown parameter '1'"):
        Params.from_mapping({1: 2})


def test_names_refuses_an_unknown_kind_listing_the_kinds():
    with pytest.raises(ParameterError) as err:
        Params.names("levers")
    assert "unknown kind of parameter 'levers'" in str(err.value)
    assert "structure, lever, behaviour, evidence" in str(err.value)
    assert Params.names("lever") and Params.names(None) == Params.names()


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("n_agents", 12.5, "n_agents=12.5 has the wrong type: expected an integer"),
        ("n_agents", True, "n_agents=True has the wrong type"),
        ("freelancer_share", None, "freelancer_share=None has the wrong type: expected a number"),
        ("freelancer_share", "nan", "freelancer_share=nan is out of range: allowed 0 to 0.9"),
        ("freelancer_share", math.inf, "is out of range"),
        ("freelancer_share", "x", "freelancer_share='x' is not a number: expected a number"),
        ("nope", 1, "unknown parameter 'nope'"),
    ],
)
def test_coerce_refuses_what_its_docstring_says(name, value, fragment):
    with pytest.raises(ParameterError) as err:
        coerce(name, value)
    assert fragment in str(err.value)


def test_coerce_converts_to_the_fields_type_and_leaves_the_range_to_params():
    assert coerce("n_agents", np.int64(50)) == 50 and type(coerce("n_agents", np.int64(50))) is int
    assert type(coerce("n_agents", 100.0)) is int
    assert type(coerce("freelancer_share", np.float32(0.5))) is float
    assert coerce("n_agents", 5) == 5  # out of range: Params says so


def test_bad_input_is_a_value_error_and_a_type_error_as_in_scikit_learn():
    """Callers guarding with the built-in exceptions catch the package's bad-input errors."""
    from sim.errors import UserError
    from sim.scenarios import load_scenario

    assert issubclass(UserError, ValueError) and issubclass(UserError, TypeError)
    with pytest.raises(ValueError, match="unknown scenario 'baselin'"):
        load_scenario("baselin")
    with pytest.raises(TypeError, match="unknown parameter 'touchpoint'"):
        Params(touchpoint=0.5)
