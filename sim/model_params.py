"""The first four kinds of the model's parameters: structure, levers, behaviour and evidence.

:class:`ModelParams` holds the fields that describe the organisation, the report's
redesign levers, the behavioural rates the calibration may move and the values
fixed from outside evidence; :class:`sim.params.Params` adds the constants of the
weekly rules, the validation and the helpers. Use :class:`sim.params.Params`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["structure", "lever", "behaviour", "evidence"]


def param(
    default: float | int,
    lo: float,
    hi: float,
    unit: str,
    kind: Kind,
    doc: str,
    source: str = "",
) -> Any:
    """A parameter field: its default, allowed range, unit, kind, meaning and source."""
    return field(
        default=default,
        metadata={"lo": lo, "hi": hi, "unit": unit, "kind": kind, "doc": doc, "source": source},
    )


@dataclass(frozen=True)
class ModelParams:
    """Structure, levers, behaviour and evidence (the base of :class:`sim.params.Params`)."""

    # --- structure -------------------------------------------------------------
    n_agents: int = param(
        1000,
        10,
        10_000_000,
        "agents",
        "structure",
        "total headcount positions: employees plus freelancers",
    )
    freelancer_share: float = param(
        0.10,
        0.0,
        0.9,
        "share of positions",
        "structure",
        "share of positions filled by freelancers",
    )
    exec_share: float = param(
        0.02,
        0.0,
        0.2,
        "share of FTEs",
        "structure",
        "share of full-time positions that are executives (at least one)",
    )
    span_of_control: int = param(
        10,
        2,
        40,
        "reports per manager",
        "structure",
        "direct reports per manager",
        "related coverage of the report: about twice five years ago",
    )
    cross_team_ties: float = param(
        2.0,
        0.0,
        20.0,
        "ties per FTE",
        "structure",
        "mean number of ties each FTE has to people in other teams",
    )

    # --- levers (the report's five redesigns) -----------------------------------
    employer_training: float = param(
        0.286,
        0.0,
        1.0,
        "share of individual contributors",
        "lever",
        "share of individual contributors given employer AI training, tools and incentives; "
        "managers and executives are trained at higher odds (manager_training_odds, "
        "executive_training_odds)",
        "Microsoft & LinkedIn 2024 Work Trend Index: 39% of AI users trained by their company "
        "(the share among the model's users in March 2024 at this value: "
        "scripts/anchor_training.py)",
    )
    output_conversion: float = param(
        0.80,
        0.0,
        1.0,
        "share of saved time",
        "lever",
        "share of the time AI saves that is turned into more assigned work",
    )
    touchpoints: float = param(
        1.0,
        0.0,
        20.0,
        "hours per person per week",
        "lever",
        "intentional human touchpoints: mentoring, team reflection, open feedback",
        "status quo about an hour a week (the report: few intentional touchpoints)",
    )
    coaching_hours: float = param(
        0.25,
        0.0,
        4.0,
        "hours per report per week",
        "lever",
        "coaching time a manager sets aside for each report, beyond what slack leaves",
        "status quo a quarter of an hour (the report: managers with little time to coach); "
        "Clifton & Harter 2023 (one meaningful conversation a week with each report, "
        "which can be as short as a quarter of an hour)",
    )
    psych_safety: float = param(
        0.51,
        0.0,
        1.0,
        "climate score",
        "evidence",
        "psychological-safety climate a team settles at with middling coaching and ties; what "
        "leaders and members do moves it from there",
        "Edmondson 1999 (safety as a team climate); set so that in spring 2023 53% of ICs "
        "agree they feel safe taking risks (the survey's rule for a plain agree item on the "
        "team's climate), as in Wiley Workplace Intelligence 2023 (ICs 53%, managers 64%)",
    )
    strategy_clarity: float = param(
        0.20, 0.0, 1.0, "clarity score", "lever", "clarity of AI goals, norms and governance"
    )
    manager_training: float = param(
        0.20,
        0.0,
        1.0,
        "skill score",
        "lever",
        "managers' coaching and AI-steering skill (training)",
    )
    freelancer_embedding: float = param(
        0.20,
        0.0,
        1.0,
        "share of ties",
        "lever",
        "how embedded freelancers are: their habits pass to teammates",
    )

    # --- behaviour (calibration candidates) -------------------------------------
    self_report_optimism: float = param(
        1.5,
        0.0,
        5.0,
        "x true gross gain",
        "behaviour",
        "extra self-reported gain per unit of gross gain",
        "Humlum & Vestergaard 2025; METR 2025: self-reports exceed measures",
    )
    proficiency_rate: float = param(
        0.04,
        0.001,
        0.5,
        "per week",
        "behaviour",
        "speed at which AI use turns into proficiency",
        "learning curves, Wright 1936; Brynjolfsson et al. 2025",
    )
    peer_influence: float = param(
        0.0073,
        0.0,
        1.0,
        "per week",
        "evidence",
        "adoption pull from adopting neighbours (Bass imitation on a graph)",
        "Bass 1969; Valente 1996; Sultan, Farley & Lehmann 1990 (meta-analysis: mean "
        "imitation q = 0.38 a year, 0.0073 a week)",
    )
    demand_sensitivity: float = param(
        1.0,
        0.2,
        3.0,
        "weight",
        "behaviour",
        "weight of job demands against resources in exhaustion",
        "Bakker & Demerouti 2007 (job demands-resources)",
    )
    skill_rate: float = param(
        0.03,
        0.001,
        0.5,
        "per week",
        "behaviour",
        "skill and specialisation growth of a full, proficient learning-partner AI user with "
        "top tools and full control over the job",
        "Dell'Acqua et al. 2023; Brynjolfsson, Li & Raymond 2025 (AI speeds learning); "
        "Karasek & Theorell 1990 (learning needs job control); Anand & Idan 2026 (learning "
        "pays with AI competence)",
    )
    recovery_rate: float = param(
        0.05,
        0.005,
        1.0,
        "per week",
        "behaviour",
        "how fast exhaustion recovers once demands fall below resources",
        "Sonnentag & Fritz 2015 (recovery)",
    )
    substitution_rate: float = param(
        0.03,
        0.0,
        0.5,
        "per week",
        "behaviour",
        "how fast ties to coworkers fade as AI replaces interaction",
        "the report; Tang et al. 2023 (AI use and loneliness)",
    )
    trust_rate: float = param(
        0.2,
        0.0,
        1.0,
        "per week",
        "behaviour",
        "how fast trust in AI follows experienced AI reliability",
        "Lee & See 2004; Hoff & Bashir 2015",
    )
    alignment_erosion: float = param(
        0.02,
        0.0,
        1.0,
        "per week",
        "behaviour",
        "how fast alignment erodes when AI use outruns strategy",
        "the report (misalignment of heavy users)",
    )
    quit_intention_slope: float = param(
        23.7,
        0.0,
        40.0,
        "logit per unit",
        "evidence",
        "how strongly strain drives intention to quit",
        "set with quit_strain_midpoint and the exhaustion constants so that, in the steady "
        "state without AI, burnt-out employees leave twice as often as the rest within a year, "
        "the middle of the 1.5 to 3 of prospective studies (Salvagioni et al. 2017; Swider & "
        "Zimmerman 2010); Mobley 1977; Griffeth et al. 2000",
    )
    anthropomorphism_rate: float = param(
        0.02,
        0.0,
        1.0,
        "per week",
        "behaviour",
        "how fast regular AI users come to treat AI as a social partner (for average "
        "innovativeness: the rate is multiplied by each person's)",
        "Epley, Waytz & Cacioppo 2007; Nass & Moon 2000; Moussawi, Koufaris & Benbunan-Fich "
        "2021 and Jo & Baek 2024 (anthropomorphism goes with intensive use of AI assistants)",
    )

    # --- fixed from outside evidence --------------------------------------------
    innovation_rate: float = param(
        0.003,
        0.0,
        0.5,
        "per week",
        "evidence",
        "adoption pull independent of peers (Bass innovation)",
        "Bass 1969; set by hand so that about a third of employees use generative AI at "
        "work in August 2024 (35% in the model), between the 28% of all employed and the over "
        "40% of management, business and computer occupations (Bick, Blandin & Deming 2024), "
        "so the adoption levels of the validation suite are a check of consistency, not a test",
    )
    true_gain_max: float = param(
        0.30,
        0.0,
        2.0,
        "share of output",
        "evidence",
        "true gain at full adoption, proficiency and tool quality",
        "Noy & Zhang 2023; Dell'Acqua et al. 2023; Brynjolfsson et al. 2025",
    )
    learning_overhead: float = param(
        0.30,
        0.0,
        1.0,
        "share of hours",
        "evidence",
        "time cost of learning and checking AI at zero proficiency",
        "Brynjolfsson, Rock & Syverson 2021 (productivity J-curve)",
    )
    tool_quality_start: float = param(
        0.30,
        0.0,
        1.0,
        "score",
        "evidence",
        "AI tool quality when generative AI arrives (30 November 2022)",
        "benchmark progress of frontier models 2023-2025",
    )
    tool_quality_midpoint: float = param(
        78.0,
        0.0,
        520.0,
        "weeks",
        "evidence",
        "weeks after AI arrives at which tool quality is halfway to its ceiling",
        "Fisher & Pry 1971 (S-shaped capability curves); set by hand, loosely, on frontier-model "
        "benchmark progress 2023-2025 (halfway in late May 2024); no study measures how useful "
        "the tools were for work over time, and the predictions for the held-out 2024 wave show "
        "what leans on it (docs/calibration.md)",
    )
    tool_quality_width: float = param(
        25.0,
        1.0,
        260.0,
        "weeks",
        "evidence",
        "width of the logistic tool-quality curve",
        "as `tool_quality_midpoint`: from 0.30 at launch to 0.57 by the 2024 wave and 0.89 "
        "by the 2025 wave",
    )
    generative_ai: int = param(
        1,
        0,
        1,
        "switch",
        "structure",
        "whether generative AI arrives (1: on 30 November 2022; 0: never, the world without AI)",
        "ChatGPT's public release; 0 gives the counterfactual organisation without AI",
    )
    burn_in_weeks: int = param(
        52,
        0,
        520,
        "weeks",
        "structure",
        "weeks the organisation runs without AI before it arrives, to reach its steady state",
        "about two time constants of the slowest state (ties: tie_build and tie_decay)",
    )
    manager_own_work: float = param(
        0.65,
        0.0,
        1.0,
        "share of an individual workload",
        "evidence",
        "individual work a middle manager carries besides managing (player-coach)",
        "BLS Current Population Survey: managers' usual weekly hours about a tenth above "
        "other full-time workers'; Gallup 2026a (97% of managers also do individual "
        "contributors' work); Gartner 2023 (managers with half again more responsibilities "
        "than they can manage)",
    )
    executive_own_work: float = param(
        0.5,
        0.0,
        1.0,
        "share of an individual workload",
        "structure",
        "individual work an executive carries besides managing",
        "assumption",
    )
    output_noise: float = param(
        0.10,
        0.0,
        1.0,
        "share of output",
        "evidence",
        "spread of the weekly error with which the organisation measures a person's output gain",
        "Viswesvaran, Ones & Schmidt 1996 (reliability of performance ratings about 0.5)",
    )
    base_load_spread: float = param(
        0.15,
        0.0,
        0.5,
        "working weeks",
        "evidence",
        "spread of assigned work before AI across people (standard deviation; mean 0.9)",
        "BLS Current Population Survey: usual weekly hours of full-time workers, mean about "
        "42 and standard deviation about 7 (a sixth of a week)",
    )
    labour_market: float = param(
        1.0,
        0.0,
        2.0,
        "demand index",
        "evidence",
        "outside demand for AI skills (1: the 2023-2025 market) that turns skills above "
        "one's colleagues' into options",
        "Trevor 2001 (ease of movement relative to other job seekers); job postings asking "
        "for AI skills 2023-2025",
    )
    self_upskilling: float = param(
        0.44,
        0.0,
        1.0,
        "share",
        "evidence",
        "share of employees who upskill in AI on their own initiative",
        "EY European AI Barometer 2024 (published July 2024, employees in nine European "
        "countries): 44% were educating themselves in AI, from 37% in Germany to 60% in "
        "Switzerland",
    )
    burnout_contagion: float = param(
        0.05,
        0.0,
        1.0,
        "per week",
        "evidence",
        "pull of a teammate's exhaustion on one's own",
        "Bakker, Le Blanc & Schaufeli 2005 (burnout contagion)",
    )
    manager_training_odds: float = param(
        1.1,
        1.0,
        10.0,
        "odds ratio",
        "evidence",
        "odds of a middle manager being given employer AI training, relative to an individual "
        "contributor's",
        "BCG 2024 (AI at Work: Friend and Foe, published June 2024; 13,102 employees in 15 "
        "countries and regions): 30% of managers and 28% of frontline employees had been "
        "trained in how AI will change their jobs, (0.30 / 0.70) / (0.28 / 0.72) = 1.1",
    )
    executive_training_odds: float = param(
        2.57,
        1.0,
        20.0,
        "odds ratio",
        "evidence",
        "odds of an executive being given employer AI training, relative to an individual "
        "contributor's",
        "BCG 2024 (AI at Work: Friend and Foe): half of leaders against 28% of frontline "
        "employees trained, (0.50 / 0.50) / (0.28 / 0.72) = 2.57",
    )
    fte_autonomy: float = param(
        0.78,
        0.0,
        1.0,
        "score",
        "evidence",
        "job autonomy of full-time employees: share of full control over how one works",
        "GSS Quality of Working Life 2002-2018, employees: 'a lot of freedom to decide how to "
        "do my own work', mean coded 0 (not at all true) to 1 (very true); Karasek 1979",
    )
    freelancer_autonomy: float = param(
        0.94,
        0.0,
        1.0,
        "score",
        "evidence",
        "job autonomy of freelancers: share of full control over how one works",
        "GSS Quality of Working Life 2002-2018, self-employed who supervise no one: the same "
        "item and coding",
    )
    quit_rate_min: float = param(
        0.04,
        0.0,
        1.0,
        "per year",
        "evidence",
        "yearly quit rate of a content employee",
        "BLS JOLTS, professional and business services",
    )
    quit_rate_max: float = param(
        0.35,
        0.0,
        1.0,
        "per year",
        "evidence",
        "yearly quit rate of an employee fully intent on leaving",
        "Cohen, Blake & Goodman 2016 (a quarter to a half of those intending to quit leave "
        "within a year: the middle of that range); Griffeth et al. 2000",
    )
    vacancy_weeks: int = param(
        6,
        0,
        52,
        "weeks",
        "evidence",
        "weeks from a quit to the new hire's start",
        "SHRM benchmarks: about 6 weeks to fill",
    )
    ramp_up_weeks: int = param(
        12,
        0,
        104,
        "weeks",
        "evidence",
        "weeks until a new hire reaches full output",
        "onboarding studies: 3 to 6 months",
    )
    engagement_weeks: float = param(
        26.0, 1.0, 260.0, "weeks", "evidence", "mean length of a freelance engagement"
    )
    renewal_rate: float = param(
        0.6, 0.0, 1.0, "share", "evidence", "share of ending freelance engagements that are renewed"
    )

    # ======================================================================
    # The rules' own constants (issue 12, item 6). They were module constants
    # and literals of sim/rules.py; their defaults are the values the rules
    # used, so the numbers do not change. None of them is calibrated: the
    # calibration frees only sim.calibration.FREE_PARAMETERS, whatever the kind.
    # ======================================================================


#: The parameters that were constants and literals of ``sim.rules`` until issue 12. Their
#: defaults are the values the rules used; the calibration keeps them at those values
#: unless ``sim.calibration.FREE_PARAMETERS`` names them.
RULE_CONSTANTS: tuple[str, ...] = (
    "report_time",
    "steer_time",
    "coach_full",
    "training_load_relief",
    "untrained_coaching_quality",
    "executive_support",
    "safety_coaching_weight",
    "safety_ties_weight",
    "safety_touch_weight",
    "safety_rate",
    "touch_hours_full",
    "experiment_full",
    "habit_rate",
    "freelancer_exposure_full",
    "novice_gain",
    "credit_half_life",
    "planning_rate",
    "vacancy_cover",
    "burnout_steepness",
    "burnout_threshold",
    "burnout_rise",
    "ambiguity_weight",
    "burnout_effort_loss",
    "reliability_base",
    "reliability_skill",
    "failure_salience",
    "trust_asymmetry",
    "daily_contact",
    "coaching_contact",
    "peer_contact",
    "tie_build",
    "tie_decay",
    "anthro_fade",
    "align_rate",
    "alignment_drift",
    "intention_rate",
    "quit_weight_burnout",
    "quit_strain_midpoint",
    "quit_weight_ties",
    "quit_weight_alignment",
    "quit_weight_outside",
    "freelancer_quit_weight_burnout",
    "freelancer_quit_weight_autonomy",
    "freelancer_gap",
)
