"""The calibrated parameters, their priors and why; the parameters they are set on.

:data:`FREE_PARAMETERS` lists the behavioural parameters the calibration fits,
each with a uniform or log-uniform prior and the evidence behind its bounds;
:data:`FIXED_BEHAVIOUR` says why the other behavioural parameters stay fixed.
This module sits at the bottom of the calibration package: it needs only the
parameters and the scenario files, so anything may import it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from sim.params import Params
from sim.scenarios import bundled_dir, load_scenario

__all__ = [
    "FIXED_BEHAVIOUR",
    "FREE_PARAMETERS",
    "PRIOR_BOUNDS",
    "FreeParameter",
    "bundled_baseline",
]


@dataclass(frozen=True)
class FreeParameter:
    """One calibrated parameter: its prior and why.

    The prior is uniform on ``[lo, hi]``, or on ``[log10 lo, log10 hi]`` when
    ``log`` (a rate whose plausible values span orders of magnitude).

    Attributes:
        name: the parameter of :class:`sim.params.Params`.
        lo: lower bound of the prior (natural units).
        hi: upper bound of the prior (natural units).
        log: whether the prior is log-uniform.
        why: what the bounds rest on.
    """

    name: str
    lo: float
    hi: float
    log: bool
    why: str

    @property
    def key(self) -> str:
        """Name in the sampler's space (``log10_<name>`` for log-uniform priors)."""
        return f"log10_{self.name}" if self.log else self.name

    @property
    def bounds(self) -> tuple[float, float]:
        """Bounds in the sampler's space."""
        if self.log:
            return math.log10(self.lo), math.log10(self.hi)
        return self.lo, self.hi

    def natural(self, x: float) -> float:
        """Map a value of the sampler's space to the parameter's units."""
        return float(10.0**x) if self.log else float(x)

    def sampler_value(self, value: float) -> float:
        """Map a value in the parameter's units to the sampler's space."""
        return math.log10(value) if self.log else float(value)

    def unit(self, value: float) -> float:
        """Position of ``value`` in the prior range, 0 at ``lo`` and 1 at ``hi``."""
        a, b = self.bounds
        return (self.sampler_value(value) - a) / (b - a)

    def at_unit(self, x: float) -> float:
        """Value at position ``x`` of the prior range, the inverse of :meth:`unit`.

        ``x`` is clipped to 0 and 1; the value is in the parameter's units, within
        ``lo`` and ``hi``.
        """
        a, b = self.bounds
        x = min(max(float(x), 0.0), 1.0)
        return min(max(self.natural(a + x * (b - a)), self.lo), self.hi)

    def prior_text(self) -> str:
        """Human-readable prior, e.g. ``log-uniform 0.005 to 0.2``."""
        kind = "log-uniform" if self.log else "uniform"
        return f"{kind} {self.lo:g} to {self.hi:g}"


#: The calibrated parameters (32 targets): eleven behavioural ones.
FREE_PARAMETERS: tuple[FreeParameter, ...] = (
    FreeParameter(
        "self_report_optimism",
        0.0,
        4.0,
        False,
        "self-reports of AI gains run from about the measured gain (0) to several times it: "
        "Humlum & Vestergaard 2025 find reported time savings far above measured earnings "
        "effects; METR 2025 found developers reporting +20% where they were 19% slower",
    ),
    FreeParameter(
        "proficiency_rate",
        0.005,
        0.5,
        True,
        "weekly learning rate of AI proficiency at full use and full inputs: half-lives from "
        "about a week to 3 years span the learning-curve literature (Wright 1936) and the "
        "months-long ramp in Brynjolfsson, Li & Raymond 2025",
    ),
    FreeParameter(
        "skill_rate",
        0.005,
        0.25,
        True,
        "weekly growth of skills with AI as a learning partner at full use and proficiency, full "
        "job control and top tools: from years to a few weeks to grow half of what one can "
        "(Dell'Acqua et al. 2023; Brynjolfsson, Li & Raymond 2025 find novices catching up "
        "within months); "
        "the bound was set at 0.2 over the freelancers' autonomy of the time (0.85) when job "
        "control entered the rule, and kept when autonomy was anchored on the GSS",
    ),
    FreeParameter(
        "substitution_rate",
        0.003,
        0.2,
        True,
        "weekly fading of ties as AI stands in for colleagues: from negligible to the "
        "decay of unused ties within weeks (Burt 2000; Tang et al. 2023)",
    ),
    FreeParameter(
        "trust_rate",
        0.1,
        0.5,
        True,
        "weekly speed at which trust in automation follows experienced reliability "
        "(Lee & See 2004; Hoff & Bashir 2015): a delta rule's per-interaction weight of "
        "0.02 to 0.03 (Strickland et al. 2024; Beta updating after 15 to 100 outcomes: "
        "Guo & Yang 2021) over 5 to 25 interactions a week at full use (Chatterji et al. "
        "2025; Bick, Blandin & Deming 2024), 1 - (1 - w)^n",
    ),
    FreeParameter(
        "alignment_erosion",
        0.002,
        0.2,
        True,
        "weekly erosion of strategic alignment when AI use outruns strategy: no published "
        "rate, so two orders of magnitude around the default",
    ),
    FreeParameter(
        "steer_time",
        0.005,
        0.15,
        True,
        "weekly time per report a manager spends steering the team's AI integration at full "
        "adoption: from minutes to about six hours a week per report; the report describes "
        "middle managers steering their teams' integration under corporate policy, with no "
        "published measure of the time it takes",
    ),
    FreeParameter(
        "anthropomorphism_rate",
        0.003,
        1.0,
        True,
        "weekly growth of treating AI as a social partner with use, for a person of average "
        "innovativeness: from years to days, since social responses to computers can arise "
        "within a single session (Nass & Moon 2000; Epley, Waytz & Cacioppo 2007); the bound "
        "was 0.2 until innovativeness entered the rule",
    ),
    FreeParameter(
        "quit_weight_outside",
        0.0,
        0.5,
        False,
        "weight in strain of outside options (skills above one's colleagues'): from none to "
        "the weight of burnout (0.5); perceived alternatives predict turnover less strongly "
        "than burnout and satisfaction do (Griffeth, Hom & Gaertner 2000), and they act only "
        "once AI skills set people apart, so the anchors before AI leave it free",
    ),
    FreeParameter(
        "experiment_full",
        0.0125,
        0.4,
        True,
        "free time in a week that makes experimenting a full learning input, from half an hour "
        "(a few tries a day) to two working days (Google's '20% time', the most time set aside "
        "for exploration firms are known for); the report names time to experiment as a driver "
        "of gains, and no study measures how much it takes; 4 hours (0.1) was set by hand",
    ),
    FreeParameter(
        "demand_ai_fit",
        0.0,
        1.0,
        False,
        "log fit of AI per SD of a job's demands beyond hours: from none (AI fits every job "
        "alike) to a fit 2.7 times as high one SD up; exposure to generative AI rises with the "
        "cognitive demands and pay of jobs (Eloundou et al. 2024; Felten, Raj & Seamans 2021) "
        "but no study gives its slope on the demands behind exhaustion",
    ),
)
#: Each calibrated parameter's prior bounds, by name (natural units).
PRIOR_BOUNDS: dict[str, tuple[float, float]] = {p.name: (p.lo, p.hi) for p in FREE_PARAMETERS}

#: Behavioural parameters kept at their documented value, and why.
FIXED_BEHAVIOUR: dict[str, str] = {
    "demand_sensitivity": (
        "kept at 1, the neutral weight: slope, proneness trait and threshold of exhaustion "
        "are set from Gallup 2018's prevalence before AI, and a free weight of demands would "
        "only trade against them (it sat at its prior's bound when it was free)"
    ),
    "recovery_rate": (
        "kept at 0.05 a week (Sonnentag & Fritz 2015): in a screening of all eleven "
        "behavioural parameters (half to double their default) it moved no target by more "
        "than the seed noise, so the targets carry no information on it"
    ),
}


def bundled_baseline() -> Path:
    """The bundled baseline scenario file."""
    return bundled_dir() / "baseline.toml"


def _baseline_params() -> Params:
    """The baseline scenario's parameters without its calibrated values (model defaults there)."""
    params = load_scenario("baseline").params
    defaults = Params()
    return params.replace(**{p.name: getattr(defaults, p.name) for p in FREE_PARAMETERS})
