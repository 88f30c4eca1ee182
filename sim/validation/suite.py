"""Running the pattern suite: the model runs each pattern needs, and its verdict."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim import survey
from sim.calendar import DEFAULT_WEEKS, HORIZONS
from sim.errors import UserError
from sim.executors import check_jobs, run_tasks
from sim.experiment.seeds import DEFAULT_ROOT_SEED, spawn_seeds
from sim.experiment.summary import interval
from sim.inputs import check_int
from sim.model import BURNOUT_CUT, WorkplaceModel
from sim.params import Params
from sim.scenarios import load_scenario
from sim.validation.measures import (
    COMBINED,
    KNIFE_STEP,
    LEVERS,
    STATISTICS,
    STATUS_QUO,
    Runs,
)
from sim.validation.patterns import Pattern, load_patterns
from sim.validation.stats import (
    icc1,
    point_biserial,
    relative_risk,
)

__all__ = [
    "DEFAULT_AGENTS",
    "DEFAULT_SEEDS",
    "QUICK_AGENTS",
    "QUICK_SEEDS",
    "STATISTICS",
    "CheckResult",
    "PatternResult",
    "check",
    "knife_edge_variants",
    "select",
    "without_ai",
]

#: Default and quick sizes of a check.
DEFAULT_SEEDS, DEFAULT_AGENTS = 16, 1000
QUICK_SEEDS, QUICK_AGENTS = 3, 200
#: Weeks of the no-AI run (five years).
NO_AI_WEEKS = 260
#: Week of the snapshot for following people over the next year (spring 2024 wave).
FOLLOW_FROM = 52
#: Follow-up window for leaving, in weeks.
FOLLOW_WEEKS = 52
#: Intention to quit above which a person counts as intending to leave.
INTENT_CUT = 0.5
#: At most this many seeds (the first of the common list) per knife-edge variant: the
#: differences are paired on common seeds, so 8 pin them to about a point, at half the cost.
KNIFE_SEEDS = 8
#: Verdicts.
PASS, FAIL, NOT_MEASURABLE = "PASS", "FAIL", "NOT MEASURABLE"


# ============================================================================ switching AI off
def without_ai(params: Params) -> Params:
    """Return ``params`` for the same organisation in a world where generative AI never arrives.

    The calendar switch ``generative_ai = 0``: tool quality stays 0, so no one
    takes AI up and nothing changes at the week AI would have arrived; work,
    burnout, ties, intentions and turnover run as in ``params``.
    """
    return params.replace(generative_ai=0)


def knife_edge_variants(params: Params) -> list[tuple[str, dict[str, float]]]:
    """One-at-a-time changes of +-KNIFE_STEP to every behaviour and evidence parameter.

    Each value is multiplied by ``1 +- KNIFE_STEP`` and clipped to its allowed
    range; integers are rounded (at least one step away); a change that leaves
    the value where it was (a zero, or a value at its bound) is dropped.

    Returns:
        ``[(label, {name: value}), ...]`` with labels like ``"recovery_rate +10%"``.
    """
    out = []
    spec = Params.spec()
    for name in Params.names("behaviour") + Params.names("evidence"):
        s, v = spec[name], getattr(params, name)
        for sign in (+1, -1):
            new = min(max(v * (1 + sign * KNIFE_STEP), s["lo"]), s["hi"])
            if s["type"] is int:
                new = round(new)
                if new == v:
                    new = min(max(v + sign, s["lo"]), s["hi"])
                new = int(new)
            if new != v:
                out.append((f"{name} {'+' if sign > 0 else '-'}{KNIFE_STEP:.0%}", {name: new}))
    return out


# ============================================================================ model runs
def _run_probe(params: dict[str, Any], seed: int, weeks: int) -> dict[str, Any]:
    """Run the model week by week, reading its arrays; return the per-run statistics.

    People are followed by position: the occupant at week FOLLOW_FROM has left by
    the end of the follow-up when the position's tenure no longer counts every
    week since (a vacancy stops the count; a hire restarts it at zero).
    """
    model = WorkplaceModel(params, rng=seed)
    s = model.state
    share = np.empty(weeks + 1)
    fl_share = np.empty(weeks + 1)
    snap: dict[str, np.ndarray] | None = None
    for week in range(weeks + 1):
        if week:
            model.step()
        emp = s.occupied & s.employee
        fl = s.occupied & s.freelancer
        user = s.adoption > survey.USER_THRESHOLD
        share[week] = np.count_nonzero(emp & user) / max(np.count_nonzero(emp), 1)
        fl_share[week] = np.count_nonzero(fl & user) / max(np.count_nonzero(fl), 1)
        if week == FOLLOW_FROM:
            snap = {
                "who": emp.copy(),
                "burnt": s.burnout > BURNOUT_CUT,
                "intent": s.quit_intention > INTENT_CUT,
                "intention": s.quit_intention.copy(),
                "tenure": s.tenure.copy(),
            }
        if snap is not None and week == FOLLOW_FROM + FOLLOW_WEEKS:
            left = s.tenure != snap["tenure"] + FOLLOW_WEEKS
            snap["left"] = left
    out = model.outcomes()
    emp = np.flatnonzero(s.occupied & s.employee)
    users = emp[s.adoption[emp] > survey.USER_THRESHOLD]
    res: dict[str, Any] = {
        "adoption_share": share,
        "freelancer_adoption_share": fl_share,
        "burnout_share": out["burnout_share"],
        "annual_quit_rate": out["annual_quit_rate"],
        "true_gain_users": float(s.true_gain[users].mean()) if users.size else math.nan,
        "reported_gain_users": float(s.reported_gain[users].mean()) if users.size else math.nan,
        "exhaustion_icc1": icc1(s.burnout[emp], s.team[emp]),
    }
    if snap is not None and "left" in snap:
        who = snap["who"]
        left = snap["left"][who]
        res["burnout_rr"] = relative_risk(left, snap["burnt"][who])
        intent = snap["intent"][who]
        res["intent_conversion"] = float(left[intent].mean()) if intent.any() else math.nan
        res["intent_corr"] = point_biserial(snap["intention"][who], left)
        res["burnt_share_at_follow"] = float(snap["burnt"][who].mean())
        res["leave_share"] = float(left.mean())
    return res


def _run_no_ai(params: dict[str, Any], seed: int, weeks: int) -> dict[str, Any]:
    """Run the organisation without AI; return the weekly series the stationarity needs."""
    model = WorkplaceModel(params, rng=seed).run(weeks)
    se = model.series()
    fte = se["headcount_ic"] + se["headcount_manager"] + se["headcount_executive"]
    quits = se["quits"].to_numpy(float)[1:]
    return {
        "burnout_share": se["burnout_share"].to_numpy(float)[1:],
        "quit_rate": quits / np.maximum(fte.to_numpy(float)[1:], 1.0) * 52.0,
        "tie_strength": se["mean_tie_strength"].to_numpy(float)[1:],
        "headcount": fte.to_numpy(float)[1:],
        "adoption": se["adoption"].to_numpy(float)[1:],
    }


def _run_burnout(params: dict[str, Any], seed: int, weeks: int) -> dict[str, Any]:
    """Run a variant; return the FTE burnout share at the end."""
    return {
        "burnout_share": WorkplaceModel(params, rng=seed).run(weeks).outcomes()["burnout_share"]
    }


def _run_redesign(params: dict[str, Any], seed: int, weeks: int) -> dict[str, Any]:
    """Run a redesign from the status quo; return the FTE burnout share two years after it starts.

    ``params`` holds the redesign's parameters and, under ``status_quo``, the
    status quo's: the levers switch at ``sim.calendar.REDESIGN_WEEK``.
    """
    model = WorkplaceModel(params["redesign"], rng=seed, status_quo=params["status_quo"])
    return {"burnout_share": model.run(weeks).horizon_outcomes[max(HORIZONS)]["burnout_share"]}


_RUNNERS: dict[str, Callable[[dict[str, Any], int, int], dict[str, Any]]] = {
    "probe": _run_probe,
    "no_ai": _run_no_ai,
    "burnout": _run_burnout,
    "redesign": _run_redesign,
}


def _task(task: tuple[str, dict[str, Any], int, int]) -> dict[str, Any]:
    """Run one task ``(kind, params, seed, weeks)`` (in a worker or in this process)."""
    kind, params, seed, weeks = task
    return _RUNNERS[kind](params, seed, weeks)


@dataclass
class PatternResult:
    """A pattern's outcome: the model's value, its interval over seeds, and the verdict."""

    pattern: Pattern
    value: float
    low: float
    high: float
    values: list[float]
    verdict: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary for JSON (NaN and inf as None)."""

        def num(x: float) -> float | None:
            return float(x) if math.isfinite(x) else None

        p = self.pattern
        return {
            "id": p.id,
            "group": p.group,
            "title": p.title,
            "statistic": p.statistic,
            "what": STATISTICS[p.statistic].what,
            "unit": p.unit,
            "band": [num(p.band[0]), num(p.band[1])],
            "value": num(self.value),
            "low": num(self.low),
            "high": num(self.high),
            "values": [num(v) for v in self.values],
            "verdict": self.verdict,
            "detail": self.detail,
            "source": p.source,
            "rationale": p.rationale,
        }


@dataclass
class CheckResult:
    """Every pattern's result, with the sizes it was run at and the runs (for figures)."""

    results: list[PatternResult]
    seeds: int
    agents: int
    root_seed: int
    runs: Runs

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary for JSON."""
        return {
            "seeds": self.seeds,
            "agents": self.agents,
            "root_seed": self.root_seed,
            "passed": sum(r.verdict == PASS for r in self.results),
            "failed": sum(r.verdict == FAIL for r in self.results),
            "patterns": [r.to_dict() for r in self.results],
        }


def check(
    patterns: Sequence[Pattern] | None = None,
    *,
    seeds: int = DEFAULT_SEEDS,
    agents: int | None = DEFAULT_AGENTS,
    jobs: int = 1,
    root_seed: int | None = None,
    scenario: str = "baseline",
) -> CheckResult:
    """Run the model and give every pattern its value, interval and verdict.

    Every variant (the baseline, without AI, each lever, each knife-edge change)
    runs on the same seeds (common random numbers), and effects are differences
    from the baseline taken seed by seed.

    Args:
        patterns: the patterns to check (default: the bundled file's).
        seeds: replicates (at least 2 for an interval).
        agents: positions in the organisation (default 1000; None: the scenario's).
        jobs: worker processes; any value gives the same numbers.
        root_seed: root of the replicate seeds (default: the runner's).
        scenario: the calibrated model to test (a bundled name or a file).

    Raises:
        UserError: for a bad count or scenario.
    """
    pats = list(patterns) if patterns is not None else load_patterns()
    n = check_int("seeds", seeds, (1, 1000))
    jobs = check_jobs(jobs)
    root = DEFAULT_ROOT_SEED if root_seed is None else root_seed
    base = load_scenario(scenario)
    weeks = max(base.weeks, FOLLOW_FROM + FOLLOW_WEEKS)
    params = base.params if agents is None else base.params.replace(n_agents=agents)
    seed_list = spawn_seeds(root, n)
    needs = {k for p in pats for k in STATISTICS[p.statistic].needs}

    variants: dict[str, Params] = {}
    redesigns: dict[str, dict[str, Any]] = {}
    if "levers" in needs:
        for name in (STATUS_QUO, *LEVERS, COMBINED):
            sc = params if name == STATUS_QUO else load_scenario(name).params
            redesign = sc.replace(n_agents=params.n_agents).to_dict()
            redesigns[name] = {"redesign": redesign, "status_quo": params.to_dict()}
    if "knife" in needs:
        for label, change in knife_edge_variants(params):
            variants[label] = params.replace(**change)
    tasks: list[tuple[str, dict[str, Any], int, int]] = []
    base_dict = params.to_dict()
    if "probe" in needs or variants or redesigns:
        tasks += [("probe", base_dict, s, weeks) for s in seed_list]
    if "no_ai" in needs:
        no_ai = without_ai(params).to_dict()
        tasks += [("no_ai", no_ai, s, NO_AI_WEEKS) for s in seed_list]
    sizes = {name: n if name in (*LEVERS, COMBINED) else min(n, KNIFE_SEEDS) for name in variants}
    for name, v in variants.items():
        tasks += [("burnout", v.to_dict(), s, weeks) for s in seed_list[: sizes[name]]]
    for job in redesigns.values():
        tasks += [("redesign", job, s, DEFAULT_WEEKS) for s in seed_list]
    outs = run_tasks(_task, tasks, jobs)

    runs = Runs(seeds=seed_list)
    k = 0
    if "probe" in needs or variants or redesigns:
        runs.probe, k = outs[:n], n
    if "no_ai" in needs:
        runs.no_ai, k = outs[k : k + n], k + n
    for name in variants:
        runs.variants[name] = [o["burnout_share"] for o in outs[k : k + sizes[name]]]
        k += sizes[name]
    for name in redesigns:
        runs.variants[name] = [o["burnout_share"] for o in outs[k : k + n]]
        k += n

    results = []
    for p in pats:
        values, detail = STATISTICS[p.statistic].per_seed(runs)
        if not values:
            results.append(
                PatternResult(
                    p, math.nan, math.nan, math.nan, [], NOT_MEASURABLE, "no runs measure it yet"
                )
            )
            continue
        finite = [v for v in values if math.isfinite(v)]
        mean, lo, hi = interval(finite) if finite else (math.nan, math.nan, math.nan)
        if len(finite) < len(values) and not detail:
            detail = f"undefined in {len(values) - len(finite)} of {len(values)} runs"
        verdict = PASS if p.holds(mean) else FAIL
        results.append(PatternResult(p, mean, lo, hi, values, verdict, detail))
    return CheckResult(results, n, params.n_agents, int(root), runs)


def select(patterns: Sequence[Pattern], only: str | None) -> list[Pattern]:
    """Return the patterns whose ids are in the comma-separated ``only`` (all when None).

    Raises:
        UserError: for an id the file does not have, or for ``only`` naming no id at
            all (``""``, ``","``), each with the ids available.
    """
    if only is None:
        return list(patterns)
    ids = [x.strip() for x in only.split(",") if x.strip()]
    known = {p.id for p in patterns}
    if not ids:
        raise UserError(
            f"no pattern id in {only!r}: name one or more, separated by commas"
            f" (available: {', '.join(sorted(known))})"
        )
    for i in ids:
        if i not in known:
            raise UserError(f"unknown pattern '{i}' (available: {', '.join(sorted(known))})")
    return [p for p in patterns if p.id in ids]
