"""The response curves that the weekly rules and the steady start share.

Exhaustion, intention to quit and the yearly quit rate are each one equation, used
every week by :mod:`sim.rules` and once, at the start, by
:func:`sim.state.incumbent_traits` to draw who is present in a settled organisation.
Keeping them here means the steady start always follows the rules it starts. The
equations and their sources are in docs/ODD.md (7.8 and 7.12).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from sim.params import Params


def exhaustion_level(
    demands: np.ndarray,
    resources: np.ndarray,
    proneness: np.ndarray,
    job_demands: np.ndarray,
    p: Params,
) -> np.ndarray:
    """Exhaustion the demands and resources set for a person (job demands-resources).

    ``b* = expit(burnout_steepness (D - R - burnout_threshold) + burnout_trait_spread x
    + job_demand_spread j)`` with ``x`` the person's proneness to exhaustion and ``j``
    the demands of the position's job beyond its hours (Demerouti et al. 2001; Alarcon,
    Eschleman & Bowling 2009; Swider & Zimmerman 2010).
    """
    return expit(
        p.burnout_steepness * (demands - resources - p.burnout_threshold)
        + p.burnout_trait_spread * proneness
        + p.job_demand_spread * job_demands
    )


def employee_strain(
    burnout: np.ndarray,
    connection: np.ndarray,
    alignment: np.ndarray,
    ease: np.ndarray | float,
    push: np.ndarray,
    p: Params,
) -> np.ndarray:
    """An employee's strain towards quitting.

    ``z = w_b b + w_c (1 - c) + w_al (1 - al) + w_o ease + w_r push`` (Griffeth, Hom &
    Gaertner 2000; Mitchell et al. 2001; Trevor 2001).
    """
    return (
        p.quit_weight_burnout * burnout
        + p.quit_weight_ties * (1.0 - connection)
        + p.quit_weight_alignment * (1.0 - alignment)
        + p.quit_weight_outside * ease
        + p.quit_weight_other * push
    )


def intention_level(strain: np.ndarray, p: Params, midpoint: float | None = None) -> np.ndarray:
    """Intention to quit that a strain sets: ``expit(quit_intention_slope (z - z0))``.

    ``z0`` is ``quit_strain_midpoint`` unless ``midpoint`` is given (Mobley 1977).
    """
    z0 = p.quit_strain_midpoint if midpoint is None else midpoint
    return expit(p.quit_intention_slope * (strain - z0))


def yearly_quit_rate(intention: np.ndarray, p: Params) -> np.ndarray:
    """Yearly quit rate of an employee: ``quit_rate_min + (quit_rate_max - quit_rate_min) q``."""
    return p.quit_rate_min + (p.quit_rate_max - p.quit_rate_min) * intention
