"""Rewrite the ranges of ``scenarios/sweeps/morris_all.toml`` around the calibrated baseline.

Every numeric parameter of kind behaviour or evidence is varied +-25% around its value in
the ``baseline`` scenario, clipped to its allowed range (integers widened to whole weeks).
Only the ``[vary]`` table is rewritten; comments, ``[params]`` and ``[outputs]`` are kept.
Run it after a recalibration or after adding a parameter (``tests/test_params.py`` checks
that the spec screens every such parameter and that each range holds the baseline value)::

    PYTHONPATH=$PWD python scripts/morris_ranges.py
"""

from __future__ import annotations

import math
from pathlib import Path

import tomlkit

import sim
from sim.params import Params

SPEC = Path(__file__).resolve().parent.parent / "scenarios" / "sweeps" / "morris_all.toml"


def ranges() -> dict[str, dict[str, float | int]]:
    """The +-25% range of every behaviour and evidence parameter, in declaration order.

    Integers are non-negative here (counts of weeks); a real may be negative.
    """
    base = sim.load_scenario("baseline").params
    out: dict[str, dict[str, float | int]] = {}
    for name, s in Params.spec().items():
        if s["kind"] not in ("behaviour", "evidence"):
            continue
        v = getattr(base, name)
        if s["type"] is int:
            lo, hi = max(s["lo"], math.floor(0.75 * v)), min(s["hi"], math.ceil(1.25 * v))
            out[name] = {"min": int(lo), "max": int(hi)}
        else:  # +-25% of the size: for a negative value 1.25 v is the lower end
            lo, hi = max(s["lo"], v - 0.25 * abs(v)), min(s["hi"], v + 0.25 * abs(v))
            out[name] = {"min": float(f"{lo:.6g}"), "max": float(f"{hi:.6g}")}
    return out


def main() -> None:
    """Rewrite the spec's ``[vary]`` table and say how many parameters it screens."""
    doc = tomlkit.parse(SPEC.read_text())
    vary = tomlkit.table()
    for name, r in ranges().items():
        cell = tomlkit.inline_table()
        cell.update(r)
        vary[name] = cell
    doc["vary"] = vary
    SPEC.write_text(tomlkit.dumps(doc))
    print(f"wrote {SPEC}: {len(vary)} parameters")


if __name__ == "__main__":
    main()
