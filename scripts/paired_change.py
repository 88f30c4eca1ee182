"""Judge a change of the model by the paired change of its cross-validation (the rule).

A change is cross-validated at roots it has not been measured at, beside the committed
model's run at the same roots (``calibrate --cross-validate --root-seed S ... --workdir DIR
--no-write``). At each root the error over all 32 figures predicted without their block is
the mean of ``|out_points|`` in ``DIR/root-S/crossval.csv``; the paired change is the
change's error less the committed model's. The rule (``docs/calibration.md``,
*Cross-validation*), fixed on 5 December 2026 and revised on 7 December:

- ``--kind evidence`` (a judged constant replaced by a value from a named survey or study):
  kept unless clearly worse, that is unless the mean paired change over (at least three)
  roots exceeds two standard errors, the standard error being the changes' standard
  deviation over sqrt(n) but at least 3.5 / sqrt(n) (3.5 is the spread measured over the
  changes tested before the rule);
- ``--kind mechanism`` (anything without such evidence): kept only if the mean paired
  change over at least six roots is below zero.

A validation pattern that fails sets a change aside too; this script judges only the
cross-validation. (Until 7 December 2026 a clear loss in sample set an evidence change aside
as well; that clause was withdrawn, *Model revisions* in ``docs/calibration.md``.) Beside
the verdict it prints the error without the blocks whose figures alone carry a parameter
(relations: ``trust_rate``; freelancers: ``skill_rate``), whose left-out fits make the heavy
tails.

Usage (from the project root)::

    python scripts/paired_change.py results/crossval_newroots results/crossval_change \
        --kind evidence

The committed model's run can be given as the errors a revision entry records instead of its
folder (the cross-validation is reproducible bit for bit, and ``results/`` is not kept)::

    python scripts/paired_change.py results/crossval_change --kind evidence \
        --recorded 1357=5.48 2468=6.56 3434=6.22
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


def recorded_errors(pairs: list[str]) -> dict[int, tuple[float, float]]:
    """Per root seed, from ``ROOT=ERROR`` pairs: the recorded all-figures error (tail-free: NaN)."""
    out = {}
    for pair in pairs:
        root, _, error = pair.partition("=")
        try:
            out[int(root)] = (float(error), math.nan)
        except ValueError:
            raise ValueError(f"--recorded {pair!r}: expected ROOT=ERROR, e.g. 1357=5.48") from None
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
    parser.add_argument(
        "folders",
        type=Path,
        nargs="+",
        metavar="FOLDER",
        help="the committed model's folder and the change's (only the change's with --recorded)",
    )
    parser.add_argument("--kind", choices=sorted(MIN_ROOTS), required=True)
    parser.add_argument(
        "--recorded",
        nargs="+",
        metavar="ROOT=ERROR",
        help="the committed model's all-32 out-of-block error per root, as a revision records it",
    )
    args = parser.parse_args(argv)
    wanted = 1 if args.recorded else 2
    if len(args.folders) != wanted:
        parser.error(
            f"{len(args.folders)} folders given; expected {wanted}: "
            + (
                "the change's (with --recorded)"
                if args.recorded
                else "the committed and the change's"
            )
        )
    for folder in args.folders:
        if not folder.is_dir():
            parser.error(f"no folder {folder}: give a --workdir of calibrate --cross-validate")
    try:
        if args.recorded:
            base, new = recorded_errors(args.recorded), root_errors(args.folders[0])
        else:
            base, new = root_errors(args.folders[0]), root_errors(args.folders[1])
    except ValueError as exc:
        parser.error(str(exc))
    roots = sorted(set(base) & set(new))
    if len(roots) < MIN_ROOTS[args.kind]:
        parser.error(
            f"{len(roots)} roots in common ({roots}); a change of kind {args.kind!r} needs "
            f"at least {MIN_ROOTS[args.kind]}"
        )
    with_tails = not args.recorded  # a revision entry records only the all-figures error
    header = "root   committed  change  paired"
    print(header + ("   (without relations and freelancers)" if with_tails else ""))
    for r in roots:
        (b, bc), (c, cc) = base[r], new[r]
        tail = f"   {bc:6.2f} {cc:6.2f} {cc - bc:+6.2f}" if with_tails else ""
        print(f"{r:<6} {b:9.2f} {c:7.2f} {c - b:+7.2f}" + tail)
    mean, se, limit, kept = judge([new[r][0] - base[r][0] for r in roots], args.kind)
    print(f"mean paired change {mean:+.2f} (standard error {se:.2f}, floor {SD_FLOOR}/sqrt(n))")
    if with_tails:
        core = statistics.fmean(new[r][1] - base[r][1] for r in roots)
        print(f"without the tail blocks: {core:+.2f}")
    if args.kind == "evidence":
        print(f"limit (two standard errors): {limit:.2f}")
    print("verdict: " + ("kept" if kept else "set aside") + " by the cross-validation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
