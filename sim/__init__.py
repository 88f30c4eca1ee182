"""workplace-sim: an agent-based simulation of how AI adoption reshapes work."""

from sim.errors import UserError
from sim.params import ParameterError, Params

__all__ = ["ParameterError", "Params", "UserError"]
__version__ = "0.1.0"
