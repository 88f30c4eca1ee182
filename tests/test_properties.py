"""Property-based tests: generated TOML, names, numbers and flags thrown at the command line.

``validate``, ``run`` and ``sweep`` get scenario files, sweep specs and flags drawn
by hypothesis (valid ones and hostile ones: numbers of hundreds of digits, NaN,
control characters, deep nesting, wrong types, unknown keys). Each call must end
with exit status 0, or 2 with a short message on stderr; an exception escaping
the command line (a traceback) fails the test. Runs that are valid stay tiny
(a few dozen agents, a few weeks) and the number of examples is bounded, so the
file runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.params import Params

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Parameters whose size sets a run's cost: kept small when valid.
_COSTLY = {"n_agents"}
PARAMS = [n for n in Params.names() if n not in _COSTLY]


class Big(int):
    """An integer written with ``digits`` digits (never converted to text by Python)."""

    digits: int = 0


def big(digits: int) -> Big:
    b = Big(1)
    b.digits = digits
    return b


# ----------------------------------------------------------------------------- TOML writing
def toml_value(v: object, depth: int = 0) -> str:
    if isinstance(v, Big):
        return "1" + "0" * v.digits
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x, depth + 1) for x in v) + "]"
    if isinstance(v, dict):
        items = ", ".join(
            f"{json.dumps(str(k))} = {toml_value(x, depth + 1)}" for k, x in v.items()
        )
        return "{ " + items + " }"
    raise TypeError(v)


def toml_doc(top: dict, tables: dict[str, dict]) -> str:
    lines = [f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in top.items()]
    for name, table in tables.items():
        lines.append(f"[{name}]")
        lines += [f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- strategies
hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
)
names = st.one_of(
    st.sampled_from(["baseline", "keep_slack", "touchpoints", "defaults", "", " ", "a/b", ".."]),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,12}", fullmatch=True),
    hostile_text,
)
numbers = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0.0, max_value=1.0),
    st.integers(min_value=20, max_value=5000).map(big),
)
scalars = st.one_of(numbers, st.booleans(), hostile_text)
#: A count (points, seeds, weeks, levels): small when valid, else anything out of range.
counts = st.one_of(
    st.integers(1, 3),
    st.integers(max_value=0),
    st.integers(min_value=10**7, max_value=2**70),
    st.integers(min_value=20, max_value=5000).map(big),
    st.floats(),
    st.booleans(),
    hostile_text,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(names, inner, max_size=3)),
    max_leaves=6,
)
#: A param value: usually a number in range, sometimes anything.
param_values = st.one_of(st.floats(min_value=0.0, max_value=1.0), st.integers(0, 20), values)


@st.composite
def scenario_files(draw) -> str:
    top: dict = {}
    for key in draw(
        st.lists(
            st.sampled_from(
                [
                    "name",
                    "title",
                    "description",
                    "recommendation",
                    "inherits",
                    "weeks",
                    "seeds",
                    "order",
                    "titel",
                    "touchpoints",
                ]
            ),
            max_size=5,
            unique=True,
        )
    ):
        if key in ("weeks", "seeds"):
            top[key] = draw(counts)
        elif key == "inherits":
            top[key] = draw(st.one_of(st.sampled_from(["baseline", "defaults"]), names, scalars))
        elif key == "name":
            top[key] = draw(names)
        else:
            top[key] = draw(scalars)
    params = draw(
        st.dictionaries(st.one_of(st.sampled_from(PARAMS), names), param_values, max_size=4)
    )
    tables = {"params": params} if params or draw(st.booleans()) else {}
    return toml_doc(top, tables)


raw_files = st.one_of(
    hostile_text,
    st.integers(1, 3000).map(lambda n: "a = " + "[" * n + "]" * n + "\n"),
    st.integers(1, 3000).map(lambda n: "a = " + "{b=" * n + "1" + "}" * n + "\n"),
    st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
)


def call(argv: list[str]) -> tuple[int, str, str]:
    """Run the command line in this process; an escaping exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # --help
            status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def check(status: int, err: str) -> None:
    event(f"exit {status}")
    assert status in (0, 2), (status, err)
    assert "Traceback" not in err
    if status == 2:
        lines = err.splitlines()
        assert lines and lines[0].startswith("workplace-sim: error: "), err
        assert len(lines) <= 30, err


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


# ----------------------------------------------------------------------------- validate
@SETTINGS
@given(text=st.one_of(scenario_files(), raw_files))
def test_validate_generated_scenario_files(folder, text):
    f = folder / "gen.toml"
    f.write_text(text, encoding="utf-8", errors="surrogatepass")
    status, _, err = call(["validate", str(f)])
    check(status, err)


@SETTINGS
@given(refs=st.lists(names, min_size=1, max_size=3))
def test_validate_generated_names(refs):
    status, _, err = call(["validate", "--", *refs])
    check(status, err)


# ----------------------------------------------------------------------------- run
small_int = st.one_of(
    st.integers(1, 2).map(str),
    st.integers(-(10**3), 0).map(str),
    st.integers(min_value=2000, max_value=10**30).map(str),
    st.sampled_from(["", " ", "x", "1.5", "1e3", "nan", "٣", "1_0", "0x10"]),
    st.integers(40, 500).map(lambda n: "9" * n),
)
set_items = st.builds(
    lambda k, v: f"{k}={v}",
    st.one_of(st.sampled_from(PARAMS), names),
    st.one_of(
        st.floats(0, 1).map(repr),
        st.integers(0, 30).map(str),
        small_int,
        hostile_text,
    ),
)


@st.composite
def run_flags(draw) -> list[str]:
    flags: list[str] = []
    if draw(st.booleans()):
        flags += ["--seeds", draw(small_int)]
    if draw(st.booleans()):
        flags += ["--weeks", draw(small_int)]
    if draw(st.booleans()):
        flags += ["--agents", draw(st.one_of(st.integers(10, 40).map(str), small_int))]
    if draw(st.booleans()):
        flags += ["--jobs", draw(st.one_of(st.just("1"), small_int))]
    if draw(st.booleans()):
        flags += ["--root-seed", draw(st.one_of(st.integers(0, 2**64).map(str), small_int))]
    if draw(st.booleans()):
        flags += ["--posterior", draw(st.one_of(st.just("0"), small_int))]
    for item in draw(st.lists(set_items, max_size=2)):
        flags += ["--set", item]
    if draw(st.booleans()):
        flags += ["--out", draw(st.sampled_from(["", " ", "/proc/nope/x"]))]
    if draw(st.booleans()):
        flags.append(draw(st.sampled_from(["--frobnicate", "-x", "--seed", "--json"])))
    return flags


@SETTINGS
@given(scenarios=st.lists(names, max_size=2), flags=run_flags())
def test_run_generated_flags(scenarios, flags):
    # Valid runs stay tiny: these come first, and generated flags after them win.
    small = ["--agents", "30", "--weeks", "3", "--seeds", "1", "--quiet"]
    status, _, err = call(["run", *small, *flags, "--", *scenarios])
    check(status, err)


@SETTINGS
@given(text=scenario_files())
def test_run_generated_scenario_files(folder, text):
    f = folder / "run_gen.toml"
    f.write_text(text, encoding="utf-8")
    status, _, err = call(["run", str(f), "--agents", "30", "--weeks", "3", "--seeds", "1", "-q"])
    check(status, err)


# ----------------------------------------------------------------------------- sweep
factor = st.one_of(
    st.fixed_dictionaries({"min": st.floats(0, 0.5), "max": st.floats(0.5, 1)}),
    st.fixed_dictionaries({"min": numbers, "max": numbers}, optional={"levels": counts}),
    st.lists(st.one_of(st.floats(0, 1), numbers), min_size=0, max_size=3),
    values,
)


@st.composite
def sweep_specs(draw) -> str:
    """A small valid spec, then none, one or two fields replaced by generated values."""
    design = draw(st.sampled_from(["grid", "lhs"]))
    top: dict = {"design": design, "weeks": draw(st.integers(1, 3)), "seeds": 1}
    if design == "lhs":
        top["points"] = draw(st.integers(1, 3))
    vary = {
        draw(st.sampled_from(["touchpoints", "output_conversion", "psych_safety"])): draw(
            st.one_of(
                st.lists(st.floats(0, 1), min_size=1, max_size=2, unique=True),
                st.fixed_dictionaries({"min": st.floats(0, 0.4), "max": st.floats(0.6, 1)}),
            )
        )
    }
    if draw(st.booleans()):
        vary["span_of_control"] = {"min": 3, "max": 5, "levels": draw(st.integers(2, 9))}
    tables = {"params": {"n_agents": 30}, "vary": vary, "outputs": {"outcomes": ["output"]}}
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.sampled_from(["top", "vary", "outputs", "params"]))
        key = draw(
            st.one_of(
                st.sampled_from(
                    [
                        "design",
                        "points",
                        "seeds",
                        "weeks",
                        "levels",
                        "root_seed",
                        "name",
                        "second_order",
                        "scenario",
                        "touchpoints",
                        "min",
                        "outcomes",
                    ]
                ),
                names,
            )
        )
        value = draw(st.one_of(counts, values, factor))
        if where == "top":
            top[key] = value
        elif where == "params" and key != "n_agents":
            tables["params"][key] = value
        else:
            tables[where][key] = value
    return toml_doc(top, tables)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=st.one_of(sweep_specs(), raw_files))
def test_sweep_generated_specs(folder, text):
    with tempfile.TemporaryDirectory(dir=folder) as d:
        spec = Path(d) / "spec.toml"
        spec.write_text(text, encoding="utf-8", errors="surrogatepass")
        status, _, err = call(
            ["sweep", str(spec), "--out", str(Path(d) / "out"), "-e", "local", "-q", "--json"]
        )
    # A sweep whose runs all finish exits 0; runs that raise exit 1 (recorded, not crashed).
    event(f"exit {status}")
    assert status in (0, 1, 2), (status, err)
    if status != 1:
        check(status, err)
