"""The state of every position, as a struct of numpy arrays.

The model owns one :class:`AgentState`; each array has one entry per position
(slot). Mesa agent objects (``sim.agents``) are views onto these entries, and
the weekly rules (``sim.rules``) update whole arrays at once.

The floating-point state lives in one ``(fields, positions)`` block,
:attr:`AgentState.values`, and each named array (``state.burnout``, ...) is a
row of it, so a whole-population summary is one matrix-vector product and a
hire resets every field in one assignment. Rules must update arrays in place
(``x += ...``, ``x[:] = ...``), never rebind them.

All shares and levels are in [0, 1]; gains are fractions of output (0.2 is
20% more output per hour); workload is in standard working weeks (1.0 is a
full, sustainable week).
"""

from __future__ import annotations

import numpy as np

from sim.organisation import EXECUTIVE, FREELANCER, IC, MANAGER, Organisation
from sim.params import Params
from sim.responses import employee_strain, exhaustion_level, intention_level, yearly_quit_rate

#: Drivers of AI gains, in the order of the ``credit_*`` fields.
DRIVERS = ("experimentation", "tool_improvement", "self_upskilling", "employer_training")

#: Floating-point fields (rows of :attr:`AgentState.values`), with their meaning.
FIELDS: dict[str, str] = {
    # Dynamic state summarised every week (kept first: see TRACKED).
    "adoption": "share of one's tasks done with AI, [0, 1]",
    "proficiency": "skill at using AI well, [0, 1]",
    "true_gain": "net output per hour gained from AI (negative early on)",
    "workload": "hours needed for the assigned work, in working weeks",
    "burnout": "exhaustion, [0, 1]",
    "trust_ai": "trust in AI, [0, 1]",
    "connection": "strength of one's ties to coworkers, [0, 1]",
    "safety": "psychological safety felt in one's team, [0, 1]",
    "alignment": "understanding of how one's AI use serves company goals, [0, 1]",
    "quit_intention": "intention to quit, [0, 1]",
    # Other dynamic state.
    "learning_mode": "share of AI use as a learning partner rather than a substitute, [0, 1]",
    "gross_gain": "output per hour gained from AI before hidden costs",
    "reported_gain": "the gain the person would report",
    "overhead": "share of the week spent learning and checking AI",
    "assigned_output": "work assigned, in pre-AI working weeks",
    "coaching": "coaching received from one's manager, [0, 1]",
    "anthropomorphism": "treating AI as a social partner, [0, 1]",
    "skill": "skills and specialisation grown with AI, [0, 1]",
    "management_load": "weekly time spent managing one's reports, in working weeks",
    # Traits drawn at hire.
    "self_drive": "drive to upskill on one's own initiative, [0, 1] (employees: 0 or 1)",
    "openness": "individual innovativeness: multiplies the pull to adopt (mean 1)",
    "optimism": "extra self-reported gain per unit of gross gain (>= 0)",
    "response_style": "acquiescence in survey answers, standard normal",
    "susceptibility": "individual proneness to exhaustion (trait), standard normal",
    "leaving_push": "other reasons to leave (pay, career, life outside work): a persistent "
    "push towards leaving (trait), standard normal",
    "base_load": "assigned work before AI, in working weeks",
    "autonomy": "job autonomy, [0, 1]",
    "trained": "1 if given employer AI training and tools, else 0",
    **{f"credit_{d}": f"gross gain credited to {d.replace('_', ' ')}" for d in DRIVERS},
}
#: Row of each field in :attr:`AgentState.values`.
_ROW = {name: i for i, name in enumerate(FIELDS)}
#: The first fields of :data:`FIELDS`, whose population means the weekly record needs.
TRACKED = tuple(FIELDS)[:10]

#: Floating-point type of the state: single precision halves the memory every weekly rule
#: streams through (about twice as fast at scale); states are levels in [0, 1] for which
#: seven significant digits are ample.
DTYPE = np.float32

#: Spread (log scale) of individual optimism in self-reports around its mean. An assumption:
#: it makes reported and true gains correlate at about 0.68 among users, above the 0.3 that
#: meta-analyses of self-assessment find (docs/ODD.md 7.6 says why it is kept).
OPTIMISM_SPREAD = 0.8
#: Spread (log scale) of individual innovativeness, the propensity to adopt a new tool:
#: at 1.0 about one person in six adopts at under a fifth of the median pace, Rogers'
#: laggards (Rogers 1962, adopter categories; Agarwal & Prasad 1998, personal
#: innovativeness in IT).
ADOPTION_SPREAD = 1.0
#: AI habits a new freelancer brings from the market (copied from a working freelancer).
MARKET_HABITS = (
    "adoption",
    "proficiency",
    "learning_mode",
    "skill",
    "anthropomorphism",
    "trust_ai",
)
#: Share of freelance hires new to freelancing (an assumption: about a third).
NEW_ENTRANT_SHARE = 1 / 3
#: Share of employees' hires who come straight from another employer: in 2015-2019 about
#: 2.3% of US workers moved from one employer to another each month (Fujita, Moscarini &
#: Postel-Vinay 2024, the E2E probability), while hires ran at about 3.8% of employment a
#: month (BLS JOLTS): some 0.6 of hires. The rest come from unemployment, school or out of
#: the labour force and arrive without AI habits.
EMPLOYER_TO_EMPLOYER_SHARE = 0.6
#: Beta distribution of the AI adoption freelancers bring.
FREELANCER_ADOPTION = (4.0, 3.0)
#: Least drive to upskill on one's own a freelancer has: no employer trains them, so they
#: learn on their own (an assumption; their drive is ``max(Beta(2, 2), 0.7)``).
FREELANCER_DRIVE_FLOOR = 0.7
#: Beta distributions of learning mode (AI as a learning partner) at hire: freelancers
#: mostly learn with AI (the report), employees less (mean 0.3, within the 23% to 57% of AI
#: use that keeps the person in the loop in the Anthropic Economic Index 2025: businesses'
#: API traffic to Claude.ai conversations; docs/ODD.md section 5); people differ widely.
FREELANCER_MODE = (4.0, 1.5)
EMPLOYEE_MODE = (3.0, 7.0)
#: Ties a new employee starts with (newcomers are not yet embedded).
NEWCOMER_CONNECTION = 0.35
#: Beta distribution of trust in AI that people bring, incumbents and new hires alike: 40%
#: above the midpoint, as 40% of Americans and of Australians were willing to trust AI (at
#: work) in September and October 2022, just before ChatGPT (Gillespie, Lockey, Curtis,
#: Pool & Akbari 2023); the concentration (8) of the earlier, unsourced Beta(3, 5).
TRUST_START = (3.66, 4.34)


class AgentState:
    """Per-position state arrays; see :data:`FIELDS` and docs/ODD.md for meanings.

    Attributes:
        role, team, manager, division, n_reports: fixed by the organisation.
        freelancer, employee, managing: role masks (fixed per position).
        freelancers: positions of the freelancers, sorted.
        freelance: the same positions as a slice when they are contiguous (as
            :func:`~sim.organisation.build_organisation` places them), which indexes
            faster; else ``freelancers``.
        managers: positions of the (middle) managers.
        executives: positions of the executives.
        team_employees: employee positions per team.
        team_positions: positions per team.
        bosses: positions that are someone's boss (see ``boss``), sorted; the
            rules compute managers' load and coaching on these alone.
        boss_rank, manager_rank: index into ``bosses`` of each position's boss and
            of its manager (``len(bosses)`` for those without a manager).
        reports: employee positions reporting to each of ``bosses``.
        own_share: share of a full individual workload one carries besides managing
            (``manager_own_work`` for managers, ``executive_own_work`` for executives,
            1 for everyone else; set by :meth:`initial`).
        boss: manager's position, or the position itself for executives.
        occupied: whether someone holds the position.
        vacancy_left: weeks until a vacant position is filled.
        tenure: weeks the current holder has been in the position.
        engagement_left: weeks left in a freelancer's engagement.
        values: the ``(len(FIELDS), n)`` block of DTYPE; each field is a row.
        credit: ``(n, 4)``-shaped view of the four ``credit_*`` rows, transposed.
        credit_block: the four ``credit_*`` rows themselves (contiguous), ``(4, n)``.
    """

    def __init__(self, org: Organisation) -> None:
        n = org.n
        self.role = org.role
        self.team = org.team
        self.manager = org.manager
        self.division = org.division
        self.n_reports = org.n_reports
        self.job_demands = org.job_demands.astype(DTYPE)
        self.n_teams = org.n_teams
        self.freelancer = org.role == FREELANCER
        self.employee = ~self.freelancer
        self.freelancers = np.flatnonzero(self.freelancer)
        fl = self.freelancers
        contiguous = fl.size > 0 and fl[-1] - fl[0] + 1 == fl.size
        self.freelance = slice(int(fl[0]), int(fl[-1]) + 1) if contiguous else fl
        self.managing = (org.role == MANAGER) | (org.role == EXECUTIVE)
        self.managers = np.flatnonzero(org.role == MANAGER)
        self.executives = np.flatnonzero(org.role == EXECUTIVE)
        self.team_employees = np.bincount(org.team, weights=self.employee, minlength=org.n_teams)
        self.own_share = np.ones(n, dtype=DTYPE)
        self.boss = np.where(org.manager >= 0, org.manager, np.arange(n))
        self.team_positions = np.bincount(org.team, minlength=org.n_teams).astype(np.float64)
        self.bosses = np.unique(self.boss)
        self.boss_rank = np.searchsorted(self.bosses, self.boss)
        self.manager_rank = np.where(
            org.manager >= 0, np.searchsorted(self.bosses, org.manager), self.bosses.size
        )
        self.reports = np.bincount(
            self.manager_rank[self.employee], minlength=self.bosses.size + 1
        )[: self.bosses.size]
        self.occupied = np.ones(n, dtype=bool)
        self.vacancy_left = np.zeros(n, dtype=np.int32)
        self.tenure = np.zeros(n, dtype=np.int32)
        self.engagement_left = np.zeros(n, dtype=np.int32)
        self.values = np.zeros((len(FIELDS), n), dtype=DTYPE)
        for i, name in enumerate(FIELDS):
            setattr(self, name, self.values[i])
        first = _ROW[f"credit_{DRIVERS[0]}"]
        self.credit_block = self.values[first : first + len(DRIVERS)]
        self.credit = self.credit_block.T

    @property
    def n(self) -> int:
        """Number of positions."""
        return len(self.role)

    @classmethod
    def initial(cls, org: Organisation, params: Params, rng: np.random.Generator) -> AgentState:
        """Return the state at the start of a run, before AI: every position filled.

        Tenure is spread over past years, ties and burnout as in an organisation
        that has existed for a while; trust in AI is what people bring (as new
        hires, :data:`TRUST_START`); no one uses AI yet. The
        burn-in weeks before AI arrives (``burn_in_weeks``) carry these levels
        to the organisation's steady state.

        Args:
            org: the organisation (fixes role, team, manager, division).
            params: model parameters.
            rng: random generator for the traits and initial levels.
        """
        state = cls(org)
        state.own_share[org.role == MANAGER] = params.manager_own_work
        state.own_share[org.role == EXECUTIVE] = params.executive_own_work
        n, fl = org.n, state.freelancer
        everyone = np.arange(n)
        state.fill(everyone, params, rng, tool_quality=0.0)
        state.tenure[:] = rng.integers(52, 520, size=n)
        state.burnout[:] = rng.beta(2.0, 6.0, size=n)
        state.connection[:] = np.where(fl, state.connection, rng.beta(6.0, 3.0, size=n))
        state.alignment[:] = rng.beta(4.0, 4.0, size=n)
        state.anthropomorphism[:] = rng.beta(1.5, 8.0, size=n)
        proneness, push = incumbent_traits(state, params, rng)
        state.susceptibility[~fl] = proneness[~fl]
        state.leaving_push[~fl] = push[~fl]
        return state

    def fill(
        self,
        slots: np.ndarray,
        params: Params,
        rng: np.random.Generator,
        tool_quality: float = 1.0,
    ) -> None:
        """Put fresh people into ``slots``: new traits, fresh state.

        Employees from another employer bring its AI habits (see
        :meth:`_hire_from_employers`), the others none (adoption and proficiency
        zero); all arrive with few ties. Freelancers bring their own habits (most from the
        market: see :meth:`_hire_from_market`; those new to freelancing an
        adoption of ``Beta(4, 3)`` times the tools' quality ``Q``, none
        before AI arrives). Traits::

            self_drive  ~ Bernoulli(self_upskilling)          (employees: they upskill or not)
                        = max(U, FREELANCER_DRIVE_FLOOR)      (freelancers)
            optimism    = self_report_optimism exp(OPTIMISM_SPREAD Z - OPTIMISM_SPREAD^2 / 2)
            openness    = exp(ADOPTION_SPREAD Z' - ADOPTION_SPREAD^2 / 2)
            base_load   ~ N(0.9, base_load_spread) (freelancers N(0.85, ...)), at least 0.3
            trained     ~ Bernoulli(training_chance(role))  (employees)
            trust_ai    ~ Beta(TRUST_START)                 (freelancers from the market: theirs)

        with ``U ~ Beta(2, 2)`` and ``Z, Z' ~ N(0, 1)``.

        Args:
            slots: positions to fill.
            params: model parameters.
            rng: random generator.
            tool_quality: the tools' quality ``Q`` this week (0 before AI arrives).
        """
        k = slots.size
        if k == 0:
            return
        fl = self.freelancer[slots]
        self.occupied[slots] = True
        self.vacancy_left[slots] = 0
        self.tenure[slots] = 0
        self.engagement_left[slots] = np.where(
            fl, rng.geometric(1.0 / params.engagement_weeks, size=k), 0
        )
        z = rng.standard_normal((6, k))
        u = rng.random(k)
        learner = rng.random(k) < params.self_upskilling
        fl_drive = np.maximum(rng.beta(2.0, 2.0, size=k), FREELANCER_DRIVE_FLOOR)
        fl_adopt = rng.beta(*FREELANCER_ADOPTION, size=k) * tool_quality
        fresh = {
            "self_drive": np.where(fl, fl_drive, learner),
            "optimism": params.self_report_optimism
            * np.exp(OPTIMISM_SPREAD * z[0] - 0.5 * OPTIMISM_SPREAD**2),
            "openness": np.exp(ADOPTION_SPREAD * z[3] - 0.5 * ADOPTION_SPREAD**2),
            "response_style": z[1],
            "susceptibility": z[4],
            "leaving_push": z[5],
            "base_load": np.maximum(np.where(fl, 0.85, 0.9) + params.base_load_spread * z[2], 0.3),
            "autonomy": np.where(fl, params.freelancer_autonomy, params.fte_autonomy),
            "trained": ~fl & (u < training_chance(params, self.role[slots])),
            "adoption": np.where(fl, fl_adopt, 0.0),
            "proficiency": np.where(fl, 0.5 * fl_adopt, 0.0),
            "learning_mode": rng.beta(
                np.where(fl, FREELANCER_MODE[0], EMPLOYEE_MODE[0]),
                np.where(fl, FREELANCER_MODE[1], EMPLOYEE_MODE[1]),
            ),
            "burnout": 0.15,
            "trust_ai": rng.beta(*TRUST_START, size=k),
            "connection": np.where(fl, 0.3, NEWCOMER_CONNECTION),
            "anthropomorphism": 0.15,
            "skill": np.where(fl, 0.3 * fl_adopt, 0.0),
            "alignment": 0.4,
            "quit_intention": 0.2,
        }
        block = np.zeros((len(FIELDS), k), dtype=DTYPE)
        for name, value in fresh.items():
            block[_ROW[name]] = value
        block[_ROW["assigned_output"]] = block[_ROW["workload"]] = fresh["base_load"]
        self.values[:, slots] = block
        if fl.any():
            self._hire_from_market(slots[fl], rng)
        if not fl.all():
            self._hire_from_employers(slots[~fl], rng)

    def _hire_from_market(self, slots: np.ndarray, rng: np.random.Generator) -> None:
        """Give new freelancers the AI habits of a freelancer already working (the market's).

        Freelancers keep using AI between engagements, so most new ones arrive
        with habits like those of the freelancers already here; a share
        NEW_ENTRANT_SHARE are new to freelancing and keep their fresh habits.
        At week 0 there is no one to copy from yet.
        """
        fl = self.freelancers
        working = self.occupied[fl]
        working[np.searchsorted(fl, slots)] = False
        peers = fl[working]
        slots = slots[rng.random(slots.size) >= NEW_ENTRANT_SHARE]
        if peers.size == 0 or slots.size == 0:
            return
        self._copy_habits(slots, rng.choice(peers, size=slots.size))

    def _copy_habits(self, slots: np.ndarray, src: np.ndarray) -> None:
        """Give ``slots`` the AI habits (MARKET_HABITS) of the people at ``src``."""
        rows = [_ROW[name] for name in MARKET_HABITS]
        self.values[np.ix_(rows, slots)] = self.values[np.ix_(rows, src)]

    def _hire_from_employers(self, slots: np.ndarray, rng: np.random.Generator) -> None:
        """Give employees hired from another employer the AI habits of one working here.

        A share EMPLOYER_TO_EMPLOYER_SHARE of employees' hires come straight from
        another job, where AI spread as it did here: they bring the habits
        (MARKET_HABITS) of an employee of their role already working here, the
        organisation standing for the employers it hires from (as freelancers bring
        a working freelancer's). The rest keep their fresh habits. At week 0 there is
        no one to copy from yet.
        """
        working = self.occupied & self.employee
        working[slots] = False
        slots = slots[rng.random(slots.size) < EMPLOYER_TO_EMPLOYER_SHARE]
        if slots.size == 0:
            return
        for role in np.unique(self.role[slots]):
            peers = np.flatnonzero(working & (self.role == role))
            hires = slots[self.role[slots] == role]
            if peers.size:
                self._copy_habits(hires, rng.choice(peers, size=hires.size))

    def vacate(self, slots: np.ndarray, weeks: int) -> None:
        """Mark ``slots`` vacant for ``weeks`` weeks."""
        self.occupied[slots] = False
        self.vacancy_left[slots] = weeks


def training_chance(params: Params, role: np.ndarray) -> np.ndarray:
    """Chance that an employee of each role is given employer AI training.

    ``employer_training`` is the individual contributors' chance ``p``; managers and
    executives have the odds ``p / (1 - p)`` times ``manager_training_odds`` and
    ``executive_training_odds``: training reaches leaders first (BCG 2024: half of leaders,
    30% of managers and 28% of frontline employees trained). Freelancers are never trained by
    the employer (the caller masks them).

    Args:
        params: model parameters.
        role: each position's role code (``sim.organisation``).

    Returns:
        The chance per position, in [0, 1].
    """
    p = params.employer_training
    if p >= 1.0:
        return np.ones(role.shape)
    ratio = np.ones(role.shape)
    ratio[role == MANAGER] = params.manager_training_odds
    ratio[role == EXECUTIVE] = params.executive_training_odds
    odds = p / (1.0 - p) * ratio
    return odds / (1.0 + odds)


def role_job_demands(state: AgentState, params: Params) -> np.ndarray:
    """Each position's job demands beyond its hours, shifted by its role.

    ``j' = job_demands + freelance_demand_shift [freelancer] + manager_demand_shift [manager]
    + executive_demand_shift [executive]``: freelance work's demands sit lower (TNO and CBS
    2015-2023), middle managers' higher (Gallup 2021, Future Forum 2022, Microsoft 2022),
    executives' lower than middle managers' (Future Forum 2022); docs/ODD.md, section 7.8.
    The rule ``exhaust`` and the steady start (:func:`incumbent_traits`) both read it.
    """
    job = state.job_demands.copy()
    job[state.freelance] += params.freelance_demand_shift
    job[state.managers] += params.manager_demand_shift
    job[state.executives] += params.executive_demand_shift
    return job


#: Candidates drawn per incumbent when sampling proneness to exhaustion by expected tenure.
INCUMBENT_CANDIDATES = 16
#: The longest expected tenure in years (a working life): caps the weight ``1 / h`` at ``h`` = 0.
CAREER_YEARS = 40.0


def incumbent_traits(
    state: AgentState, params: Params, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Proneness to exhaustion and push to leave of the people present in a settled organisation.

    New hires draw both traits, ``susceptibility`` and ``leaving_push``, from
    ``N(0, 1)``, but those prone to exhaustion or pushed to leave quit sooner,
    so the people present at any time are a selection: in a steady state the
    density of traits among incumbents is the hires' density times the
    expected tenure they give, ``f(x, y) / h(x, y)``, with ``h`` the yearly
    quit rate (renewal theory; the survivorship of stayers, Jovanovic 1979).
    ``h`` is read from the rules at the start's levels, with typical resources
    and no AI::

        b*(x)   = expit(burnout_steepness (D0 - R0 - burnout_threshold) + burnout_trait_spread x
                        + job_demand_spread j)
        q*(x, y) = expit(quit_intention_slope (quit_weight_burnout b*(x)
                         + quit_weight_ties (1 - c) + quit_weight_alignment (1 - al)
                         + quit_weight_other y - quit_strain_midpoint))
        h(x, y) = max(quit_rate_min + (quit_rate_max - quit_rate_min) q*(x, y), 1 / CAREER_YEARS)

    with ``j`` the position's job demands shifted by its role, as the rule ``exhaust`` reads
    them (:func:`role_job_demands`; freelancers keep their own traits),
    ``D0 = demand_sensitivity own_share base_load`` and
    ``R0 = (c + untrained_coaching_quality + autonomy + psych_safety) / 4``.
    Each incumbent's pair of traits is drawn from INCUMBENT_CANDIDATES hires'
    draws with weights ``1 / h`` (sampling-importance resampling), so the
    burn-in before AI starts near the steady state instead of washing out the
    selection over years of turnover. ``h`` is floored at one over a working
    life (``CAREER_YEARS``): with ``quit_rate_min = 0`` a content employee would
    otherwise weigh infinitely.

    Returns:
        ``(susceptibility, leaving_push)``, one of each per position (freelancers'
        too; callers keep theirs).
    """
    n = state.n
    x, y = rng.standard_normal((2, INCUMBENT_CANDIDATES, n))
    demands = params.demand_sensitivity * state.own_share * state.base_load
    resources = (
        state.connection + params.untrained_coaching_quality + state.autonomy + params.psych_safety
    ) / 4
    job = role_job_demands(state, params)
    exhaustion = exhaustion_level(demands, resources, x, job, params)
    strain = employee_strain(exhaustion, state.connection, state.alignment, 0.0, y, params)
    hazard = yearly_quit_rate(intention_level(strain, params), params)
    weight = 1.0 / np.maximum(hazard, 1.0 / CAREER_YEARS)
    cumulative = np.cumsum(weight, axis=0)
    pick = (cumulative < rng.random(n) * cumulative[-1]).sum(axis=0)
    columns = np.arange(n)
    return x[pick, columns], y[pick, columns]


def reorganised(
    old: AgentState,
    org: Organisation,
    params: Params,
    rng: np.random.Generator,
    tool_quality: float,
) -> tuple[AgentState, np.ndarray]:
    """Move the people of ``old`` into the positions of a redesigned organisation ``org``.

    A redesign that changes the organisation's shape (narrower spans, more
    freelancers) happens to the people already there. Role by role, people keep
    their state and move to the new positions of their role:

    - executives and freelancers keep their role;
    - manager positions go to the managers first; new ones (narrower spans) to
      the longest-serving individual contributors, promoted; managers left
      without a position (wider spans) return to individual work;
    - individual contributors fill the remaining employee positions. Where
      there are fewer positions than people (more of the work given to
      freelancers), vacancies are closed first, then the most recent hires are
      released (last in, first out); where there are more, the new positions
      open as vacancies filled by the usual hiring.

    Within a role people move in the order of their old teams into the new
    teams' order, so most teammates stay together. One's state (ties, burnout,
    skills, AI habits...) and one's job's demands move with one; ``own_share``
    follows the new role, and new positions get the new organisation's demands.

    Args:
        old: the state before the redesign.
        org: the redesigned organisation (same number of positions).
        params: the redesign's parameters.
        rng: random generator for the traits of the people to be hired into new positions.
        tool_quality: the tools' quality ``Q`` this week.

    Returns:
        The new state, and the old positions of the people released.
    """
    new = AgentState(org)
    new.own_share[org.role == MANAGER] = params.manager_own_work
    new.own_share[org.role == EXECUTIVE] = params.executive_own_work
    new.occupied[:] = False

    def in_team_order(positions: np.ndarray, team: np.ndarray) -> np.ndarray:
        return positions[np.lexsort((positions, team[positions]))]

    def keep(pool: np.ndarray, k: int) -> np.ndarray:
        """The ``k`` of ``pool`` kept: people before vacancies, longest tenure first."""
        rank = np.lexsort((-old.tenure[pool], ~old.occupied[pool]))
        return pool[rank[:k]]

    def positions(state_role: np.ndarray, role: int) -> np.ndarray:
        return np.flatnonzero(state_role == role)

    ics = positions(old.role, IC)
    managers = positions(old.role, MANAGER)
    new_managers = positions(org.role, MANAGER)
    extra = new_managers.size - managers.size
    if extra > 0:
        promoted = keep(ics[old.occupied[ics]], extra)
        managers = np.concatenate([managers, promoted])
        ics = np.setdiff1d(ics, promoted)
    elif extra < 0:
        kept = keep(managers, new_managers.size)
        ics = np.union1d(ics, np.setdiff1d(managers, kept))
        managers = kept
    pools = {
        EXECUTIVE: positions(old.role, EXECUTIVE),
        MANAGER: managers,
        IC: ics,
        FREELANCER: positions(old.role, FREELANCER),
    }
    src, dst, opened, released = [], [], [], []
    for role, pool in pools.items():
        slots = in_team_order(positions(org.role, role), org.team)
        kept = keep(pool, slots.size)
        gone = np.setdiff1d(pool, kept)
        released.append(gone[old.occupied[gone]])
        kept = in_team_order(kept, old.team)
        src.append(kept)
        dst.append(slots[: kept.size])
        opened.append(slots[kept.size :])
    src, dst, opened = np.concatenate(src), np.concatenate(dst), np.sort(np.concatenate(opened))
    new.values[:, dst] = old.values[:, src]
    # People take their jobs' content (and so its demands) with them.
    for name in ("occupied", "vacancy_left", "tenure", "engagement_left", "job_demands"):
        getattr(new, name)[dst] = getattr(old, name)[src]
    # New positions open as vacancies, holding the state their first holder will bring.
    new.fill(opened, params, rng, tool_quality)
    new.occupied[opened] = False
    new.vacancy_left[opened] = np.where(
        new.freelancer[opened], params.freelancer_gap, params.vacancy_weeks
    )
    return new, np.sort(np.concatenate(released))
