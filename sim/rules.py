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
import scipy.sparse as sp
from scipy.special import expit

from sim.params import Params
from sim.state import DTYPE, AgentState

# --- fixed constants of the rules (documented in docs/ODD.md, "Submodels") ---------
#: Weekly management time per direct report (about 1.2 hours), in working weeks.
REPORT_TIME = 0.03
#: Extra weekly time per report for steering the team's AI integration, at full adoption.
STEER_TIME = 0.03
#: Coaching time per report per week that counts as full coaching (about 50 minutes).
COACH_FULL = 0.02
#: Share of the perceived gap closed each week when work is re-planned (about a quarter).
PLANNING_RATE = 0.1
#: Share of a vacant teammate's work that the rest of the team absorbs.
VACANCY_COVER = 0.5
#: Gain a novice gets from AI relative to a proficient user.
NOVICE_GAIN = 0.3
#: Steepness and threshold of the exhaustion level set by demands against resources.
BURNOUT_STEEPNESS = 6.0
BURNOUT_THRESHOLD = 0.7
#: Weekly rate at which exhaustion rises towards the level demands set (months to build).
BURNOUT_RISE = 0.1
#: Weight of role ambiguity (AI use without alignment) among the demands.
AMBIGUITY_WEIGHT = 0.3
#: Base reliability of AI output relative to tool quality, and what proficiency adds.
RELIABILITY_BASE, RELIABILITY_SKILL = 0.6, 0.4
#: Chance per week that a heavy user meets a salient AI failure, per unit unreliability.
FAILURE_SALIENCE = 0.5
#: Trust falls this many times faster after a failure than it builds (Yang et al. 2017).
TRUST_ASYMMETRY = 3.0
#: Everyday work contact that keeps ties alive without any programme.
DAILY_CONTACT = 0.2
#: Weekly tie building per unit of contact, and tie decay without upkeep (Burt 2000).
TIE_BUILD, TIE_DECAY = 0.05, 0.01
#: Weekly fading of anthropomorphism when AI is not used.
ANTHRO_FADE = 0.02
#: Weekly rate at which clarity and managers' communication build alignment.
ALIGN_RATE = 0.05
#: Weekly share of the gap to the strain-implied intention closed (intentions are sticky).
INTENTION_RATE = 0.2
#: Free time per week that counts as a full learning input for experimentation (4 hours).
EXPERIMENT_FULL = 0.1
#: Weekly rate at which teammates pick up embedded freelancers' AI habits (Bandura 1977).
HABIT_RATE = 0.2
#: Weeks a freelance position stays open between engagements.
FREELANCER_GAP = 2
#: Share of full effort lost at full exhaustion (Taris 2006).
BURNOUT_EFFORT_LOSS = 0.3
EPS = 1e-12
#: Weekly retention of what one remembers of the causes of one's gains (half-life 26 weeks).
CREDIT_RETENTION = 0.5 ** (1 / 26)
#: Tie strength below which a position counts as having no present neighbour.
TIE_EPS = 1e-6


def clip01(x: np.ndarray) -> np.ndarray:
    """Clip ``x`` to [0, 1] in place and return it."""
    return np.clip(x, 0.0, 1.0, out=x)


@dataclass
class Week:
    """What the rules share in one week.

    Attributes:
        week: the week being simulated (1 for the first step).
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
        vacant: the vacant positions (no one leaves or arrives before :func:`turnover`).
        management_load: management time of each of ``state.bosses`` (set by :func:`manage`).
        inputs: the learning inputs of the week (set by :func:`learning_inputs`).
        gain_factors: ``true_gain_max a`` and ``NOVICE_GAIN + (1 - NOVICE_GAIN) p`` after
            learning (set by :func:`learn` for :func:`produce`).
    """

    week: int
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
    vacant: np.ndarray
    management_load: np.ndarray | None = None
    inputs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
    gain_factors: tuple[np.ndarray, np.ndarray] | None = None


def tool_quality(week: float, p: Params) -> float:
    """Quality of AI tools in ``week``: a logistic curve from ``tool_quality_start`` towards 1.

    ``Q(t) = Q0 + (1 - Q0) (S(t) - S(0)) / (1 - S(0))``, ``S(t) = 1 / (1 + exp(-(t - t_mid) / w))``.

    Source: the S-shaped capability curves of technology forecasting (Fisher & Pry 1971),
    fitted loosely to frontier-model benchmark progress 2023-2025.
    """
    s = 1.0 / (1.0 + math.exp(-(week - p.tool_quality_midpoint) / p.tool_quality_width))
    s0 = 1.0 / (1.0 + math.exp(p.tool_quality_midpoint / p.tool_quality_width))
    return p.tool_quality_start + (1 - p.tool_quality_start) * (s - s0) / (1 - s0)


@dataclass
class Ties:
    """The organisation's ties as the rules use them.

    Attributes:
        adjacency: symmetric tie-strength matrix over positions (CSR).
        fl_neighbours: positions with at least one tie to a freelancer position.
        to_freelancers: the adjacency restricted to those rows and the freelancers'
            columns (CSR, in the order of ``AgentState.freelancers``), so exposure to
            freelancers costs only their few ties.
        to_present: ``adjacency @ occupied``: each position's tie strength to
            present people, kept up to date as people leave and arrive.
        lonely: ``to_present <= TIE_EPS`` (no present neighbour), kept up to date.
        inv_present: ``1 / to_present`` (1 where lonely), kept up to date.
    """

    adjacency: sp.csr_matrix
    fl_neighbours: np.ndarray
    to_freelancers: sp.csr_matrix
    to_present: np.ndarray
    lonely: np.ndarray
    inv_present: np.ndarray

    @classmethod
    def of(cls, adjacency: sp.csr_matrix, freelancer: np.ndarray, occupied: np.ndarray) -> Ties:
        """Build from the adjacency matrix, the freelancer mask and who is present."""
        slots = np.flatnonzero(freelancer)
        adjacency = adjacency.astype(DTYPE)
        present = adjacency @ occupied.astype(DTYPE)
        to_fl = adjacency[:, slots].tocsr()
        rows = np.flatnonzero(np.diff(to_fl.indptr))
        lonely = present <= TIE_EPS
        return cls(adjacency, rows, to_fl[rows], present, lonely, _inverse(present, lonely))

    def update(self, left: np.ndarray, arrived: np.ndarray) -> None:
        """Account for people who left and arrived.

        The adjacency is symmetric, so a position's column is its row: the
        change is the rows of those who left (negative) and arrived (positive),
        read straight from the CSR arrays.
        """
        rows = np.concatenate([left, arrived])
        if rows.size == 0:
            return
        a = self.adjacency
        start, length = a.indptr[rows], np.diff(a.indptr)[rows]
        pos = np.repeat(start - np.cumsum(length) + length, length) + np.arange(length.sum())
        sign = np.repeat(
            np.concatenate([-np.ones(left.size, DTYPE), np.ones(arrived.size, DTYPE)]), length
        )
        changed = a.indices[pos]
        np.add.at(self.to_present, changed, sign * a.data[pos])
        total = self.to_present[changed]
        self.lonely[changed] = lonely = total <= TIE_EPS
        self.inv_present[changed] = _inverse(total, lonely)


def _inverse(total: np.ndarray, lonely: np.ndarray) -> np.ndarray:
    """``1 / total``, with 1 where ``lonely``."""
    return 1.0 / np.where(lonely, 1.0, total)


def expose(s: AgentState, ties: Ties, week: int, p: Params, rng: np.random.Generator) -> Week:
    """Network exposure for the week: sparse products give the neighbour means.

    ``N(x)_i = sum_j w_ij o_j x_j / sum_j w_ij o_j`` with ``o`` the occupancy mask
    and ``w`` the tie strengths, for adoption, burnout and connection (one
    sparse matrix-vector product each; the denominator is kept up to date by
    :meth:`Ties.update`); exposure to freelancers' learning mode uses only the
    freelancers' columns.

    Source: exposure models of network contagion (Valente 1996; Christakis & Fowler 2013).
    """
    occ = s.occupied.astype(DTYPE)
    adjacency, total, inv = ties.adjacency, ties.to_present, ties.inv_present
    alone = np.flatnonzero(ties.lonely)
    peers = []
    for x in (s.adoption, s.burnout, s.connection):
        mean = adjacency @ (x * occ)
        mean *= inv
        if alone.size:  # everyone around is gone: one's own value stands in
            mean[alone] = x[alone]
        peers.append(mean)
    fl, rows = s.freelance, ties.fl_neighbours  # the columns of ties.to_freelancers
    fl_occ = occ[fl]
    fl_mode = ties.to_freelancers @ (s.learning_mode[fl] * fl_occ)
    fl_present = ties.to_freelancers @ fl_occ
    has_fl = np.flatnonzero(fl_present > TIE_EPS)
    peer_fl_mode = s.learning_mode[rows]
    peer_fl_mode[has_fl] = fl_mode[has_fl] / fl_present[has_fl]
    q_now = tool_quality(week, p)
    return Week(
        week=week,
        tool_quality=q_now,
        tool_gain=q_now - tool_quality(week - 1, p),
        rng=rng,
        peer_adoption=peers[0],
        peer_burnout=peers[1],
        peer_connection=peers[2],
        fl_neighbours=rows,
        peer_fl_mode=peer_fl_mode,
        fl_tie_share=fl_present * inv[rows],
        tie_strength=total,
        slack=np.maximum(0.0, 1.0 - s.workload),
        vacant=np.flatnonzero(~s.occupied),
    )


def manage(s: AgentState, p: Params, w: Week) -> None:
    """Managers' load, the coaching their reports get, and each team's psychological safety.

    Management load of a manager with ``k`` present reports and team adoption ``ā``::

        M = k (REPORT_TIME + STEER_TIME ā (1 - clarity / 2)) (1 - 0.3 manager_training)

    Coaching time is what is left of the week, plus time trained managers protect::

        T = max(0, 1 - L_last) + 0.05 manager_training
        coaching_j = min(1, T / k / COACH_FULL) (0.5 + 0.5 manager_training)

    for each report ``j``; executives get peer support ``0.25 + 0.5 manager_training``;
    freelancers get none. Team safety::

        safety = clip(psych_safety + 0.25 (coaching - 0.5) + 0.25 (c̄_team - 0.5), 0, 1)

    Sources: span of control and manager load (Gittell 2001; Gallup 2024 on
    manager spans); psychological safety as a team climate shaped by leader
    coaching (Edmondson 1999; Frazier et al. 2017).
    """
    # Only bosses (managers and executives) have reports: compute per boss, then spread.
    vacant = w.vacant
    vacant_emp = vacant[s.employee[vacant]]
    k = s.reports - np.bincount(s.manager_rank[vacant_emp], minlength=s.bosses.size + 1)[:-1]
    k = k.astype(DTYPE)
    emp_present = s.occupied & s.employee
    team_adoption = np.bincount(
        s.manager_rank, weights=s.adoption * emp_present, minlength=s.bosses.size + 1
    )[:-1].astype(DTYPE)
    team_adoption /= np.maximum(k, 1)
    per_report = REPORT_TIME + STEER_TIME * team_adoption * (1 - 0.5 * p.strategy_clarity)
    w.management_load = k * per_report * (1 - 0.3 * p.manager_training)

    coach_time = np.maximum(0.0, 1.0 - s.workload[s.bosses]) + 0.05 * p.manager_training
    per_person = coach_time / np.maximum(k, 1) / COACH_FULL
    coach = np.minimum(1.0, per_person)
    # The training factor applies in double precision, rounded once to single.
    np.multiply(coach, 0.5 + 0.5 * p.manager_training, out=coach, dtype=np.float64)
    coaching = s.coaching
    np.take(coach, s.boss_rank, out=coaching)
    coaching[s.freelance] = 0.0
    coaching[s.executives] = 0.25 + 0.5 * p.manager_training

    team_size = s.team_positions - np.bincount(s.team[vacant], minlength=s.n_teams)
    team_c = np.bincount(s.team, weights=s.connection * s.occupied, minlength=s.n_teams)
    team_c = (team_c / np.maximum(team_size, EPS)).astype(DTYPE)
    safety = s.safety
    np.add(coaching, team_c[s.team], out=safety)
    safety *= 0.25
    safety += p.psych_safety - 0.25
    clip01(safety)


def learning_inputs(s: AgentState, w: Week) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three learning inputs of adoption and proficiency, each on [0, 1], and their sum.

    ::

        x = min(1, slack / EXPERIMENT_FULL)      time to experiment (last week's slack)
        u = self_drive (1 - b)                   self-directed upskilling, on one's own time
        trained                                  employer training and tools (0 or 1)

    Self-directed learning is discretionary effort, the first thing exhaustion
    takes: a worn-out employee conserves what resources are left rather than
    investing them (conservation of resources), and exhaustion lowers
    proactive learning. Employer training comes in paid time and is not worn
    down.

    Sources: Hobfoll 1989 (conservation of resources); Bakker & Demerouti 2017
    (JD-R: exhaustion undermines proactive behaviour); Venkatesh et al. 2003
    (facilitating conditions).

    Returns:
        ``(x, u, x + u + trained, max(x + u + trained, EPS))``.
    """
    if w.inputs is None:  # adoption and learning both use them; nothing between changes them
        experiment = np.minimum(1.0, w.slack / EXPERIMENT_FULL)
        own = s.self_drive * (1.0 - s.burnout)
        inputs = experiment + own + s.trained
        w.inputs = (experiment, own, inputs, np.maximum(inputs, EPS))
    return w.inputs


def adopt(s: AgentState, p: Params, w: Week) -> None:
    """AI adoption: Bass diffusion on the team graph, scaled by tool quality and enablers.

    ::

        enablers = 0.5 + 0.5 (x + u + trained)      (the learning inputs of learning_inputs)
        a += (1 - a) min(1, Q (innovation_rate + peer_influence N(a)) enablers openness)

    with ``openness`` each person's innovativeness (log-normal, mean 1: a few
    adopt at once, a tail of laggards hardly at all).

    The gain that new use brings, ``dG = true_gain_max Q (NOVICE_GAIN + (1 -
    NOVICE_GAIN) p) da``, is credited to the learning inputs in proportion
    (see :func:`learn`).

    Teammates also pick up embedded freelancers' habit of using AI as a
    learning partner rather than a substitute for colleagues::

        m += HABIT_RATE freelancer_embedding min(1, 4 share_fl) (N_fl(m) - m)

    Sources: Bass 1969 (innovation and imitation); Rogers 1962 (adopter
    categories); Valente 1996 (network thresholds); Venkatesh et al. 2003, UTAUT
    (facilitating conditions: training, time); Bandura 1977 (social learning).
    """
    experiment, own, inputs, floored = learning_inputs(s, w)
    enablers = 0.5 + 0.5 * inputs
    pull = (
        w.tool_quality
        * (p.innovation_rate + p.peer_influence * w.peer_adoption)
        * enablers
        * s.openness
    )
    d_adoption = (1.0 - s.adoption) * np.minimum(pull, 1.0)
    s.adoption += d_adoption
    d_gain = (
        p.true_gain_max
        * w.tool_quality
        * (NOVICE_GAIN + (1 - NOVICE_GAIN) * s.proficiency)
        * d_adoption
        / floored
    )
    s.credit[:, 0] += d_gain * experiment
    s.credit[:, 2] += d_gain * own
    s.credit[:, 3] += d_gain * s.trained
    near = w.fl_neighbours  # no one else is exposed to freelancers
    exposure = np.minimum(1.0, 4.0 * w.fl_tie_share)
    habit = HABIT_RATE * p.freelancer_embedding * exposure
    mode = s.learning_mode
    mode[near] += s.employee[near] * habit * (w.peer_fl_mode - mode[near])


def learn(s: AgentState, p: Params, w: Week) -> None:
    """Proficiency, skills, and the credit each driver earns for the gains.

    The learning inputs are those of :func:`learning_inputs` (time to
    experiment ``x``, self-directed upskilling ``u``, employer training);
    using AI as a learning partner speeds learning::

        dp = proficiency_rate a (1 - p) (x + u + trained) (0.5 + m)
        skill += skill_rate a m Q (1 - skill)

    The gross gain ``G = true_gain_max a Q (NOVICE_GAIN + (1 - NOVICE_GAIN) p)``
    grows by ``dG_p = true_gain_max a Q (1 - NOVICE_GAIN) dp``, credited to the
    three learning inputs in proportion, and by ``dG_Q = true_gain_max a
    (NOVICE_GAIN + (1 - NOVICE_GAIN) p) dQ``, credited to tool improvement. A
    respondent's main driver is the one with the largest credit.

    Sources: learning curves (Wright 1936); the report's four drivers;
    Dell'Acqua et al. 2023 (skill and AI complementarity).
    """
    s.credit_block *= CREDIT_RETENTION
    experiment, own, inputs, floored = learning_inputs(s, w)
    to_learn = 1.0 - s.proficiency
    dp = p.proficiency_rate * s.adoption * to_learn * inputs * (0.5 + s.learning_mode)
    dp = np.minimum(dp, to_learn, out=dp)
    s.proficiency += dp
    s.skill += p.skill_rate * s.adoption * s.learning_mode * w.tool_quality * (1.0 - s.skill)
    scale = p.true_gain_max * s.adoption
    d_prof = scale * w.tool_quality * (1 - NOVICE_GAIN) * dp / floored
    s.credit[:, 0] += d_prof * experiment
    ability = NOVICE_GAIN + (1 - NOVICE_GAIN) * s.proficiency
    w.gain_factors = (scale, ability)  # produce needs them; nothing between changes them
    s.credit[:, 1] += scale * ability * w.tool_gain
    s.credit[:, 2] += d_prof * own
    s.credit[:, 3] += d_prof * s.trained


def produce(s: AgentState, p: Params, w: Week) -> None:
    """Productivity: the true gain, and apart from it the self-reported gain.

    ::

        G = true_gain_max a Q (NOVICE_GAIN + (1 - NOVICE_GAIN) p)     gross gain per hour
        o = learning_overhead a (1 - p)                               hours learning and checking
        g = (1 + G)(1 - o) - 1                                        true gain (J-curve: < 0 early)
        r = G (1 + optimism_i)                                        what people report

    Reports see the gross gain and miss the hidden overhead, inflated by each
    person's optimism (mean ``self_report_optimism``).

    Sources: Noy & Zhang 2023, Dell'Acqua et al. 2023, Brynjolfsson, Li &
    Raymond 2025 (field gains 10-40%); Brynjolfsson, Rock & Syverson 2021
    (J-curve); Humlum & Vestergaard 2025 and METR 2025 (self-reports above
    measured gains).
    """
    if w.gain_factors is None:
        w.gain_factors = (
            p.true_gain_max * s.adoption,
            NOVICE_GAIN + (1 - NOVICE_GAIN) * s.proficiency,
        )
    scale, ability = w.gain_factors
    np.multiply(scale, w.tool_quality, out=s.gross_gain)
    s.gross_gain *= ability
    s.overhead[:] = p.learning_overhead * s.adoption * (1.0 - s.proficiency)
    s.true_gain[:] = (1.0 + s.gross_gain) * (1.0 - s.overhead) - 1.0
    s.reported_gain[:] = s.gross_gain * (1.0 + s.optimism)


def assign_work(s: AgentState, p: Params, w: Week) -> None:
    """Workload: an output-optimised organisation turns perceived gains into more work.

    Work is planned on the perceived gain ``ĝ = v r + (1 - v) g`` (``v`` =
    ``visible_gain_weight``) and re-planned gradually; a vacant teammate's work
    is partly absorbed by the team::

        A* = base (1 + conversion max(ĝ, 0)) + VACANCY_COVER vacant_team / present_team
        A += PLANNING_RATE (A* - A)
        L = own (A / (1 + G) + o) + M

    with ``conversion`` = ``output_conversion`` for employees and 0 for
    freelancers (they set their own load), ``own`` = 1 for individual
    contributors and freelancers and OWN_WORK_SHARE for managers and
    executives, ``M`` the management load from :func:`manage`.

    Sources: the report (output-optimised work systems); Parkinson's law and
    work intensification with technology (Green 2004; Kelliher & Anderson 2010).
    """
    perceived = p.visible_gain_weight * s.reported_gain + (1 - p.visible_gain_weight) * s.true_gain
    # In double precision, as conversion, base load and cover combine; freelancers convert none.
    target = np.multiply(np.maximum(perceived, 0.0), p.output_conversion, dtype=np.float64)
    target[s.freelance] = 0.0
    target += 1.0
    target *= s.base_load

    vacant_emp = w.vacant[s.employee[w.vacant]]
    if vacant_emp.size:
        vacant_team = np.bincount(s.team[vacant_emp], minlength=s.n_teams).astype(np.float64)
        present = s.team_employees - vacant_team
        cover = (VACANCY_COVER * vacant_team / np.maximum(present, 1)).astype(DTYPE)[s.team]
        cover[s.freelance] = 0.0
        target += cover

    target -= s.assigned_output
    target *= PLANNING_RATE
    s.assigned_output += target
    workload = np.add(1.0, s.gross_gain, out=s.workload)
    np.divide(s.assigned_output, workload, out=workload)
    workload += s.overhead
    workload *= s.own_share
    if w.management_load is not None:
        s.workload[s.bosses] += w.management_load


def exhaust(s: AgentState, p: Params, w: Week) -> None:
    """Burnout (exhaustion): job demands-resources, with crossover between colleagues.

    Demands are the workload plus role ambiguity; resources are ties to
    coworkers, coaching (for freelancers, self-efficacy: proficiency), autonomy
    and psychological safety. Exhaustion moves towards the level they set, up
    at BURNOUT_RISE and down at ``recovery_rate``, and towards neighbours'::

        D = demand_sensitivity (L + AMBIGUITY_WEIGHT a (1 - al))
        R = (c + support + autonomy + safety) / 4
        b* = 1 / (1 + exp(-BURNOUT_STEEPNESS (D - R - BURNOUT_THRESHOLD)))
        b += (BURNOUT_RISE if b* > b else recovery_rate) (b* - b)
             + burnout_contagion (N(b) - b)

    Sources: Demerouti et al. 2001 and Bakker & Demerouti 2007 (JD-R,
    buffering by resources); Sonnentag & Fritz 2015 (recovery); Bakker, Le
    Blanc & Schaufeli 2005 (burnout contagion in teams); Rizzo et al. 1970
    (role ambiguity).
    """
    demands = p.demand_sensitivity * (
        s.workload + AMBIGUITY_WEIGHT * s.adoption * (1.0 - s.alignment)
    )
    fl = s.freelance
    resources = s.connection + s.coaching  # support: coaching, for freelancers proficiency
    resources[fl] = s.connection[fl] + s.proficiency[fl]
    resources += s.autonomy
    resources += s.safety
    resources *= 0.25
    target = expit(BURNOUT_STEEPNESS * (demands - resources - BURNOUT_THRESHOLD))
    rising = target > s.burnout  # the rate picked by multiplying: faster than np.where
    rate = rising * DTYPE(BURNOUT_RISE) + ~rising * DTYPE(p.recovery_rate)
    s.burnout += rate * (target - s.burnout) + p.burnout_contagion * (w.peer_burnout - s.burnout)
    clip01(s.burnout)


def trust(s: AgentState, p: Params, w: Week) -> None:
    """Trust in AI follows experienced reliability, and falls faster after a failure.

    ::

        π = Q (RELIABILITY_BASE + RELIABILITY_SKILL p)          chance an AI task goes well
        t += trust_rate a (π - t)
        on a salient failure (probability FAILURE_SALIENCE a (1 - π)):
        t -= TRUST_ASYMMETRY trust_rate t

    Sources: Lee & See 2004 (trust calibrated to reliability); Hoff & Bashir
    2015; Dietvorst, Simmons & Massey 2015 and Yang et al. 2017 (trust drops
    faster after failures than it builds).
    """
    reliability = w.tool_quality * (RELIABILITY_BASE + RELIABILITY_SKILL * s.proficiency)
    s.trust_ai += p.trust_rate * s.adoption * (reliability - s.trust_ai)
    failed = w.rng.random(s.n, dtype=DTYPE) < FAILURE_SALIENCE * s.adoption * (1.0 - reliability)
    s.trust_ai -= min(1.0, TRUST_ASYMMETRY * p.trust_rate) * s.trust_ai * failed
    clip01(s.trust_ai)


def connect(s: AgentState, p: Params, w: Week) -> None:
    """Ties to coworkers fade as AI replaces interaction; touchpoints rebuild them.

    AI substitutes for colleagues (ideation, reminders, accountability) when it
    is used as a stand-in rather than a learning partner, the more so where
    asking a person feels risky::

        sub = a (1 - m) (1.5 - safety)
        touch = DAILY_CONTACT + touchpoints + 0.3 coaching + 0.3 N(c)
                (freelancers: (DAILY_CONTACT + touchpoints) freelancer_embedding + 0.3 N(c))
        c += TIE_BUILD touch (1 - c) - (TIE_DECAY + substitution_rate sub) c

    Anthropomorphism grows with use, faster for the less connected (sociality
    motivation), and fades without use::

        h += anthropomorphism_rate a (1.5 - c) (1 - h) - ANTHRO_FADE (1 - a) h

    Sources: the report (connection erodes); Burt 2000 (decay of ties without
    upkeep); Edmondson 1999 (interpersonal risk); Epley, Waytz & Cacioppo 2007
    (sociality motivation); Nass & Moon 2000 (social responses to computers).
    """
    sub = s.adoption * (1.0 - s.learning_mode) * (1.5 - s.safety)
    base = DAILY_CONTACT + p.touchpoints
    touch = base + 0.3 * s.coaching
    touch[s.freelance] = base * p.freelancer_embedding
    touch += 0.3 * w.peer_connection
    s.connection += (
        TIE_BUILD * touch * (1.0 - s.connection)
        - (TIE_DECAY + p.substitution_rate * sub) * s.connection
    )
    clip01(s.connection)

    h = s.anthropomorphism
    h += p.anthropomorphism_rate * s.adoption * (1.5 - s.connection) * (1.0 - h)
    h -= ANTHRO_FADE * (1.0 - s.adoption) * h
    clip01(h)


def align(s: AgentState, p: Params, w: Week) -> None:
    """Alignment: understanding how one's AI use serves the company's goals.

    Fed by strategy clarity and by what one's manager understands and has
    time to pass on; eroded when AI use runs ahead of the strategy::

        comm = coaching al_manager                 (executives: their own al)
        al += ALIGN_RATE (clarity + comm) / 2 (1 - al)
              - alignment_erosion max(0, a - clarity) al

    Sources: the report (heavy users least clear on strategy); goal clarity
    (Locke & Latham 2002); the linking-pin role of managers (Likert 1961).
    """
    comm = s.coaching * s.alignment[s.boss]
    al = s.alignment
    al += ALIGN_RATE * 0.5 * (p.strategy_clarity + comm) * (1.0 - al)
    al -= p.alignment_erosion * np.maximum(0.0, s.adoption - p.strategy_clarity) * al
    clip01(al)


def intend(s: AgentState, p: Params, w: Week) -> None:
    """Intention to quit: strain from burnout, lost ties and misalignment, and a way out.

    Employees weigh the push of strain against the pull of alternatives they
    believe they have: someone who sees themselves as far more productive with
    AI (their own reported gain ``r``) expects to be wanted elsewhere::

        z = 0.4 b + 0.25 (1 - c) + 0.15 (1 - al) + 0.2 min(1, max(r, 0))   employees
        z = 0.7 b + 0.3 (1 - autonomy)                                       freelancers
        q += INTENTION_RATE (1 / (1 + exp(-quit_intention_slope (z - 0.5))) - q)

    Sources: March & Simon 1958 (perceived ease of movement); Mobley 1977
    (intermediate linkages, evaluation of alternatives); Griffeth, Hom &
    Gaertner 2000 (burnout, embeddedness and commitment as predictors);
    Mitchell et al. 2001 (job embeddedness: ties keep people); Trevor 2001
    (high performers' ease of movement).
    """
    strain = (
        0.4 * s.burnout
        + 0.25 * (1.0 - s.connection)
        + 0.15 * (1.0 - s.alignment)
        + 0.2 * np.clip(s.reported_gain, 0.0, 1.0)
    )
    fl = s.freelance
    strain[fl] = 0.7 * s.burnout[fl] + 0.3 * (1.0 - s.autonomy[fl])
    target = expit(p.quit_intention_slope * (strain - 0.5))
    s.quit_intention += INTENTION_RATE * (target - s.quit_intention)


def turnover(s: AgentState, p: Params, w: Week) -> tuple[np.ndarray, np.ndarray]:
    """Quits, ends of freelance engagements, and hires into vacancies.

    Vacancies count down and are filled by fresh people when they reach zero.
    An employee quits with the weekly hazard of a yearly rate set by intention::

        yearly = quit_rate_min + (quit_rate_max - quit_rate_min) q
        h = 1 - (1 - yearly)^(1/52)

    A freelance engagement ends after a geometric number of weeks (mean
    ``engagement_weeks``) and is renewed with ``renewal_rate``; otherwise the
    position stays open FREELANCER_GAP weeks. A quit leaves the position open
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
    # Only draws below the highest possible hazard can be quits: compute hazards for those.
    highest = float32_below(weekly_hazard(p.quit_rate_max))
    maybe = np.flatnonzero(s.occupied & s.employee & (draw < highest))
    yearly = p.quit_rate_min + (p.quit_rate_max - p.quit_rate_min) * s.quit_intention[maybe]
    quits = maybe[draw[maybe] < weekly_hazard(yearly)]

    engaged = s.freelancers[s.occupied[s.freelance]]
    s.engagement_left[engaged] -= 1
    ending = engaged[s.engagement_left[engaged] <= 0]
    renew = draw[ending] < p.renewal_rate
    renewed = ending[renew]
    if renewed.size:
        s.engagement_left[renewed] = rng.geometric(1.0 / p.engagement_weeks, size=renewed.size)
    leaving = ending[~renew]

    s.vacate(quits, p.vacancy_weeks)
    s.vacate(leaving, FREELANCER_GAP)
    left = np.sort(np.concatenate([quits, leaving]))
    immediate = left[s.vacancy_left[left] <= 0]
    return left, np.concatenate([hired, immediate])


def float32_below(x: float) -> np.float32:
    """The float32 ``t`` such that ``v < t`` exactly when ``v < x``, for every float32 ``v``.

    Comparing float32 draws with ``t`` gives the same answers as comparing them,
    in double precision, with ``x``, without converting the draws.
    """
    t = np.float32(x)
    return t if float(t) >= float(x) else np.nextafter(t, np.float32(np.inf))


def weekly_hazard(yearly: float | np.ndarray) -> float | np.ndarray:
    """Weekly probability equivalent to a yearly rate: ``1 - (1 - yearly)^(1/52)``."""
    return -np.expm1(np.log1p(-np.minimum(yearly, 1.0 - EPS)) / 52.0)


def output(s: AgentState, p: Params) -> tuple[float, float]:
    """Output per present person and effective output per position, relative to pre-AI.

    ::

        y_i = (1 + g_i)(1 - BURNOUT_EFFORT_LOSS b_i) min(1, (tenure_i + 1) / ramp_up_weeks)
        output = mean over present people of (1 + g)(1 - BURNOUT_EFFORT_LOSS b)
        effective output = sum of y over present people / number of positions

    so vacancies count zero and new hires ramp up linearly.
    Sources: Taris 2006 (exhaustion lowers performance); onboarding ramp-up.
    """
    occ = s.occupied
    per_person = (1.0 + s.true_gain) * (1.0 - BURNOUT_EFFORT_LOSS * s.burnout)
    present = per_person[occ]
    tenure, ramp_weeks = s.tenure[occ], max(p.ramp_up_weeks, 1)
    ramping = np.flatnonzero(tenure < ramp_weeks - 1)  # the ramp is 1 for everyone else
    effective = present.astype(np.float64)
    effective[ramping] *= (tenure[ramping] + 1) / ramp_weeks
    return (
        float(present.sum() / max(present.size, 1)),
        float(effective.sum() / s.n),
    )
