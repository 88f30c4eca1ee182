"""Print the Markdown tables of docs/sensitivity.md from a finished ``morris_all`` screening.

Usage (from the project root, after ``workplace-sim sensitivity morris_all --workers 2
--out results/sweeps/morris_all``)::

    PYTHONPATH=$PWD python scripts/sensitivity_doc.py [results/sweeps/morris_all]

The output replaces the sections from "### FTE burnout share" to the end of "### Every
parameter's rank" in docs/sensitivity.md: for each output the twelve largest effects, then
every parameter's rank. "(new)" marks the rules' former constants (``RULE_CONSTANTS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from sim.params import RULE_CONSTANTS, Params

#: Outputs in the order of the doc, with their headings.
OUTPUTS = {
    "burnout_share": "FTE burnout share",
    "annual_quit_rate": "yearly quit rate",
    "true_productivity_gain": "true productivity gain",
    "trust_gap": "trust gap (AI minus coworkers)",
}
#: Largest effects listed per output.
TOP = 12


def label(name: str) -> str:
    """The parameter in code font, marked "(new)" if it was one of the rules' constants."""
    return f"`{name}`" + (" (new)" if name in RULE_CONSTANTS else "")


def main() -> None:
    """Print the per-output tables and the rank table."""
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "results/sweeps/morris_all")
    table = pd.read_csv(folder / "sensitivity.csv")
    kinds = {name: s["kind"] for name, s in Params.spec().items()}
    ranks = {}
    for output, heading in OUTPUTS.items():
        t = table[table["output"] == output].sort_values("mu_star", ascending=False)
        t = t.reset_index(drop=True)
        # Rank 1 is the largest effect; None: no effect at all.
        ranks[output] = {
            p: (None if m == 0 else i + 1)
            for i, (p, m) in enumerate(zip(t["parameter"], t["mu_star"], strict=True))
        }
        print(f"### {heading} (`{output}`)\n")
        print("| rank | parameter | kind | mu* | 95% interval | mu | sigma |")
        print("|---|---|---|---|---|---|---|")
        for i, r in t.head(TOP).iterrows():
            print(
                f"| {i + 1} | {label(r.parameter)} | {kinds[r.parameter]} | {r.mu_star:.4f} "
                f"| ±{r.mu_star_conf:.4f} | {r.mu:+.4f} | {r.sigma:.4f} |"
            )
        print()
    print("### Every parameter's rank\n")
    print(
        "Rank by mu* (1 = largest) for each output; `-`: no effect at all (mu* exactly 0); "
        "(new): one of the rules' former constants.\n"
    )
    print("| parameter | kind | burnout | quits | true gain | trust gap |")
    print("|---|---|---|---|---|---|")

    def best(p: str) -> int:
        """The parameter's best rank over the outputs (no effect anywhere: last)."""
        return min((r[p] for r in ranks.values() if r.get(p)), default=10**6)

    for p in sorted(ranks["burnout_share"], key=lambda p: (best(p), p)):
        cells = " | ".join(str(ranks[o].get(p) or "-") for o in OUTPUTS)
        print(f"| {label(p)} | {kinds[p]} | {cells} |")


if __name__ == "__main__":
    main()
