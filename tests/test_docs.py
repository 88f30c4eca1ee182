"""The documentation keeps up with the code."""

from pathlib import Path

from sim.params import Params
from sim.state import FIELDS
from sim.survey import ITEMS

ROOT = Path(__file__).resolve().parents[1]
ODD = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
RULES = [
    "expose",
    "manage",
    "adopt",
    "learn",
    "produce",
    "assign_work",
    "exhaust",
    "trust",
    "connect",
    "align",
    "intend",
    "turnover",
]


def test_odd_lists_every_parameter_as_the_code_describes_it():
    assert Params.describe() in ODD


def test_odd_schedule_names_every_rule_in_the_order_step_calls_them():
    step = (ROOT / "sim" / "model.py").read_text(encoding="utf-8")
    body = step[step.index("def _simulate_week(") : step.index("def run(")]
    called = [r for r in RULES if f"rules.{r}(" in body]
    assert sorted(called, key=lambda r: body.index(f"rules.{r}(")) == RULES
    schedule = ODD[ODD.index("## 3.") : ODD.index("## 4.")]
    assert sorted(RULES, key=lambda r: schedule.index(f"`{r}`")) == RULES


def test_odd_describes_every_state_variable_and_survey_item():
    for name in FIELDS:
        if not name.startswith("credit_"):
            assert f"`{name}`" in ODD, name
    for item in ITEMS:
        if not item.startswith("driver_"):
            assert f"`{item}`" in ODD, item
