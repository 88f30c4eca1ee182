"""Judge a change of the model by the paired change of its cross-validation (the rule).

A change is cross-validated at roots it has not been measured at, beside the committed
model's run at the same roots (``calibrate --cross-validate --root-seed S ... --workdir DIR
--no-write``). At each root the error over all 32 figures predicted without their block is
the mean of ``|out_points|`` in ``DIR/root-S/crossval.csv``; the paired change is the
change's error less the committed model's. The rule (``docs/calibration.md``,
*Cross-validation*), fixed on 5 December 2026:

- ``--kind evidence`` (a judged constant replaced by a value from a named survey or study):
  kept unless clearly worse, that is unless the mean paired change over (at least three)
  roots exceeds two standard errors, the standard error being the changes' standard
  deviation over sqrt(n) but at least 3.5 / sqrt(n) (3.5 is the spread measured over the
  changes tested before the rule);
- ``--kind mechanism`` (anything without such evidence): kept only if the mean paired
  change over at least six roots is below zero.

A validation pattern that fails, or (for evidence) a clear loss in sample, sets a change
aside too; this script judges only the cross-validation. Beside the verdict it prints the
error without the blocks whose figures alone carry a parameter (relations: ``trust_rate``;
freelancers: ``skill_rate``), whose left-out fits make the heavy tails.

Usage (from the project root)::

    python scripts/paired_change.py results/crossval_newroots results/crossval_change \
        --kind evidence
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
from pathlib import Path

#: Standard deviation of a root's paired change over the changes tested under the median
#: rule (the trust_rate prior, skills growing with proficiency, autonomy from the GSS).
SD_FLOOR = 3.5
MIN_ROOTS = {"evidence": 3, "mechanism": 6}
TAIL_BLOCKS = ("relations", "freelancers")


def root_errors(workdir: Path) -> dict[int, tuple[float, float]]:
    """Per root seed: the all-figures out-of-block error and the same without the tail blocks."""
    out = {}
    for path in sorted(workdir.glob("root-*/crossval.csv")):
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
        try:  # out_points is |prediction - value| in points (sim.calibration.crossval)
            points = [(r["block"], float(r["out_points"])) for r in rows]
        except (KeyError, TypeError, ValueError):
            points = []
        if not points:
            raise ValueError(f"{path}: not a crossval.csv of calibrate --cross-validate")
        out[int(path.parent.name.removeprefix("root-"))] = (
            statistics.fmean(x for _, x in points),
            statistics.fmean(x for block, x in points if block not in TAIL_BLOCKS),
        )
    return out


def judge(changes: list[float], kind: str) -> tuple[float, float, float, bool]:
    """Mean paired change, its standard error (with the floor), the limit and whether kept."""
    n = len(changes)
    mean = statistics.fmean(changes)
    sd = statistics.stdev(changes) if n > 1 else 0.0
    se = max(sd, SD_FLOOR) / math.sqrt(n)
    if kind == "evidence":
        limit = 2.0 * se
        return mean, se, limit, mean <= limit
    return mean, se, 0.0, mean < 0.0


class _Parser(argparse.ArgumentParser):
    """An error is one line saying what is wrong; exit status 2."""

    def error(self, message: str):
        sys.stderr.write(f"paired_change: {message}\n")
        sys.exit(2)


def main(argv: list[str] | None = None) -> int:
    """Print each root's errors, the mean paired change and the verdict."""
    parser = _Parser(description=__doc__.splitlines()[0])
    parser.add_argument("committed", type=Path, help="committed model's folder")
    parser.add_argument("change", type=Path, help="the change's folder")
    parser.add_argument("--kind", choices=sorted(MIN_ROOTS), required=True)
    args = parser.parse_args(argv)
    for folder in (args.committed, args.change):
        if not folder.is_dir():
            parser.error(f"no folder {folder}: give a --workdir of calibrate --cross-validate")
    try:
        base, new = root_errors(args.committed), root_errors(args.change)
    except ValueError as exc:
        parser.error(str(exc))
    roots = sorted(set(base) & set(new))
    if len(roots) < MIN_ROOTS[args.kind]:
        parser.error(
            f"{len(roots)} roots in common ({roots}); a change of kind {args.kind!r} needs "
            f"at least {MIN_ROOTS[args.kind]}"
        )
    print("root   committed  change  paired   (without relations and freelancers)")
    for r in roots:
        (b, bc), (c, cc) = base[r], new[r]
        print(f"{r:<6} {b:9.2f} {c:7.2f} {c - b:+7.2f}   {bc:6.2f} {cc:6.2f} {cc - bc:+6.2f}")
    changes = [new[r][0] - base[r][0] for r in roots]
    core = [new[r][1] - base[r][1] for r in roots]
    mean, se, limit, kept = judge(changes, args.kind)
    print(f"mean paired change {mean:+.2f} (standard error {se:.2f}, floor {SD_FLOOR}/sqrt(n))")
    print(f"without the tail blocks: {statistics.fmean(core):+.2f}")
    if args.kind == "evidence":
        print(f"limit (two standard errors): {limit:.2f}")
    print("verdict: " + ("kept" if kept else "set aside") + " by the cross-validation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
