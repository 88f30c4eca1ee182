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
