"""Mesa agents: views onto the model's state arrays.

An agent holds only its position (``slot``); every state attribute reads and
writes the model's array entry, so ``agent.burnout`` *is*
``model.state.burnout[agent.slot]``. Agents are fixed to their position's cell
in the Mesa network space. The weekly rules never loop over agents: they work
on the arrays (``sim.rules``); agents exist for inspection, visualisation and
Mesa's tooling (``AgentSet`` queries, ``batch_run``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mesa.discrete_space import FixedAgent

from sim.organisation import EXECUTIVE, FREELANCER, IC, MANAGER

if TYPE_CHECKING:
    from mesa.discrete_space import Cell

    from sim.model import WorkplaceModel


class StateView:
    """Descriptor that maps an agent attribute to its entry in a state array."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, agent: Worker | None, owner: type | None = None) -> Any:
        if agent is None:
            return self
        return getattr(agent.model.state, self.name)[agent.slot].item()

    def __set__(self, agent: Worker, value: Any) -> None:
        getattr(agent.model.state, self.name)[agent.slot] = value


class Worker(FixedAgent):
    """A person in one position of the organisation.

    Attributes:
        slot: the position index in every state array (and the network node).
    """

    role_code: int = -1

    adoption = StateView()
    proficiency = StateView()
    learning_mode = StateView()
    true_gain = StateView()
    reported_gain = StateView()
    workload = StateView()
    burnout = StateView()
    trust_ai = StateView()
    connection = StateView()
    anthropomorphism = StateView()
    skill = StateView()
    alignment = StateView()
    quit_intention = StateView()
    safety = StateView()
    coaching = StateView()
    management_load = StateView()
    trained = StateView()
    tenure = StateView()

    def __init__(self, model: WorkplaceModel, slot: int, cell: Cell) -> None:
        """Create the person in position ``slot`` and place them on its cell."""
        super().__init__(model)
        self.slot = slot
        self.cell = cell

    @property
    def team(self) -> int:
        """Team index of the position."""
        return int(self.model.state.team[self.slot])

    @property
    def manager(self) -> Worker | None:
        """The agent in the manager's position, or None (executives, vacant manager)."""
        boss = int(self.model.state.manager[self.slot])
        return self.model.occupant(boss) if boss >= 0 else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(slot={self.slot}, burnout={self.burnout:.2f})"


class IndividualContributor(Worker):
    """A full-time employee without reports."""

    role_code = IC


class Manager(Worker):
    """A full-time employee with reports, between leadership's aims and the team's tools."""

    role_code = MANAGER


class Executive(Worker):
    """A C-suite member at the top of a division."""

    role_code = EXECUTIVE


class Freelancer(Worker):
    """An independent professional engaged by a team for a while."""

    role_code = FREELANCER


#: Agent class for each role code.
AGENT_CLASSES: tuple[type[Worker], ...] = (IndividualContributor, Manager, Executive, Freelancer)
