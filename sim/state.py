"""The state of every position, as a struct of numpy arrays.

The model owns one :class:`AgentState`; each array has one entry per position
(slot). Mesa agent objects (``sim.agents``) are views onto these entries, and
the weekly rules (``sim.rules``) update whole arrays at once.

All shares and levels are in [0, 1]; gains are fractions of output (0.2 is
20% more output per hour); workload is in standard working weeks (1.0 is a
full, sustainable week).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim.organisation import EXECUTIVE, FREELANCER, IC, MANAGER, Organisation
from sim.params import Params

#: Drivers of AI gains, in the order of the ``credit`` columns.
DRIVERS = ("experimentation", "tool_improvement", "self_upskilling", "employer_training")

#: Spread (log scale) of individual optimism in self-reports around its mean.
OPTIMISM_SPREAD = 0.8

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

#: Fresh freelancers bring their own AI habits (Beta distribution of adoption).
FREELANCER_ADOPTION = (4.0, 3.0)


@dataclass
class AgentState:
    """Per-position state arrays. See docs/ODD.md, "State variables", for meanings."""

    # Fixed by the organisation.
    role: np.ndarray
    team: np.ndarray
    manager: np.ndarray
    division: np.ndarray
    n_reports: np.ndarray
    # Occupancy and tenure.
    occupied: np.ndarray
    vacancy_left: np.ndarray
    tenure: np.ndarray
    engagement_left: np.ndarray
    # Traits drawn at hire.
    self_drive: np.ndarray
    optimism: np.ndarray
    response_style: np.ndarray
    base_load: np.ndarray
    autonomy: np.ndarray
    trained: np.ndarray
    # Dynamic state.
    adoption: np.ndarray
    proficiency: np.ndarray
    learning_mode: np.ndarray
    gross_gain: np.ndarray
    true_gain: np.ndarray
    reported_gain: np.ndarray
    overhead: np.ndarray
    assigned_output: np.ndarray
    workload: np.ndarray
    coaching: np.ndarray
    safety: np.ndarray
    burnout: np.ndarray
    trust_ai: np.ndarray
    connection: np.ndarray
    anthropomorphism: np.ndarray
    skill: np.ndarray
    alignment: np.ndarray
    quit_intention: np.ndarray
    credit: np.ndarray  # (n, 4) gains credited to each driver, see DRIVERS

    @property
    def n(self) -> int:
        """Number of positions."""
        return len(self.role)

    def nbytes(self) -> int:
        """Memory held by the arrays, in bytes."""
        return sum(getattr(self, f.name).nbytes for f in fields(self))

    @classmethod
    def initial(cls, org: Organisation, params: Params, rng: np.random.Generator) -> AgentState:
        """Return the state at week 0: every position filled, early-2023 AI habits.

        Args:
            org: the organisation (fixes role, team, manager, division).
            params: model parameters.
            rng: random generator for the traits and initial levels.
        """
        n = org.n
        z = np.zeros(n)
        state = cls(
            role=org.role,
            team=org.team,
            manager=org.manager,
            division=org.division,
            n_reports=org.n_reports,
            occupied=np.ones(n, dtype=bool),
            vacancy_left=np.zeros(n, dtype=np.int32),
            tenure=np.zeros(n, dtype=np.int32),
            engagement_left=np.zeros(n, dtype=np.int32),
            self_drive=z.copy(),
            optimism=z.copy(),
            response_style=z.copy(),
            base_load=z.copy(),
            autonomy=z.copy(),
            trained=np.zeros(n, dtype=bool),
            adoption=z.copy(),
            proficiency=z.copy(),
            learning_mode=z.copy(),
            gross_gain=z.copy(),
            true_gain=z.copy(),
            reported_gain=z.copy(),
            overhead=z.copy(),
            assigned_output=z.copy(),
            workload=z.copy(),
            coaching=z.copy(),
            safety=z.copy(),
            burnout=z.copy(),
            trust_ai=z.copy(),
            connection=z.copy(),
            anthropomorphism=z.copy(),
            skill=z.copy(),
            alignment=z.copy(),
            quit_intention=z.copy(),
            credit=np.zeros((n, len(DRIVERS))),
        )
        everyone = np.arange(n)
        state.fill(everyone, params, rng, initial=True)
        return state

    def fill(
        self,
        slots: np.ndarray,
        params: Params,
        rng: np.random.Generator,
        *,
        initial: bool = False,
    ) -> None:
        """Put fresh people into ``slots``: new traits, fresh state, no AI habits yet.

        Employees start without AI habits (adoption and proficiency zero);
        freelancers bring their own. At week 0 (``initial``) tenure is spread
        over past hires and early adopters already use AI a little.

        Args:
            slots: positions to fill.
            params: model parameters.
            rng: random generator.
            initial: whether this is the week-0 population rather than new hires.
        """
        k = slots.size
        if k == 0:
            return
        fl = self.role[slots] == FREELANCER
        emp = ~fl
        self.occupied[slots] = True
        self.vacancy_left[slots] = 0
        self.tenure[slots] = rng.integers(52, 520, size=k) if initial else 0
        self.engagement_left[slots] = np.where(
            fl, rng.geometric(1.0 / params.engagement_weeks, size=k), 0
        )
        # Traits.
        drive = rng.beta(2.0, 2.0, size=k) * 2 * params.self_upskilling
        self.self_drive[slots] = np.clip(np.where(fl, np.maximum(drive, 0.7), drive), 0, 1)
        self.optimism[slots] = params.self_report_optimism * rng.lognormal(
            -0.5 * OPTIMISM_SPREAD**2, OPTIMISM_SPREAD, size=k
        )
        self.response_style[slots] = rng.standard_normal(k)
        self.base_load[slots] = np.where(
            fl, rng.normal(0.85, 0.08, size=k), rng.normal(0.9, 0.08, size=k)
        )
        self.autonomy[slots] = np.where(fl, params.freelancer_autonomy, params.fte_autonomy)
        self.trained[slots] = emp & (rng.random(k) < params.employer_training)
        # State.
        fl_adopt = rng.beta(*FREELANCER_ADOPTION, size=k)
        early = rng.beta(1.0, 12.0, size=k) if initial else np.zeros(k)
        self.adoption[slots] = np.where(fl, fl_adopt, early)
        self.proficiency[slots] = np.where(fl, 0.5 * fl_adopt, 0.5 * early)
        self.learning_mode[slots] = np.where(
            fl, rng.beta(8.0, 2.0, size=k), rng.beta(3.0, 7.0, size=k)
        )
        self.gross_gain[slots] = 0.0
        self.true_gain[slots] = 0.0
        self.reported_gain[slots] = 0.0
        self.overhead[slots] = 0.0
        self.assigned_output[slots] = self.base_load[slots]
        self.workload[slots] = self.base_load[slots]
        self.burnout[slots] = rng.beta(2.0, 6.0, size=k)
        self.trust_ai[slots] = rng.beta(3.0, 5.0, size=k)
        self.connection[slots] = np.where(fl, 0.3, rng.beta(6.0, 3.0, size=k) if initial else 0.35)
        self.anthropomorphism[slots] = rng.beta(1.5, 8.0, size=k)
        self.skill[slots] = np.where(fl, 0.3 * fl_adopt, 0.0)
        self.alignment[slots] = rng.beta(4.0, 4.0, size=k)
        self.quit_intention[slots] = 0.2
        self.credit[slots] = 0.0
        if not initial and fl.any():
            self._hire_from_market(slots[fl], rng)

    def _hire_from_market(self, slots: np.ndarray, rng: np.random.Generator) -> None:
        """Give new freelancers the AI habits of a freelancer already working (the market's).

        Freelancers keep using AI between engagements, so most new ones arrive
        with habits like those of the freelancers already here; a share
        NEW_ENTRANT_SHARE are new to freelancing and keep their fresh habits.
        """
        peers = np.setdiff1d(np.flatnonzero(self.occupied & (self.role == FREELANCER)), slots)
        slots = slots[rng.random(slots.size) >= NEW_ENTRANT_SHARE]
        if peers.size == 0 or slots.size == 0:
            return
        src = rng.choice(peers, size=slots.size)
        for name in MARKET_HABITS:
            arr = getattr(self, name)
            arr[slots] = arr[src]

    def vacate(self, slots: np.ndarray, weeks: int | np.ndarray) -> None:
        """Mark ``slots`` vacant for ``weeks`` weeks."""
        self.occupied[slots] = False
        self.vacancy_left[slots] = weeks


def role_masks(role: np.ndarray) -> dict[str, np.ndarray]:
    """Return boolean masks ``{"ic", "manager", "executive", "freelancer", "fte"}`` for ``role``."""
    return {
        "ic": role == IC,
        "manager": role == MANAGER,
        "executive": role == EXECUTIVE,
        "freelancer": role == FREELANCER,
        "fte": role != FREELANCER,
    }
