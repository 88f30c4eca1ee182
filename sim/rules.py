"""The weekly rules, one function per rule, vectorised over all positions.

Each rule reads and writes whole arrays of an :class:`~sim.state.AgentState`
for one week (``dt`` = 1 week), given the parameters and a :class:`Week`
holding what is shared across rules that week (tool quality, network
exposure, random stream). Rules run over every position; vacant positions are
masked out of every neighbour and team average and are refilled with fresh
state on hire, so their values never leak.

The order is the schedule of docs/ODD.md, section 3, and
:meth:`sim.model.WorkplaceModel.step` calls them in that order. Every level
stays in [0, 1] (updates are convex combinations or clipped).

Notation in the docstrings: ``a`` adoption, ``p`` proficiency, ``Q`` tool
quality, ``G`` gross gain, ``o`` overhead, ``g`` true gain, ``r`` reported
gain, ``L`` workload, ``b`` burnout, ``c`` connection (tie strength to
coworkers), ``m`` learning mode, ``al`` alignment, ``q`` intention to quit,
``N(x)`` the tie-weighted mean of ``x`` over present neighbours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim import organisation
from sim.calendar import weeks_since_ai
from sim.params import Params
from sim.responses import employee_strain, exhaustion_level, intention_level, yearly_quit_rate
from sim.state import DTYPE, AgentState, role_job_demands
from sim.ties import TIE_EPS, Ties

#: Guard against dividing by zero (a sum of inputs that is exactly 0).
EPS = 1e-12
#: Working hours in a week: levers set in hours are shares of it.
HOURS_PER_WEEK = 40.0


def clip01(x: np.ndarray) -> np.ndarray:
    """Clip ``x`` to [0, 1] in place and return it."""
    return np.clip(x, 0.0, 1.0, out=x)


@dataclass
class Week:
    """What the rules share in one week: the tools and the network as they stand.

    Set once by :func:`expose` at the start of the week, before any rule
    changes the state; no rule writes to it.

    Attributes:
        tool_quality: ``Q(week)``.
        tool_gain: ``Q(week) - Q(week - 1)``.
        rng: the model's random stream for the weekly draws.
        peer_adoption, peer_burnout, peer_connection: ``N(a)``, ``N(b)``, ``N(c)``.
        fl_neighbours: positions with a tie to a freelance position (for everyone
            else the share of ties to freelancers is 0).
        peer_fl_mode: at ``fl_neighbours``, the tie-weighted mean learning mode of present
            freelance neighbours (one's own mode where none is present).
        fl_tie_share: at ``fl_neighbours``, the share of one's present tie weight that
            goes to freelancers.
        tie_strength: total tie weight to present neighbours (``A @ occupied``).
        slack: ``max(0, 1 - L)`` from last week.
        job_fit: how well AI fits each position's job (:func:`job_ai_fit`).
        vacant: the vacant positions (no one leaves or arrives before :func:`turnover`).
    """

    tool_quality: float
    tool_gain: float
    rng: np.random.Generator
    peer_adoption: np.ndarray
    peer_burnout: np.ndarray
    peer_connection: np.ndarray
    fl_neighbours: np.ndarray
    peer_fl_mode: np.ndarray
    fl_tie_share: np.ndarray
    tie_strength: np.ndarray
    slack: np.ndarray
    job_fit: np.ndarray
    vacant: np.ndarray


def tool_quality(week: float, p: Params) -> float:
    """Quality of AI tools in ``week``: 0 before AI arrives, then a logistic curve towards 1.

    With ``t`` the weeks since generative AI arrived (``sim.calendar``)::

        Q(t) = Q0 + (1 - Q0) (S(t) - S(0)) / (1 - S(0)),  S(t) = 1 / (1 + exp(-(t - t_mid) / w))

    and ``Q = 0`` for ``t < 0``, or always when ``generative_ai`` is 0.

    Source: the S-shaped capability curves of technology forecasting (Fisher & Pry 1971),
    fitted loosely to frontier-model benchmark progress 2023-2025.
    """
    t = weeks_since_ai(week)
    if t < 0 or not p.generative_ai:
        return 0.0
    s = 1.0 / (1.0 + math.exp(-(t - p.tool_quality_midpoint) / p.tool_quality_width))
    s0 = 1.0 / (1.0 + math.exp(p.tool_quality_midpoint / p.tool_quality_width))
    return p.tool_quality_start + (1 - p.tool_quality_start) * (s - s0) / (1 - s0)


def expose(s: AgentState, ties: Ties, week: int, p: Params, rng: np.random.Generator) -> Week:
    """Network exposure for the week: sparse products give the neighbour means.

    ``N(x)_i = sum_j w_ij o_j x_j / sum_j w_ij o_j`` with ``o`` the occupancy mask
    and ``w`` the tie strengths, for adoption, burnout and connection (one
    sparse matrix-vector product each; the denominator is kept up to date by
    :meth:`Ties.update`); where no neighbour is present, one's own value stands
    in. Exposure to freelancers' learning mode uses only the freelancers' columns.

    Source: exposure models of network contagion (Valente 1996; Christakis & Fowler 2013).
    """
    occ = s.occupied.astype(DTYPE)
    alone = np.flatnonzero(ties.lonely)

    def neighbour_mean(x: np.ndarray) -> np.ndarray:
        mean = ties.adjacency @ (x * occ) * ties.inv_present
        mean[alone] = x[alone]  # no one around is present: one's own value stands in
        return mean

    fl, rows = s.freelance, ties.fl_neighbours  # the columns and rows of ties.to_freelancers
    fl_occ = occ[fl]
    fl_mode = ties.to_freelancers @ (s.learning_mode[fl] * fl_occ)
    fl_present = ties.to_freelancers @ fl_occ
    has_fl = fl_present > TIE_EPS
    peer_fl_mode = np.where(
        has_fl, fl_mode / np.where(has_fl, fl_present, 1.0), s.learning_mode[rows]
    )
    q_now = tool_quality(week, p)
    return Week(
        tool_quality=q_now,
        tool_gain=q_now - tool_quality(week - 1, p),
        rng=rng,
        peer_adoption=neighbour_mean(s.adoption),
        peer_burnout=neighbour_mean(s.burnout),
        peer_connection=neighbour_mean(s.connection),
        fl_neighbours=rows,
        peer_fl_mode=peer_fl_mode.astype(DTYPE),
        fl_tie_share=fl_present * ties.inv_present[rows],
        tie_strength=ties.to_present,
        slack=np.maximum(0.0, 1.0 - s.workload),
        job_fit=job_ai_fit(s, p),
        vacant=np.flatnonzero(~s.occupied),
    )


def manage(s: AgentState, p: Params, w: Week) -> None:
    """Managers' load, the coaching their reports get, and each team's psychological safety.

    Management load of a manager (or executive) with ``k`` present reports and
    team adoption ``ā``, with the coaching hours set aside for each report
    (``h_c`` = ``coaching_hours``, as a share of a 40-hour week)::

        M = k (report_time + steer_time ā (1 - clarity / 2)) (1 - training_load_relief mt)
            + k h_c / 40

    with ``mt`` = ``manager_training``. Each report ``j`` gets coaching from the
    time set aside and what is left of the manager's week::

        coaching_j = min(1, (max(0, 1 - L_last) / k + h_c / 40) / coach_full) (u + (1 - u) mt)

    with ``u`` = ``untrained_coaching_quality``; executives get peer support
    ``min(1, executive_support + (1 - u) mt)``; freelancers get none. A team's
    psychological safety moves, over months, towards the climate its leader
    and members sustain: coaching, ties and intentional touchpoints (team
    reflection, open feedback; ``h_t`` = ``touchpoints`` hours)::

        safety* = psych_safety + safety_coaching_weight (coaching - 0.5)
                  + safety_ties_weight (c̄_team - 0.5)
                  + safety_touch_weight min(1, h_t / touch_hours_full)
        safety += safety_rate (clip(safety*, 0, 1) - safety)

    with ``c̄_team`` the mean connection of the team's present members.

    Sources: span of control and manager load (Gittell 2001; Gallup 2026a on
    manager spans); psychological safety as a team climate built by leader
    coaching and team learning behaviour (Edmondson 1999; Frazier et al.
    2017); climates change slowly (Schneider, Ehrhart & Macey 2013).
    """
    # Only bosses (managers and executives) have reports: compute per boss, then spread.
    k = present_reports(s, w.vacant)
    team_adoption = np.bincount(
        s.manager_rank,
        weights=s.adoption * (s.occupied & s.employee),
        minlength=s.bosses.size + 1,
    )[:-1] / np.maximum(k, 1)
    per_report = p.report_time + p.steer_time * team_adoption * (1 - p.strategy_clarity / 2)
    set_aside = p.coaching_hours / HOURS_PER_WEEK
    load = k * per_report * (1 - p.training_load_relief * p.manager_training) + k * set_aside
    s.management_load[s.bosses] = load

    mt, untrained = p.manager_training, p.untrained_coaching_quality
    slack = np.maximum(0.0, 1.0 - s.workload[s.bosses]) / np.maximum(k, 1)
    quality = untrained + (1 - untrained) * mt
    coaching_given = np.minimum(1.0, (slack + set_aside) / p.coach_full) * quality
    s.coaching[:] = coaching_given[s.boss_rank]
    s.coaching[s.freelance] = 0.0
    s.coaching[s.executives] = min(1.0, p.executive_support + (1 - untrained) * mt)

    team_connection = team_mean(s, s.connection, w.vacant)[s.team]
    sustained = np.clip(
        p.psych_safety
        + p.safety_coaching_weight * (s.coaching - 0.5)
        + p.safety_ties_weight * (team_connection - 0.5)
        + p.safety_touch_weight * min(1.0, p.touchpoints / p.touch_hours_full),
        0.0,
        1.0,
    )
    s.safety += p.safety_rate * (sustained - s.safety)


def lever_time(s: AgentState, p: Params) -> np.ndarray:
    """Share of each person's week spent on the redesign levers rather than on output.

    ``τ = (touchpoints + coaching_hours) / 40`` for employees (the touchpoint
    hours and the coaching one receives; a manager's time coaching others is in
    their management load), ``τ = touchpoints freelancer_embedding / 40`` for
    freelancers (as far as they are embedded in teams).
    """
    tau = np.full(s.n, (p.touchpoints + p.coaching_hours) / HOURS_PER_WEEK, dtype=DTYPE)
    tau[s.freelance] = p.touchpoints * p.freelancer_embedding / HOURS_PER_WEEK
    return tau


def present_reports(s: AgentState, vacant: np.ndarray) -> np.ndarray:
    """Number of present employees reporting to each of ``state.bosses`` (as DTYPE)."""
    vacant_employees = vacant[s.employee[vacant]]
    gone = np.bincount(s.manager_rank[vacant_employees], minlength=s.bosses.size + 1)[:-1]
    return (s.reports - gone).astype(DTYPE)


def team_mean(s: AgentState, x: np.ndarray, vacant: np.ndarray) -> np.ndarray:
    """Mean of ``x`` over each team's present members (as DTYPE, one entry per team)."""
    present = s.team_positions - np.bincount(s.team[vacant], minlength=s.n_teams)
    total = np.bincount(s.team, weights=x * s.occupied, minlength=s.n_teams)
    return (total / np.maximum(present, EPS)).astype(DTYPE)


def learning_inputs(s: AgentState, p: Params, w: Week) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three learning inputs of adoption and proficiency, each on [0, 1].

    ::

        x = min(1, slack / experiment_full)      time to experiment (last week's slack)
        u = self_drive (1 - b)                   self-directed upskilling, on one's own time
        trained                                  employer training and tools (0 or 1)

    Self-directed learning is discretionary effort, the first thing exhaustion takes: a worn-out
    employee conserves what resources are left rather than investing them (conservation of
    resources), and exhaustion lowers proactive learning. Employer training comes in paid time and
    is not worn down.

    Sources: Hobfoll 1989 (conservation of resources); Bakker & Demerouti 2017
    (JD-R: exhaustion undermines proactive behaviour); Venkatesh et al. 2003
    (facilitating conditions).

    Returns:
        ``(x, u, trained)``.
    """
    experiment = np.minimum(1.0, w.slack / p.experiment_full)
    own = s.self_drive * (1.0 - s.burnout)
    return experiment, own, s.trained


def credit_inputs(
    s: AgentState, gain: np.ndarray, x: np.ndarray, u: np.ndarray, trained: np.ndarray
) -> None:
    """Credit ``gain`` to the learning inputs in proportion: ``x``, ``u`` and ``trained``.

    ``credit_k += gain input_k / (x + u + trained)`` for experimentation,
    self-directed upskilling and employer training.
    """
    per_input = gain / np.maximum(x + u + trained, EPS)
    s.credit[:, 0] += per_input * x
    s.credit[:, 2] += per_input * u
    s.credit[:, 3] += per_input * trained


def ability(s: AgentState, p: Params) -> np.ndarray:
    """Share of the full AI gain a user gets at their proficiency: ``n + (1 - n) p``.

    ``n`` = ``novice_gain``: what a novice gets relative to a proficient user
    (Dell'Acqua et al. 2023).
    """
    return p.novice_gain + (1 - p.novice_gain) * s.proficiency


def task_fit(s: AgentState, p: Params) -> np.ndarray:
    """How well AI fits the tasks of each position's role, relative to an individual contributor's.

    ``fit = manager_ai_fit`` for middle managers, ``executive_ai_fit`` for executives, 1 for
    individual contributors and freelancers: writing, planning, analysing and coordinating are the
    tasks generative AI fits best, and they make up more of a manager's week (Gallup 2025: leaders
    and managers use AI more often than individual contributors, and say it fits their work;
    Eloundou et al. 2024, exposure of occupations' tasks).
    """
    fit = np.ones(s.n, dtype=DTYPE)
    fit[s.role == organisation.MANAGER] = p.manager_ai_fit
    fit[s.role == organisation.EXECUTIVE] = p.executive_ai_fit
    return fit


def job_ai_fit(s: AgentState, p: Params) -> np.ndarray:
    """How well AI fits each position's job: ``exp(demand_ai_fit j - demand_ai_fit^2 / 2)``.

    Mean 1 over jobs, with ``j`` the job's demands (``AgentState.job_demands``).
    Generative AI's exposure is highest in cognitively demanding knowledge work
    (Eloundou et al. 2024: it rises with wages and the preparation a job needs;
    Felten, Raj & Seamans 2021), whose cognitive load also weighs on exhaustion
    (Karasek 1979). The fit multiplies the pull to adopt (:func:`adopt`) and the
    gain per hour (:func:`gain_ceiling`: exposure is the share of a job's tasks
    AI speeds up). The direction is the evidence's; ``demand_ai_fit`` is calibrated.
    """
    theta = p.demand_ai_fit
    return np.exp(theta * s.job_demands - 0.5 * theta * theta).astype(DTYPE)


def gain_ceiling(p: Params, w: Week) -> np.ndarray:
    """Gross gain per hour at full use, top tools and full proficiency: ``true_gain_max f_job``."""
    return p.true_gain_max * w.job_fit


def adopt(s: AgentState, p: Params, w: Week) -> None:
    """AI adoption: Bass diffusion on the team graph, scaled by tool quality and enablers.

    ::

        enablers = 0.5 + 0.5 (x + u + trained)      (the learning inputs of learning_inputs)
        a += (1 - a) min(1, Q (innovation_rate + peer_influence N(a)) enablers openness fit)

    with ``openness`` each person's innovativeness (log-normal, mean 1: a few
    adopt at once, a tail of laggards hardly at all) and ``fit`` how well AI
    fits the tasks of one's role (:func:`task_fit`) times how well it fits
    one's job (:func:`job_ai_fit`).

    The gain that new use brings, ``dG = true_gain_max f_job Q ability(p) da``, is
    credited to the learning inputs in proportion (see :func:`learn`).

    Teammates also pick up embedded freelancers' habit of using AI as a
    learning partner rather than a substitute for colleagues::

        m += habit_rate freelancer_embedding min(1, share_fl / freelancer_exposure_full)
             (N_fl(m) - m)                                               (employees)

    Sources: Bass 1969 (innovation and imitation); Rogers 1962 (adopter
    categories); Valente 1996 (network thresholds); Venkatesh et al. 2003, UTAUT
    (facilitating conditions: training, time); Bandura 1977 (social learning).
    """
    x, u, trained = learning_inputs(s, p, w)
    enablers = 0.5 + 0.5 * (x + u + trained)
    pull = (
        w.tool_quality
        * (p.innovation_rate + p.peer_influence * w.peer_adoption)
        * enablers
        * s.openness
        * task_fit(s, p)
        * w.job_fit
    )
    d_adoption = (1.0 - s.adoption) * np.minimum(pull, 1.0)
    s.adoption += d_adoption
    d_gain = gain_ceiling(p, w) * w.tool_quality * ability(s, p) * d_adoption
    credit_inputs(s, d_gain, x, u, trained)

    near = w.fl_neighbours  # no one else is exposed to freelancers
    exposure = np.minimum(1.0, w.fl_tie_share / p.freelancer_exposure_full)
    habit = p.habit_rate * p.freelancer_embedding * exposure
    mode = s.learning_mode
    mode[near] += s.employee[near] * habit * (w.peer_fl_mode - mode[near])


def learn(s: AgentState, p: Params, w: Week) -> None:
    """Proficiency, skills, and the credit each driver earns for the gains.

    The learning inputs are those of :func:`learning_inputs` (time to experiment ``x``,
    self-directed upskilling ``u``, employer training); using AI as a learning partner speeds
    learning, skills grow where the job gives control over how to do it (``au``: autonomy) and
    with the share of the AI's gain one can draw (``ability(p)``)::

        dp = min(1 - p, proficiency_rate a (1 - p) (x + u + trained) (0.5 + m))
        skill += skill_rate a m au Q ability(p) (1 - skill)

    The gross gain ``G = true_gain_max f_job a Q ability(p)`` (:func:`ability`) grows by ``dG_p
    = true_gain_max f_job a Q (1 - novice_gain) dp``, credited to the three learning inputs in
    proportion, and by ``dG_Q = true_gain_max f_job a ability(p) dQ``, credited to tool
    improvement. What one remembers of the causes fades with half-life ``credit_half_life``; a
    respondent names a driver with probability in proportion to its credit (:mod:`sim.survey`).

    Sources: learning curves (Wright 1936); the report's four drivers; Dell'Acqua et al. 2023;
    Karasek & Theorell 1990 and Taris et al. 2003 (active learning: skills grow in jobs with
    control); Anand & Idan 2026 (learning with an LLM pays with the competence to elicit,
    filter and verify its output); Hogarth & Einhorn 1992 (recency).
    """
    s.credit_block *= 0.5 ** (1 / p.credit_half_life)
    x, u, trained = learning_inputs(s, p, w)
    to_learn = 1.0 - s.proficiency
    dp = np.minimum(
        p.proficiency_rate * s.adoption * to_learn * (x + u + trained) * (0.5 + s.learning_mode),
        to_learn,
    )
    s.proficiency += dp
    able = ability(s, p)
    grow = p.skill_rate * s.adoption * s.learning_mode * s.autonomy * w.tool_quality * able
    s.skill += grow * (1.0 - s.skill)
    gain_scale = gain_ceiling(p, w) * s.adoption
    credit_inputs(s, gain_scale * w.tool_quality * (1 - p.novice_gain) * dp, x, u, trained)
    s.credit[:, 1] += gain_scale * able * w.tool_gain


def produce(s: AgentState, p: Params, w: Week) -> None:
    """Productivity: the true gain, and apart from it the self-reported gain.

    ::

        G = true_gain_max f_job a Q (novice_gain + (1 - novice_gain) p)    gross gain per hour
        o = learning_overhead a (1 - p)                              hours learning and checking
        g = (1 + G)(1 - o) - 1                                       true gain (J-curve: < 0 early)
        r = G (1 + optimism_i)                                       what people report

    Reports see the gross gain and miss the hidden overhead, inflated by each
    person's optimism (mean ``self_report_optimism``).

    Sources: Noy & Zhang 2023, Dell'Acqua et al. 2023, Brynjolfsson, Li &
    Raymond 2025 (field gains 10-40%); Brynjolfsson, Rock & Syverson 2021
    (J-curve); Humlum & Vestergaard 2025 and METR 2025 (self-reports above
    measured gains).
    """
    s.gross_gain[:] = gain_ceiling(p, w) * s.adoption * w.tool_quality * ability(s, p)
    s.overhead[:] = p.learning_overhead * s.adoption * (1.0 - s.proficiency)
    s.true_gain[:] = (1.0 + s.gross_gain) * (1.0 - s.overhead) - 1.0
    s.reported_gain[:] = s.gross_gain * (1.0 + s.optimism)


def assign_work(s: AgentState, p: Params, w: Week) -> None:
    """Workload: an output-optimised organisation turns the gains it measures into more work.

    The organisation plans on what it can observe, each person's measured
    output gain: the true gain ``g`` plus a weekly measurement error of spread
    ``output_noise`` (never what people say in a survey). Time given to the
    redesign levers (touchpoints, coaching: :func:`lever_time`, ``τ``) is taken
    off the work assigned. Work is re-planned gradually, which averages the
    error out; a vacant teammate's work is partly absorbed by the team::

        ĝ = g + output_noise e,  e ~ N(0, 1) each week
        A* = base (1 + conversion max(ĝ, 0)) (1 - τ) + vacancy_cover vacant_team / present_team
        A += planning_rate (A* - A)
        L = own (A / (1 + G) + o) + τ + M

    with ``conversion`` = ``output_conversion`` for employees and 0 for
    freelancers (they set their own load and cover no one), ``own`` = 1 for
    individual contributors and freelancers, ``manager_own_work`` for managers
    and ``executive_own_work`` for executives, ``M`` the management load set by
    :func:`manage`. The hidden overhead ``o`` (learning, checking) is not in
    the measured gain but takes time all the same.

    Sources: the report (output-optimised work systems); Parkinson's law and
    work intensification with technology (Green 2004; Kelliher & Anderson 2010);
    Viswesvaran, Ones & Schmidt 1996 (how noisily performance is measured).
    """
    measured = s.true_gain + p.output_noise * w.rng.standard_normal(s.n, dtype=DTYPE)
    converted = p.output_conversion * np.maximum(measured, 0.0)
    converted[s.freelance] = 0.0
    tau = lever_time(s, p)
    target = s.base_load * (1.0 + converted) * (1.0 - tau) + vacancy_cover(s, p, w.vacant)
    s.assigned_output += p.planning_rate * (target - s.assigned_output)
    s.workload[:] = (
        s.own_share * (s.assigned_output / (1.0 + s.gross_gain) + s.overhead)
        + tau
        + s.management_load
    )


def vacancy_cover(s: AgentState, p: Params, vacant: np.ndarray) -> np.ndarray | float:
    """Work each employee covers for vacant teammates: ``vacancy_cover vacant / present``.

    Per team, ``vacant`` and ``present`` count employee positions; freelancers cover none.
    """
    vacant_employees = vacant[s.employee[vacant]]
    if vacant_employees.size == 0:
        return 0.0
    gone = np.bincount(s.team[vacant_employees], minlength=s.n_teams)
    per_team = p.vacancy_cover * gone / np.maximum(s.team_employees - gone, 1)
    cover = per_team.astype(DTYPE)[s.team]
    cover[s.freelance] = 0.0
    return cover


def exhaust(s: AgentState, p: Params, w: Week) -> None:
    """Burnout (exhaustion): job demands-resources, with crossover between colleagues.

    Demands are the workload plus role ambiguity; resources are ties to
    coworkers, support (coaching; for freelancers, self-efficacy: proficiency),
    autonomy and psychological safety. Exhaustion moves towards the level they
    set, shifted by each person's proneness to exhaustion (a trait) and by the
    demands of the position's job beyond its hours (emotional and cognitive load,
    role conflict: they stay with the position; freelance work's are lower, middle
    managers' higher, executives' their own), up at
    ``burnout_rise`` and down at ``recovery_rate``, and towards neighbours'::

        D = demand_sensitivity (L + ambiguity_weight a (1 - al))
        R = (c + support + autonomy + safety) / 4
        j' = job_demands + freelance_demand_shift [freelancer]
                         + manager_demand_shift [manager]
                         + executive_demand_shift [executive]
        b* = 1 / (1 + exp(-(burnout_steepness (D - R - burnout_threshold)
                            + burnout_trait_spread susceptibility
                            + job_demand_spread j')))
        b += (burnout_rise if b* > b else recovery_rate) (b* - b)
             + burnout_contagion (N(b) - b)

    Sources: Demerouti et al. 2001 and Bakker & Demerouti 2007 (JD-R, buffering by resources);
    Sonnentag & Fritz 2015 (recovery); Bakker, Le Blanc & Schaufeli 2005 (burnout contagion in
    teams); Rizzo et al. 1970 (role ambiguity); Maslach & Leiter 2016 (exhaustion builds over
    months); Alarcon, Eschleman & Bowling 2009 and Swider & Zimmerman 2010 (personality carries
    about a third of burnout's variance, the job the rest); Karasek 1979 (job demands beyond
    hours); TNO and CBS 2015-2023 (the self-employed report burnout complaints half as often);
    Gallup 2021, Future Forum 2022 and Microsoft 2022 (managers more often burnt out than ICs);
    Future Forum 2022 (executives less often).
    """
    demands = p.demand_sensitivity * (
        s.workload + p.ambiguity_weight * s.adoption * (1.0 - s.alignment)
    )
    support = s.coaching.copy()
    support[s.freelance] = s.proficiency[s.freelance]
    resources = (s.connection + support + s.autonomy + s.safety) / 4
    job = role_job_demands(s, p)
    target = exhaustion_level(demands, resources, s.susceptibility, job, p)
    rising = target > s.burnout
    rate = p.recovery_rate + (p.burnout_rise - p.recovery_rate) * rising
    s.burnout += rate * (target - s.burnout) + p.burnout_contagion * (w.peer_burnout - s.burnout)
    clip01(s.burnout)


def trust(s: AgentState, p: Params, w: Week) -> None:
    """Trust in AI follows experienced reliability, and falls faster after a failure.

    ::

        π = Q (reliability_base + reliability_skill p)          chance an AI task goes well
        t += trust_rate a (π - t)
        then, on a salient failure (probability failure_salience a (1 - π)):
        t -= min(1, trust_asymmetry trust_rate) t

    Sources: Lee & See 2004 (trust calibrated to reliability); Hoff & Bashir
    2015; Dietvorst, Simmons & Massey 2015 and Yang et al. 2017 (trust drops
    faster after failures than it builds).
    """
    reliability = w.tool_quality * (p.reliability_base + p.reliability_skill * s.proficiency)
    s.trust_ai += p.trust_rate * s.adoption * (reliability - s.trust_ai)
    chance = p.failure_salience * s.adoption * (1.0 - reliability)
    failed = w.rng.random(s.n, dtype=DTYPE) < chance
    s.trust_ai -= min(1.0, p.trust_asymmetry * p.trust_rate) * s.trust_ai * failed
    clip01(s.trust_ai)


def connect(s: AgentState, p: Params, w: Week) -> None:
    """Ties to coworkers fade as AI replaces interaction; touchpoints rebuild them.

    AI substitutes for colleagues (ideation, reminders, accountability) when it
    is used as a stand-in rather than a learning partner, the more so where
    asking a person feels risky::

        sub = a (1 - m) (1.5 - safety)
        t = touchpoints / touch_hours_full                 (hours as a share of full contact)
        touch = daily_contact + t + coaching_contact coaching + peer_contact N(c)
                (freelancers: (daily_contact + t) freelancer_embedding + peer_contact N(c))
        c += tie_build touch (1 - c) - (tie_decay + substitution_rate sub) c

    Anthropomorphism grows with use, faster for the less connected (sociality motivation)
    and the more innovative (``o``, which multiplies the pull to adopt too: one disposition
    for both, an assumption), then fades without use::

        h += min(1, anthropomorphism_rate o a (1.5 - c)) (1 - h)
        h -= anthro_fade (1 - a) h

    Sources: the report; Burt 2000 (decay of ties); Edmondson 1999; Epley, Waytz & Cacioppo
    2007; Nass & Moon 2000; Moussawi, Koufaris & Benbunan-Fich 2021; Jo & Baek 2024.
    """
    sub = s.adoption * (1.0 - s.learning_mode) * (1.5 - s.safety)
    everyday = p.daily_contact + p.touchpoints / p.touch_hours_full
    touch = everyday + p.coaching_contact * s.coaching
    touch[s.freelance] = everyday * p.freelancer_embedding
    touch += p.peer_contact * w.peer_connection
    s.connection += (
        p.tie_build * touch * (1.0 - s.connection)
        - (p.tie_decay + p.substitution_rate * sub) * s.connection
    )
    clip01(s.connection)

    h = s.anthropomorphism
    growth = p.anthropomorphism_rate * s.openness * s.adoption * (1.5 - s.connection)
    h += np.minimum(1.0, growth) * (1.0 - h)
    h -= p.anthro_fade * (1.0 - s.adoption) * h
    clip01(h)


def align(s: AgentState, p: Params, w: Week) -> None:
    """Alignment: understanding how one's AI use serves the company's goals.

    Fed by strategy clarity and by what one's manager understands and has
    time to pass on; it drifts out of date as priorities change, and erodes
    faster when AI use runs ahead of the strategy::

        comm = coaching al_manager                 (executives: their own al)
        al += align_rate (clarity + comm) / 2 (1 - al)
        al -= (alignment_drift + alignment_erosion max(0, a - clarity)) al

    Sources: the report (heavy users least clear on strategy); goal clarity
    (Locke & Latham 2002); the linking-pin role of managers (Likert 1961);
    priorities reset in the annual planning cycle (Mankins & Steele 2006),
    leaving many unclear on strategy before AI (Sull, Homkes & Sull 2015).
    """
    comm = s.coaching * s.alignment[s.boss]
    al = s.alignment
    al += p.align_rate * 0.5 * (p.strategy_clarity + comm) * (1.0 - al)
    outrun = np.maximum(0.0, s.adoption - p.strategy_clarity)
    erosion = p.alignment_drift + p.alignment_erosion * outrun
    al -= erosion * al
    clip01(al)


def intend(s: AgentState, p: Params, w: Week) -> None:
    """Intention to quit: strain from burnout, lost ties and misalignment, and a way out.

    Employees weigh the push of strain against the pull of the outside
    options their real skills give them (never what they say of their gains).
    An offer goes to whoever stands out among those looking, so what counts is
    how far one's AI proficiency and grown skills lie above one's colleagues'
    (the mean over present employees ``k̄``, the market's level as this
    organisation samples it), as much as the labour market values them::

        k = (p + skill) / 2
        ease = clip(labour_market (k - k̄), 0, 1)
        z = w_b b + w_c (1 - c) + w_al (1 - al) + w_o ease + w_r push       employees
        z = f_b b + f_au (1 - autonomy)                                      freelancers
        q += intention_rate (1 / (1 + exp(-quit_intention_slope (z - z0))) - q)

    with ``push`` one's other reasons to leave (pay, career, life outside work: a
    trait, standard normal), ``z0`` = ``quit_strain_midpoint`` and the weights
    ``quit_weight_burnout``, ``quit_weight_ties``, ``quit_weight_alignment``,
    ``quit_weight_outside``, ``quit_weight_other`` and
    ``freelancer_quit_weight_burnout``, ``freelancer_quit_weight_autonomy``.

    Sources: March & Simon 1958 (perceived ease of movement); Mobley 1977
    (intermediate linkages, evaluation of alternatives); Griffeth, Hom &
    Gaertner 2000 (burnout, embeddedness and commitment as predictors);
    Mitchell et al. 2001 (job embeddedness: ties keep people); Trevor 2001
    (ease of movement: one's human capital relative to other job seekers, so
    a skill everyone acquires stops opening doors); BLS JOLTS 2023-2025 (quit
    rates back at or below their 2018-2019 level while AI spread).
    """
    skills = (s.proficiency + s.skill) / 2
    present = s.occupied & s.employee
    colleagues = skills[present].mean() if present.any() else 0.0
    ease = np.clip(p.labour_market * (skills - colleagues), 0.0, 1.0)
    strain = employee_strain(s.burnout, s.connection, s.alignment, ease, s.leaving_push, p)
    fl = s.freelance
    strain[fl] = p.freelancer_quit_weight_burnout * s.burnout[
        fl
    ] + p.freelancer_quit_weight_autonomy * (1.0 - s.autonomy[fl])
    target = intention_level(strain, p)
    target[fl] = intention_level(strain[fl], p, midpoint=0.5)
    s.quit_intention += p.intention_rate * (target - s.quit_intention)


def turnover(s: AgentState, p: Params, w: Week) -> tuple[np.ndarray, np.ndarray]:
    """Quits, ends of freelance engagements, and hires into vacancies.

    Vacancies count down and are filled by fresh people when they reach zero.
    An employee quits with the weekly hazard of a yearly rate set by intention::

        yearly = quit_rate_min + (quit_rate_max - quit_rate_min) q
        h = 1 - (1 - yearly)^(1/52)

    A freelance engagement ends after a geometric number of weeks (mean
    ``engagement_weeks``) and is renewed with ``renewal_rate``; otherwise the
    position stays open ``freelancer_gap`` weeks. A quit leaves the position open
    ``vacancy_weeks`` weeks.

    Sources: BLS JOLTS quit rates; Griffeth et al. 2000 (intention to
    turnover); SHRM time-to-fill benchmarks.

    Returns:
        The positions left this week and the positions filled this week.
    """
    rng = w.rng
    vacant = w.vacant
    s.vacancy_left[vacant] -= 1
    hired = vacant[s.vacancy_left[vacant] <= 0]

    draw = rng.random(s.n, dtype=DTYPE)
    yearly = yearly_quit_rate(s.quit_intention, p)
    quits = np.flatnonzero(s.occupied & s.employee & (draw < weekly_hazard(yearly)))

    engaged = s.freelancers[s.occupied[s.freelance]]
    s.engagement_left[engaged] -= 1
    ending = engaged[s.engagement_left[engaged] <= 0]
    renew = draw[ending] < p.renewal_rate
    renewed = ending[renew]
    if renewed.size:
        s.engagement_left[renewed] = rng.geometric(1.0 / p.engagement_weeks, size=renewed.size)
    leaving = ending[~renew]

    s.vacate(quits, p.vacancy_weeks)
    s.vacate(leaving, p.freelancer_gap)
    left = np.sort(np.concatenate([quits, leaving]))
    immediate = left[s.vacancy_left[left] <= 0]
    return left, np.concatenate([hired, immediate])


def weekly_hazard(yearly: float | np.ndarray) -> float | np.ndarray:
    """Weekly probability equivalent to a yearly rate: ``1 - (1 - yearly)^(1/52)``."""
    return -np.expm1(np.log1p(-np.minimum(yearly, 1.0 - EPS)) / 52.0)


def output(s: AgentState, p: Params) -> tuple[float, float]:
    """Output per present person and effective output per position, relative to pre-AI.

    What a person delivers is the work assigned to them, ``A``, as far as their
    exhaustion lets them (work planned but not delivered is lost), against the
    work they were assigned before AI (``base``)::

        y_i = A_i / base_i (1 - burnout_effort_loss b_i) min(1, (tenure_i + 1) / ramp_up_weeks)
        output = mean over present people of A / base (1 - burnout_effort_loss b)
        effective output = sum of y over present people / number of positions

    so vacancies count zero, new hires ramp up linearly, and time AI saves
    counts only where it is turned into work (``output_conversion``), while
    time given to the levers (touchpoints, coaching) costs output.
    Sources: Taris 2006 (exhaustion lowers performance); onboarding ramp-up.
    """
    occ = s.occupied
    delivered = s.assigned_output / s.base_load * (1.0 - p.burnout_effort_loss * s.burnout)
    per_person = delivered[occ]
    ramp = np.minimum(1.0, (s.tenure[occ] + 1) / max(p.ramp_up_weeks, 1))
    return (
        float(per_person.sum() / max(per_person.size, 1)),
        float((per_person * ramp).sum() / s.n),
    )
