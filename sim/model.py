"""The workplace model: an organisation moved week by week by the rules of ``sim.rules``.

Example:
    >>> from sim.model import WorkplaceModel
    >>> model = WorkplaceModel(n_agents=300, rng=1).run(104)
    >>> survey = model.survey()          # waves of week 52 (2024) and week 104 (2025)
    >>> sorted(survey.wave.unique().tolist())
    [2024, 2025]
    >>> 0.0 <= model.outcomes()["annual_quit_rate"] <= 1.0
    True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Integral
from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd
from mesa.datacollection import DataCollector
from mesa.discrete_space import Network

from sim import calendar, rules, survey
from sim.agents import AGENT_CLASSES, Worker
from sim.errors import UserError
from sim.inputs import check_int
from sim.organisation import (
    DESIGN_PARAMS,
    EXECUTIVE,
    FREELANCER,
    IC,
    MANAGER,
    ROLE_NAMES,
    Organisation,
    build_organisation,
)
from sim.params import ParameterError, Params, check_mapping
from sim.scenarios import WEEKS_RANGE
from sim.state import DTYPE, TRACKED, AgentState, reorganised, training_chance
from sim.ties import Ties

#: Weekly model-level series (columns of :meth:`WorkplaceModel.series`).
SERIES = (
    "tool_quality",
    "adoption",
    "proficiency",
    "true_gain",
    "reported_gain",
    "workload",
    "burnout",
    "burnout_share",
    "trust_ai",
    "trust_coworkers",
    "trust_gap",
    "mean_tie_strength",
    "alignment",
    "quit_intention",
    "quits",
    "hires",
    "vacancies",
    "headcount_ic",
    "headcount_manager",
    "headcount_executive",
    "headcount_freelancer",
    "output",
    "effective_output",
)

#: Keys of :meth:`WorkplaceModel.outcomes`.
OUTCOMES = (
    "true_productivity_gain",
    "self_reported_gain",
    "adoption",
    "burnout_share",
    "top_quartile_burnout_share",
    "quit_intention",
    "considering_quitting",
    "annual_quit_rate",
    "trust_ai",
    "trust_coworkers",
    "trust_gap",
    "mean_tie_strength",
    "alignment",
    "workload",
    "output",
    "effective_output",
    "quits",
    "hires",
    "vacancies",
    "headcount_ic",
    "headcount_manager",
    "headcount_executive",
    "headcount_freelancer",
    "lever_hours",
    "managers_per_100",
    "released_per_100",
    "burnout_share_1y",
    "annual_quit_rate_1y",
    "effective_output_1y",
)
#: Outcomes also read one year after a redesign starts (keys ``<name>_1y``).
ONE_YEAR = ("burnout_share", "annual_quit_rate", "effective_output")

#: Burnout level above which a person counts as burned out in the true outcomes.
BURNOUT_CUT = 0.5


class OrgNetwork(Network):
    """Mesa's network space, connecting cells in one pass.

    The base class connects edge by edge and clears the cell caches each time.
    """

    def _connect_cells(self) -> None:
        cells, adj = self._cells, self.G._adj
        for node, cell in cells.items():
            cell.connections = {nb: cells[nb] for nb in adj[node]}


class WeeklyCollector(DataCollector):
    """Mesa ``DataCollector`` of the weekly series, filled from values the model computed once.

    The model computes every series from its arrays in one pass (``model._now``);
    collecting appends those numbers (immutable floats and ints, so no copies).
    ``mesa.batch_run`` and ``get_model_vars_dataframe`` work as with the base class.
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__(model_reporters={name: name for name in names})

    def collect(self, model: WorkplaceModel) -> None:  # noqa: D102
        self._collection_steps.append(model.time)
        now = model._now
        for name, values in self.model_vars.items():
            values.append(now[name])


class WorkplaceModel(mesa.Model):
    """An organisation of employees and freelancers adopting AI, one step per week.

    Args:
        params: a :class:`~sim.params.Params`, a mapping of parameter values, or
            None for the defaults.
        rng: seed (an int 0 or more, numpy integers too) or ``numpy.random.Generator``;
            same seed, same numbers. None seeds from the operating system.
        status_quo: the status quo's parameters, for a redesign: until the redesign
            starts (``sim.calendar.REDESIGN_WEEK``, just after the 2025 wave) the
            levers keep the status quo's values, then take ``params``' values.
            Structure (size, spans, freelancer share) is ``params``' from the start.
        **overrides: parameter values that replace those in ``params``.

    Raises:
        sim.params.ParameterError: for an unknown parameter or a value out of range, a
            ``params`` or ``status_quo`` that is not a parameter set (a scenario's
            name or a Scenario get a hint), or a bad ``rng``.

    Attributes:
        params: the validated parameters.
        week: weeks simulated so far.
        state: the per-position state arrays (:class:`~sim.state.AgentState`).
        org: the organisation (positions, reporting lines, ties).
        graph: the organisation as a ``networkx.Graph``.
        space: Mesa network space over ``graph``; every agent is fixed to its cell.
        layout: ``(n, 2)`` positions for drawing the network.
        datacollector: Mesa ``DataCollector`` of the weekly series.
    """

    def __init__(
        self,
        params: Params | Mapping[str, Any] | None = None,
        *,
        rng: int | np.random.Generator | None = None,
        status_quo: Params | Mapping[str, Any] | None = None,
        **overrides: Any,
    ) -> None:
        check_mapping("params", params, params_ok=True)
        check_mapping("status_quo", status_quo, params_ok=True)
        if isinstance(params, Params):
            params = params.replace(**overrides) if overrides else params
        else:
            params = Params.from_mapping(params, **overrides)
        super().__init__(rng=_check_rng("rng", rng))
        #: The parameters from the redesign's start on (all along without a status quo).
        self.redesign = params
        if status_quo is not None:
            if not isinstance(status_quo, Params):
                status_quo = Params.from_mapping(status_quo)
            kept = (*Params.names("lever"), *DESIGN_PARAMS)
            params = params.replace(**{k: getattr(status_quo, k) for k in kept})
        self.params = params
        seq = np.random.SeedSequence(int(self.rng.integers(2**63)))
        org_seq, init_seq, step_seq, survey_seq, redesign_seq = seq.spawn(5)
        self._redesign_seq = redesign_seq
        self._step_rng = np.random.default_rng(step_seq)
        self._survey_key = survey_seq.generate_state(4).tolist()

        org = build_organisation(params, np.random.default_rng(org_seq))
        self._occupants: list[Worker | None] = []
        self._settle_in(org, AgentState.initial(org, params, np.random.default_rng(init_seq)))
        #: Employees released when a redesign cut positions (see sim.state.reorganised).
        self.released = 0

        # Start before AI arrives and spin through the weeks up to week 0 (sim.calendar).
        self.week = calendar.ARRIVAL_WEEK - params.burn_in_weeks
        self._waves: list[survey.Responses] = []
        self._quits: list[int] = []
        self._fte_count: list[int] = []
        self._now: dict[str, float] = {}
        self.datacollector = WeeklyCollector(SERIES)
        #: :meth:`outcomes` at each horizon reached, by weeks after the redesign started.
        self.horizon_outcomes: dict[int, dict[str, float]] = {}
        while self.week < 0:
            self._simulate_week()
        self._record(rules.tool_quality(0, params), quits=0, hires=0, tie_strength=None)
        self.running = True

    # ------------------------------------------------------------------ the week
    def step(self) -> None:
        """Simulate one week and record it: the schedule of docs/ODD.md, section 3."""
        week, quits, hires = self._simulate_week()
        self._record(week.tool_quality, quits, hires, week.tie_strength)
        if self.week in calendar.WAVE_WEEKS:
            wave = calendar.WAVE_WEEKS[self.week]
            self._waves.append(self._take_wave(wave, week.tool_quality))
        if self.week - calendar.REDESIGN_WEEK in calendar.HORIZONS:
            self.horizon_outcomes[self.week - calendar.REDESIGN_WEEK] = self.outcomes()

    def _simulate_week(self) -> tuple[rules.Week, int, int]:
        """Move the state one week by the rules, in the order of the schedule.

        Returns:
            The week's shared quantities, the employees who quit and the hires.
        """
        self.week += 1
        if self.week == calendar.REDESIGN_WEEK and self.params != self.redesign:
            self._start_redesign()
        s, p = self.state, self.params
        week = rules.expose(s, self.ties, self.week, p, self._step_rng)
        rules.manage(s, p, week)
        rules.adopt(s, p, week)
        rules.learn(s, p, week)
        rules.produce(s, p, week)
        rules.assign_work(s, p, week)
        rules.exhaust(s, p, week)
        rules.trust(s, p, week)
        rules.connect(s, p, week)
        rules.align(s, p, week)
        rules.intend(s, p, week)
        left, hired = rules.turnover(s, p, week)
        self._replace_people(left, hired, week.tool_quality)
        s.tenure += s.occupied
        return week, int(np.count_nonzero(s.employee[left])), len(hired)

    def _settle_in(self, org: Organisation, state: AgentState) -> None:
        """Make ``org`` the organisation and ``state`` its people (at the start, or a redesign)."""
        for agent in self._occupants:
            if agent is not None:
                agent.remove()
        self.org = org
        self.adjacency = org.adjacency()
        self._role_positions = np.bincount(org.role, minlength=4)
        self._tie_weight = np.asarray(self.adjacency.sum(axis=1)).ravel().astype(DTYPE)
        self.state = state
        self.ties = Ties.of(self.adjacency, state.freelancer, state.occupied)
        self.layout = org.layout()
        # The networkx graph, Mesa's space and the agents are built when first looked at.
        self._graph: nx.Graph | None = None
        self._space: OrgNetwork | None = None
        self._occupants = [None] * org.n
        # Positions whose Mesa agent is yet to follow the state (see _sync_agents).
        self._stale = state.occupied.copy()

    def _start_redesign(self) -> None:
        """Switch to the redesign (``sim.calendar.REDESIGN_WEEK``).

        A redesign that changes the organisation's shape (``DESIGN_PARAMS``:
        spans, freelancer share...) rebuilds it and moves the people there into
        it (:func:`sim.state.reorganised`: promotions to new manager positions,
        releases where positions go to freelancers). Levers act from then on
        through the rules; employer training also reaches people already here:
        untrained employees are trained with the chance that lifts each role's
        trained share to its chance under the new ``employer_training``
        (:func:`sim.state.training_chance`).
        """
        if any(getattr(self.params, k) != getattr(self.redesign, k) for k in DESIGN_PARAMS):
            rng = np.random.default_rng(self._redesign_seq)
            org = build_organisation(self.redesign, rng)
            q_now = rules.tool_quality(self.week, self.redesign)
            state, released = reorganised(self.state, org, self.redesign, rng, q_now)
            self.released = int(released.size)
            self._settle_in(org, state)
        if self.redesign.employer_training > self.params.employer_training:
            s = self.state
            untrained = np.flatnonzero(s.employee & (s.trained < 0.5))
            before = training_chance(self.params, s.role[untrained])
            after = training_chance(self.redesign, s.role[untrained])
            chance = (after - before) / (1.0 - before)
            s.trained[untrained[self._step_rng.random(untrained.size) < chance]] = 1.0
        self.params = self.redesign

    def run(self, weeks: int) -> WorkplaceModel:
        """Simulate ``weeks`` more weeks and return the model.

        Args:
            weeks: an integer from 0 to 1040 (``sim.scenarios.WEEKS_RANGE``'s cap).

        Raises:
            sim.params.ParameterError: for any other ``weeks``.
        """
        weeks = _checked_int("weeks", weeks, (0, WEEKS_RANGE[1]))
        for _ in range(weeks):
            self.step()
        return self

    # ----------------------------------------------------------------- people
    @property
    def agents(self) -> mesa.agent.AgentSet:
        """All Mesa agents, one per present person (brought up to date with the state)."""
        self._sync_agents()
        return super().agents

    @agents.setter
    def agents(self, value: Any) -> None:
        mesa.Model.agents.fset(self, value)  # Mesa's own error: the attribute is Mesa's

    @property
    def agents_by_type(self) -> dict[type, mesa.agent.AgentSet]:
        """Mesa agents by class (brought up to date with the state)."""
        self._sync_agents()
        return super().agents_by_type

    @property
    def graph(self) -> nx.Graph:
        """The organisation as a ``networkx.Graph``, built on first use.

        Node attributes ``role`` and ``team``; edge attributes ``kind`` and ``weight``.
        """
        if self._graph is None:
            self._graph = self.org.to_networkx()
        return self._graph

    @property
    def space(self) -> Network:
        """The Mesa network space over ``graph``, each present agent fixed to its cell."""
        self._sync_agents()
        return self._network()

    def _network(self) -> OrgNetwork:
        if self._space is None:
            self._space = OrgNetwork(self.graph, layout=None, random=self.random)
            self._cells = list(self._space.all_cells)
        return self._space

    def occupant(self, slot: int) -> Worker | None:
        """Return the agent in position ``slot``, or None while it is vacant.

        Args:
            slot: a position's index, from 0 to the number of positions less one
                (``org.n - 1``); negative indices do not count from the end.

        Raises:
            sim.params.ParameterError: for any other ``slot``.
        """
        slot = _checked_int("slot", slot, (0, self.org.n - 1))
        self._sync_agents()
        return self._occupants[slot]

    def _replace_people(self, left: np.ndarray, hired: np.ndarray, tool_quality: float) -> None:
        """Give the positions filled fresh state; mark the changed positions' agents stale."""
        self.ties.update(left, hired)
        if hired.size:
            self.state.fill(hired, self.params, self._step_rng, tool_quality)
        self._stale[left] = True
        self._stale[hired] = True

    def _sync_agents(self) -> None:
        """Bring the Mesa agents up to date with who holds each position.

        The weekly step changes only the arrays; the agent objects follow when
        they are next looked at (``agents``, ``agents_by_type``, ``space``,
        ``occupant``): the agent of everyone who left since is removed, and a
        new agent is created for every position filled since. Between looks a
        position may change hands more than once; only its present holder gets
        an agent. The numbers never depend on when agents are looked at.
        """
        if not self._stale.any():
            return
        self._network()
        slots = np.flatnonzero(self._stale)
        self._stale[slots] = False
        present, role = self.state.occupied[slots].tolist(), self.state.role[slots].tolist()
        for slot, here, code in zip(slots.tolist(), present, role, strict=True):
            agent = self._occupants[slot]
            if agent is not None:
                agent.remove()
            self._occupants[slot] = (
                AGENT_CLASSES[code](self, slot, self._cells[slot]) if here else None
            )

    # --------------------------------------------------------------- measuring
    def _record(
        self, tool_quality: float, quits: int, hires: int, tie_strength: np.ndarray | None
    ) -> None:
        """Compute this week's model-level series from the arrays and collect them."""
        s = self.state
        occ = s.occupied.astype(DTYPE)
        present_emp = s.occupied & s.employee
        emp = present_emp.astype(DTYPE)
        n_emp = max(float(np.count_nonzero(present_emp)), 1.0)
        mean = dict(zip(TRACKED, (s.values[: len(TRACKED)] @ emp / n_emp).tolist(), strict=True))
        is_user = present_emp & (s.adoption > survey.USER_THRESHOLD)
        users = is_user.astype(DTYPE)
        vacant = np.flatnonzero(~s.occupied)
        heads = self._role_positions - np.bincount(s.role[vacant], minlength=4)
        if tie_strength is None:
            tie_strength = self.adjacency @ occ
        output, effective = rules.output(s, self.params)
        trust_cow = float(survey.coworker_trust(mean["connection"], mean["safety"]))
        self._now = {
            "tool_quality": tool_quality,
            "adoption": mean["adoption"],
            "proficiency": mean["proficiency"],
            "true_gain": mean["true_gain"],
            "reported_gain": float(
                s.reported_gain @ users / max(float(np.count_nonzero(is_user)), 1.0)
            ),
            "workload": mean["workload"],
            "burnout": mean["burnout"],
            "burnout_share": float(emp @ (s.burnout > BURNOUT_CUT) / n_emp),
            "trust_ai": mean["trust_ai"],
            "trust_coworkers": trust_cow,
            "trust_gap": mean["trust_ai"] - trust_cow,
            "mean_tie_strength": float(
                (occ * s.connection) @ tie_strength / max(occ @ self._tie_weight, 1e-12)
            ),
            "alignment": mean["alignment"],
            "quit_intention": mean["quit_intention"],
            "quits": quits,
            "hires": hires,
            "vacancies": vacant.size,
            "headcount_ic": int(heads[IC]),
            "headcount_manager": int(heads[MANAGER]),
            "headcount_executive": int(heads[EXECUTIVE]),
            "headcount_freelancer": int(heads[FREELANCER]),
            "output": output,
            "effective_output": effective,
        }
        self._quits.append(quits)
        self._fte_count.append(int(n_emp))
        self.datacollector.collect(self)

    def _take_wave(self, wave: int, tool_quality: float) -> survey.Responses:
        """Sample and answer a wave now; it is tabulated when asked for."""
        rng = np.random.default_rng([*self._survey_key, abs(wave)])
        ctx = survey.context(self.state, self.adjacency, tool_quality)
        return survey.answer(self.state, ctx, wave, rng)

    def survey(self) -> pd.DataFrame:
        """Return the survey waves taken so far as tidy rows (wave, item, group, value, n).

        Waves are taken at week 52 (``wave`` 2024) and week 104 (``wave`` 2025).
        Before week 52 a wave is taken now, labelled ``-week``.
        """
        if self._waves:
            return pd.concat([w.table() for w in self._waves], ignore_index=True)
        return self._take_wave(-self.week, rules.tool_quality(self.week, self.params)).table()

    def survey_cells(self, keys: list[tuple[str, str, int]]) -> dict[tuple[str, str, int], float]:
        """Return the values of some ``(item, group, wave)`` cells of :meth:`survey`'s table.

        Only those cells are tabulated; a cell the table has no row for, or a wave
        not taken yet, is NaN.

        Args:
            keys: a list of ``(item, group, wave)`` tuples: an item of
                ``sim.survey.ITEMS``, a group of ``sim.survey.GROUPS`` (or
                ``top_vs_rest``) and a wave's year (2024 or 2025).

        Raises:
            sim.params.ParameterError: for keys that are not such a list (a single
                tuple included), or an unknown item, group or wave.
        """
        _check_cells(keys)
        waves = {w.wave: w for w in self._waves}
        out: dict[tuple[str, str, int], float] = {}
        for wave in dict.fromkeys(k[2] for k in keys):
            cells = [(item, group) for item, group, w in keys if w == wave]
            values = waves[wave].cells(cells) if wave in waves else {}
            out.update(((i, g, wave), values.get((i, g), math.nan)) for i, g in cells)
        return out

    def series(self) -> pd.DataFrame:
        """Return the weekly series, one row per week from week 0 (index ``week``).

        The first column, ``date``, is the week's date (``sim.calendar``: week 104
        is 1 April 2025, the middle of the 2025 wave's fieldwork).
        """
        df = self.datacollector.get_model_vars_dataframe()
        df.index = pd.RangeIndex(len(df), name="week")
        df.insert(0, "date", pd.to_datetime([calendar.date_of(w) for w in df.index]))
        return df

    def outcomes(self) -> dict[str, float]:
        """Return the true outcomes no survey sees, at the end of the run.

        Levels are for present employees at the last week; ``output`` and
        ``effective_output`` (net of vacancies and ramp-up) are means over the
        last 52 weeks (or the whole run if shorter); ``annual_quit_rate`` is the
        employees' quits over that window per head, per year;
        ``top_quartile_burnout_share`` is the burnout share among the quarter of
        present employees with the highest reported gain. The costs of the levers:
        ``lever_hours``, the hours a week an employee gives them on average
        (touchpoints, coaching received, and the coaching managers give);
        ``managers_per_100`` employees. ``burnout_share_1y``, ``annual_quit_rate_1y``
        and ``effective_output_1y`` are read one year after a redesign starts
        (``sim.calendar``; NaN if the run has not got there).
        """
        s = self.state
        now = self._now
        window = min(52, self.week) or 1
        quits = sum(self._quits[-window:]) if self.week else 0
        heads = float(np.mean(self._fte_count[-window:]))
        series = self.datacollector.model_vars
        emp = np.flatnonzero(s.occupied & s.employee)
        top = emp[np.argsort(-s.reported_gain[emp], kind="stable")[: max(1, emp.size // 4)]]
        out = {
            "true_productivity_gain": now["true_gain"],
            "self_reported_gain": now["reported_gain"],
            "adoption": now["adoption"],
            "burnout_share": now["burnout_share"],
            "top_quartile_burnout_share": (
                float(np.mean(s.burnout[top] > BURNOUT_CUT)) if top.size else 0.0
            ),
            "quit_intention": now["quit_intention"],
            "considering_quitting": float(np.mean(s.quit_intention[emp] > 0.5))
            if emp.size
            else 0.0,
            "annual_quit_rate": quits / max(heads, 1.0) * 52.0 / window,
            "trust_ai": now["trust_ai"],
            "trust_coworkers": now["trust_coworkers"],
            "trust_gap": now["trust_gap"],
            "mean_tie_strength": now["mean_tie_strength"],
            "alignment": now["alignment"],
            "workload": now["workload"],
            "output": float(np.mean(series["output"][-window:])),
            "effective_output": float(np.mean(series["effective_output"][-window:])),
            "quits": float(sum(self._quits)),
            "hires": float(sum(series["hires"])),
            "vacancies": now["vacancies"],
        }
        for name in ROLE_NAMES:
            out[f"headcount_{name}"] = float(now[f"headcount_{name}"])
        # What the levers cost: hours a week each employee gives them (touchpoints, coaching
        # received, and a manager's coaching of each report), and managers per 100 employees.
        p = self.params
        managers = out["headcount_manager"]
        employees = max(managers + out["headcount_ic"] + out["headcount_executive"], 1.0)
        coaching_given = p.coaching_hours * (out["headcount_ic"] + managers) / employees
        out["lever_hours"] = p.touchpoints + p.coaching_hours + coaching_given
        out["managers_per_100"] = 100.0 * managers / employees
        out["released_per_100"] = 100.0 * self.released / max(float(self.org.n), 1.0)
        year = self.horizon_outcomes.get(calendar.HORIZONS[0], {})
        for name in ONE_YEAR:
            out[f"{name}_1y"] = year.get(name, math.nan)
        return {k: float(out[k]) for k in OUTCOMES}


def simulate(
    params: Params | Mapping[str, Any] | None,
    seed: int,
    weeks: int = 104,
    status_quo: Params | Mapping[str, Any] | None = None,
) -> dict:
    """Run one simulation and return its ``survey``, ``series`` and ``outcomes``.

    The unit every runner and executor uses: the numbers depend only on
    ``params``, ``seed``, ``weeks`` and ``status_quo`` (the levers before the
    redesign starts; see :class:`WorkplaceModel`).

    ``params`` starts from the **model's defaults**, not from a scenario: a
    partial set (say a sweep row's varied parameters) leaves every other
    parameter at its default, which is not the calibrated baseline. To rerun a
    replicate of ``run``/``compare`` use :func:`sim.runner.simulate_scenario`
    (scenario, seed, changes) or :func:`sim.runner.run_seeds`; to rerun a sweep
    row use :func:`sim.sweeps.rerun` (see ``docs/sweeps.md``, "Exact reruns").

    Args:
        params: every parameter (``scenario.params.to_dict()``, or a sweep's base
            with its varied values); missing ones take the model defaults.
        seed: the replicate seed.
        weeks: weeks to simulate.
        status_quo: the levers before the redesign starts (``None``: none).
    """
    model = WorkplaceModel(params, rng=_check_rng("seed", seed), status_quo=status_quo)
    model.run(weeks)
    return {"survey": model.survey(), "series": model.series(), "outcomes": model.outcomes()}


# ----------------------------------------------------------------------------- checks
def _checked_int(what: str, value: Any, bounds: tuple[int, int]) -> int:
    """Return ``value`` as an int within ``bounds`` (:func:`sim.inputs.check_int`).

    Raises:
        sim.params.ParameterError: as ``check_int``'s UserError, and a ValueError too.
    """
    try:
        return check_int(what, value, bounds)
    except UserError as exc:
        raise ParameterError(str(exc)) from None


def _check_rng(what: str, rng: Any) -> int | np.random.Generator | None:
    """Return a valid seed as an int (numpy integers too), a Generator or None as given.

    Raises:
        sim.params.ParameterError: for anything else (a bool, a float, a string, a
            negative number ...), saying what a seed may be.
    """
    if rng is None or isinstance(rng, np.random.Generator):
        return rng
    allowed = "an integer 0 or more, a numpy.random.Generator or None"
    if isinstance(rng, bool | np.bool_) or not isinstance(rng, Integral):
        raise ParameterError(f"{what}={rng!r} has the wrong type: expected {allowed}")
    if rng < 0:
        raise ParameterError(f"{what}={rng!r} is out of range: allowed {allowed}")
    return int(rng)


def _check_cells(keys: Any) -> None:
    """Refuse survey cells that are not a list of known ``(item, group, wave)`` tuples.

    Raises:
        sim.params.ParameterError: naming the first bad key and what is allowed.
    """
    shape = "a list of (item, group, wave) tuples such as [('burnout', 'all', 2025)]"
    if isinstance(keys, tuple) and len(keys) == 3 and isinstance(keys[0], str):
        raise ParameterError(
            f"keys={keys!r} is a single cell: expected {shape}; wrap it: [{keys!r}]"
        )
    if isinstance(keys, str | bytes | Mapping) or not isinstance(keys, list | tuple):
        raise ParameterError(
            f"keys has the wrong type: expected {shape}, got {type(keys).__name__}"
        )
    for key in keys:
        if not isinstance(key, tuple) or len(key) != 3:
            raise ParameterError(f"survey cell {key!r} has the wrong shape: expected {shape}")
        try:
            survey.check_cell(*key)
        except UserError as err:
            raise ParameterError(str(err)) from None
