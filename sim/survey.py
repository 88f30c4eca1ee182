"""The synthetic survey: the report's instrument applied to the simulated population.

A wave samples respondents as the report did (1,250 executives, 625 FTEs,
625 freelancers; everyone in a group smaller than that), turns each
respondent's state into answers with fixed response rules, and tabulates
shares (or means) per item and group.

The sampling frame is part of the instrument, not of the organisation. The
report's FTEs are individual contributors and middle managers in a mix it
does not state; its own figures pin it: the FTE average gain (40%) lies
between the managers' (42%) and the ICs' (36%), two thirds of the way to the
managers', so the FTE sample holds managers and ICs two to one
(:data:`FTE_MANAGER_SHARE`). The model draws FTE respondents by quota (up to
that share of managers, ICs for the rest) and weights them so that managers
count for exactly that share of every FTE figure (post-stratification,
whatever the organisation's own mix). Within every role, AI users weigh
:data:`USER_RESPONSE_RATIO` against non-users' 1: people take part more readily in a
survey on a topic they have a stake in (:func:`weights`).

Response rules are fixed a priori and the same for every run; calibration
never moves them. Each binary item compares a latent score built from the
respondent's state with one of three cut points set by the wording of the
question, after adding the respondent's response style and item noise::

    answer = latent + STYLE_LOADING * style_i + ITEM_NOISE * e > cut

with ``style_i ~ N(0, 1)`` a per-person acquiescence factor shared by all
items (Baumgartner & Steenkamp 2001) and ``e ~ N(0, 1)`` fresh per answer.
The cut points: ``LOW`` for "at least sometimes" wording, ``MID`` for a plain
agree/disagree, ``HIGH`` for "strongly agree" or "with every request"; a
comparison ("more than coworkers") uses 0 on the difference. docs/ODD.md
lists every item's latent score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from sim import calendar
from sim.errors import UserError
from sim.hints import did_you_mean
from sim.organisation import EXECUTIVE, FREELANCER, IC, MANAGER
from sim.state import DRIVERS, AgentState

#: Respondents per group, as in the report.
SAMPLE_SIZES = {"executive": 1250, "fte": 625, "freelancer": 625}
#: Middle managers' share of the report's FTE sample: (0.40 - 0.36) / (0.42 - 0.36), the
#: FTE average gain between the ICs' and the managers' (the report's role split). A fixed
#: property of the instrument, never calibrated.
FTE_MANAGER_SHARE = 2.0 / 3.0
#: Each sampled group's share of the report's 2,500 respondents (weights of group ``all``).
DESIGN_SHARES = {name: k / sum(SAMPLE_SIZES.values()) for name, k in SAMPLE_SIZES.items()}
_SAMPLED_GROUPS = {"executive": [EXECUTIVE], "fte": [IC, MANAGER], "freelancer": [FREELANCER]}
#: Weeks at which waves are taken, and the report year each stands for (the calendar's: the
#: middle of each wave's fieldwork).
WAVES = calendar.WAVE_WEEKS
#: Cut points on [0, 1] latent scales, set by the wording of a question.
LOW, MID, HIGH = 0.25, 0.5, 0.75
#: Loading of the shared response style, and the spread of item noise.
STYLE_LOADING = 0.05
ITEM_NOISE = 0.10
#: Spread of the noise on a reported productivity gain (rounding, recall).
GAIN_NOISE = 0.05
#: Adoption above which a respondent counts as "using AI".
USER_THRESHOLD = 0.1
#: How much more readily an AI user takes part in a survey on AI at work than a non-user.
#: People take part more readily in a survey on a topic they have a stake in: odds about 1.4
#: times as high (Groves, Presser & Dipko 2004), rates 1.3 to 1.4 times for groups with an
#: intense interest and little difference for diffuse ones (Groves et al. 2006), and the
#: effect is mostly a step between having a stake or not (Keusch 2013). Fixed a priori at
#: 1.5, in the 1.2 to 2 these give; never calibrated.
USER_RESPONSE_RATIO = 1.5
#: Reported gain that counts as the top of the "extra edge" scale (a doubling of output).
GAIN_SCALE = 1.0
#: How others' gains look to a respondent: half what they say of them, half what shows in
#: their output (an even split, fixed a priori; the organisation's own planning sees only
#: output, ``sim.rules.assign_work``).
SAID_WEIGHT = 0.5

_ALL = frozenset({IC, MANAGER, EXECUTIVE, FREELANCER})
_FTE = frozenset({IC, MANAGER})
_FTE_EXEC = frozenset({IC, MANAGER, EXECUTIVE})
_WORKERS = frozenset({IC, MANAGER, FREELANCER})

#: Which roles each item is asked of.
ASKED: dict[str, frozenset[int]] = {
    "productivity_gain": _ALL,
    "burnout": _ALL,
    "considering_quitting": _ALL,
    "misaligned": _FTE_EXEC,
    "trust_ai_more": _ALL,
    "better_relationship_ai": _ALL,
    "more_polite_to_ai": _ALL,
    "ai_more_polite": _ALL,
    "ai_more_empathetic": _ALL,
    "ai_as_coworker": _ALL,
    "please_thank_you": _ALL,
    "humanlike_phrasing": _ALL,
    "prefers_ai_over_people": _ALL,
    "employer_asks_too_much": _FTE,
    "new_projects": _FTE,
    "extra_edge_strong": _WORKERS,
    "positive_impact": _WORKERS,
    "learn_faster": _WORKERS,
    "specialize": frozenset({FREELANCER}),
    "trained": _FTE,
    "ai_added_workload": _FTE,
    "dont_know_how_to_gain": _FTE,
    "observed_gains": frozenset({EXECUTIVE}),
    **{f"driver_{d}": _FTE for d in DRIVERS},
}
ITEMS = tuple(ASKED)
#: Items whose wording refers to one's own use of or dealings with AI, asked only of those
#: who use it (adoption above USER_THRESHOLD): a questionnaire routes them past a filter
#: question, since "please and thank you with every request to AI" or "how your daily AI
#: use ties to company goals" have no answer for someone who does not use AI. Items that
#: compare AI with people without presupposing use (trusting AI more than coworkers,
#: preferring AI to people, seeing AI as a coworker) are asked of everyone, as are
#: burnout, intentions, workload and training. Drivers are asked of those with gains.
AI_USE_ITEMS = frozenset(
    {
        "productivity_gain",
        "misaligned",
        "better_relationship_ai",
        "more_polite_to_ai",
        "ai_more_polite",
        "ai_more_empathetic",
        "please_thank_you",
        "humanlike_phrasing",
        "new_projects",
        "extra_edge_strong",
        "positive_impact",
        "learn_faster",
        "specialize",
    }
)
_ASKED_BY_ROLE = {item: np.isin(np.arange(4), list(roles)) for item, roles in ASKED.items()}
GROUPS = (
    "all",
    "workers",
    "fte",
    "ic",
    "manager",
    "executive",
    "freelancer",
    "top_quartile",
    "rest",
)
#: Group of the relative-risk rows (top quartile against the rest).
RELATIVE_RISK = "top_vs_rest"
COLUMNS = ["wave", "item", "group", "value", "n"]


@dataclass
class Context:
    """What a wave needs beyond the state: tool quality, colleagues' courtesy, perceived gains.

    Attributes:
        tool_quality: ``Q`` in the week of the wave.
        peer_courtesy: tie-weighted mean of ``1 - burnout / 2`` over present neighbours
            (how courteous the people around one are).
        peer_gain: the gain one sees in the people one compares oneself with: their
            perceived gain ``v r + (1 - v) g`` (``v`` = :data:`SAID_WEIGHT`: half what
            they say, half what shows in their output), for employees the tie-weighted
            mean of present neighbours (coworkers), for freelancers the mean of all
            present freelancers (their market).
        division_gain: per position, the mean perceived gain ``v r + (1 - v) g`` of
            the employees in its division: what an executive observes of them, half
            what they say and half what shows in their output, as anyone sees others'
            gains.
    """

    tool_quality: float
    peer_courtesy: np.ndarray
    peer_gain: np.ndarray
    division_gain: np.ndarray


def context(s: AgentState, adjacency: sp.csr_matrix, tool_quality: float) -> Context:
    """Compute the :class:`Context` of a wave from the state."""
    occ = s.occupied.astype(np.float64)
    perceived = SAID_WEIGHT * s.reported_gain + (1 - SAID_WEIGHT) * s.true_gain
    own = np.column_stack([1.0 - 0.5 * s.burnout, perceived])
    y = adjacency @ np.column_stack([own * occ[:, None], occ])
    lonely = y[:, 2] <= 1e-9
    peers = np.where(lonely[:, None], own, y[:, :2] / np.where(lonely, 1.0, y[:, 2])[:, None])
    emp = occ * s.employee
    fl = occ * s.freelancer
    if fl.any():  # freelancers compete with freelancers, not with their clients' staff
        peers[s.freelancer, 1] = float(fl @ perceived / fl.sum())
    div = np.maximum(s.division, 0)
    total = np.bincount(div, weights=perceived * emp, minlength=s.n)
    count = np.bincount(div, weights=emp, minlength=s.n)
    return Context(tool_quality, peers[:, 0], peers[:, 1], (total / np.maximum(count, 1))[div])


def coworker_trust(connection: np.ndarray, safety: np.ndarray) -> np.ndarray:
    """Trust in coworkers: one's ties and the team's psychological safety, equally weighted.

    ``tc = (c + safety) / 2``. Sources: McAllister 1995 (affect-based trust
    grows from ties); Edmondson 1999 (safety as shared interpersonal trust).
    """
    return 0.5 * (connection + safety)


def sample(s: AgentState, rng: np.random.Generator) -> np.ndarray:
    """Draw respondents as the report did: positions of the sampled present people.

    Executives and freelancers are sampled without replacement up to their
    size in :data:`SAMPLE_SIZES` (a smaller group is surveyed whole). FTEs are
    drawn by quota: managers up to :data:`FTE_MANAGER_SHARE` of the FTE sample,
    individual contributors for the rest (and managers again if ICs run out).
    """
    present = s.occupied
    pools = {
        "executive": np.flatnonzero(present & (s.role == EXECUTIVE)),
        "manager": np.flatnonzero(present & (s.role == MANAGER)),
        "ic": np.flatnonzero(present & (s.role == IC)),
        "freelancer": np.flatnonzero(present & (s.role == FREELANCER)),
    }
    n_fte = min(SAMPLE_SIZES["fte"], pools["manager"].size + pools["ic"].size)
    k_manager = min(round(FTE_MANAGER_SHARE * n_fte), pools["manager"].size)
    k_ic = min(n_fte - k_manager, pools["ic"].size)
    k_manager = n_fte - k_ic
    quota = {
        "executive": min(SAMPLE_SIZES["executive"], pools["executive"].size),
        "manager": k_manager,
        "ic": k_ic,
        "freelancer": min(SAMPLE_SIZES["freelancer"], pools["freelancer"].size),
    }
    picked = [
        np.sort(rng.choice(pools[name], size=k, replace=False)) if k else pools[name][:0]
        for name, k in quota.items()
    ]
    return np.concatenate(picked)


def weights(role: np.ndarray, user: np.ndarray | None = None) -> np.ndarray:
    """Respondent weights: who answers, then FTEs post-stratified to the report's manager share.

    Who answers: an AI user weighs :data:`USER_RESPONSE_RATIO` against a non-user's 1, the
    composition a survey on AI at work gets when users take part that much more readily
    (in expectation over who takes part; the quotas fix only the roles). Then, within the
    FTEs, managers' weights are scaled to :data:`FTE_MANAGER_SHARE` of the FTEs' total
    and the ICs' to the rest, so weighted FTE figures give managers exactly the report's
    share; with no respondent of one role the other is left as it is.

    Args:
        role: each respondent's role.
        user: whether each respondent uses AI (``None``: no one is weighted as a user).
    """
    w = np.ones(role.size) if user is None else np.where(user, USER_RESPONSE_RATIO, 1.0)
    manager, ic = role == MANAGER, role == IC
    w_m, w_ic = w[manager].sum(), w[ic].sum()
    if w_m > 0 and w_ic > 0:
        w[manager] *= FTE_MANAGER_SHARE * (w_m + w_ic) / w_m
        w[ic] *= (1.0 - FTE_MANAGER_SHARE) * (w_m + w_ic) / w_ic
    return w


def respond(
    s: AgentState, slots: np.ndarray, ctx: Context, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Return every respondent's answer to every item (bool, or the gain for ``productivity_gain``).

    Latent scores (all from the respondent's state; docs/ODD.md explains each):

    - burnout ``b`` > LOW: burnt out "at least sometimes", as the workforce surveys before
      AI asked it (Gallup 2018: 67% at least sometimes, 23% very often or always, the
      model's ``b`` > 0.5); considering_quitting ``q`` > MID; misaligned ``1 - al`` > MID
    - trust_ai_more ``t - tc`` > 0 with coworker trust ``tc = (c + safety) / 2``
    - prefers_ai_over_people ``(t + h) / 2 - (1 - b/2) tc`` > 0: the pull of AI (what one
      trusts it with and how socially one relates to it) against the pull of people as
      one's exhaustion leaves it (depersonalisation: Maslach, Schaufeli & Leiter 2001);
      AI is always available and never judges (the report)
    - better_relationship_ai ``(t + h) / 2 - c`` > 0
    - more_polite_to_ai ``h - (1 - b/2)(0.5 + 0.5 c)`` > 0 (exhaustion and distance
      wear down courtesy to people: Maslach's depersonalisation)
    - ai_more_polite ``Q (0.5 + 0.5 h) - courtesy`` > 0, with ``courtesy`` the
      neighbours' mean ``1 - b/2`` times ``0.5 + 0.5 c``
    - ai_more_empathetic ``h t - (1 - b/2) courtesy`` > 0: empathy is a mind one attributes
      to the tool (anthropomorphism ``h``) and relies on (trust ``t``), set against the
      warmth one feels from colleagues: their courtesy, dulled by one's own exhaustion
      (depersonalisation: Maslach, Schaufeli & Leiter 2001; exhausted employees perceive
      less support, Halbesleben 2006)
    - ai_as_coworker ``Q (0.5 + 0.5 h)`` > MID: a tool is seen as a teammate when it can
      carry work of its own (its capability ``Q``) and one relates to it socially (``h``)
    - humanlike_phrasing ``h`` > LOW; please_thank_you ``h`` > HIGH
    - employer_asks_too_much ``L - 1`` > 0; ai_added_workload ``L - base`` > 0
    - new_projects ``skill + (A / base - 1)`` > MID
    - extra_edge_strong ``0.5 + (r - N(ĝ)) / GAIN_SCALE`` > HIGH: an edge is an advantage
      over those one competes with (coworkers for employees, the other freelancers for
      freelancers; Festinger 1954, comparison with similar others); one's own gain is
      judged from the inside (the reported ``r``), theirs from outside (their
      perceived gain ``ĝ = v r + (1 - v) g``, ``v`` = SAID_WEIGHT), the root of the
      better-than-average effect (Pronin & Kugler 2007; Alicke & Govorun 2005); equal
      gains sit at mid-scale
    - ``u(r) = clip(r / GAIN_SCALE, 0, 1)`` below
    - positive_impact ``u(r) + skill`` > MID (a plain agree): what AI brought to one's work
      (the reported gain) and to one's career (grown skills); like the layer's other items
      on AI's benefits (the gain, 'extra edge', 'new projects', 'learn faster',
      'specialise') it carries no burnout term: exhaustion enters only the burnout item and
      the items that weigh people's warmth (depersonalisation)
    - learn_faster ``skill`` > LOW; specialize ``skill`` > HIGH
    - trained ``trained Q (0.5 + 0.5 p)`` > MID: all the training *and tools* one needs
      from the employer: employer training (not one's own learning), tools good enough
      and the proficiency to use them; dont_know_how_to_gain ``1 - p`` > HIGH
    - observed_gains (executives) ``division's perceived gain`` > 0: "have observed AI
      productivity gains" asks whether any gain shows in what an executive sees of the
      division's employees, perceived as anyone perceives others' gains (``ĝ``: half
      what they say, half what shows in their output)
    - productivity_gain: ``r`` plus noise of spread GAIN_NOISE
    - driver_*: asked of users with gains to attribute, the driver named main is drawn
      with probability proportional to its credit, Luce's choice rule (Luce 1959): every
      cause one's gains owe something to can be the one named, in proportion to its weight
    """
    k = slots.size
    style = STYLE_LOADING * s.response_style[slots]

    def says(latent: np.ndarray, cut: float) -> np.ndarray:
        return latent + style + ITEM_NOISE * rng.standard_normal(k) > cut

    b = s.burnout[slots]
    c = s.connection[slots]
    t = s.trust_ai[slots]
    h = s.anthropomorphism[slots]
    al = s.alignment[slots]
    skill = s.skill[slots]
    prof = s.proficiency[slots]
    load = s.workload[slots]
    base = s.base_load[slots]
    gain = s.reported_gain[slots] + GAIN_NOISE * rng.standard_normal(k)
    u = np.clip(gain / GAIN_SCALE, 0.0, 1.0)
    trust_co = coworker_trust(c, s.safety[slots])
    courtesy = ctx.peer_courtesy[slots] * (0.5 + 0.5 * c)
    edge = 0.5 + (gain - ctx.peer_gain[slots]) / GAIN_SCALE

    # Luce's choice rule: driver j named with probability credit_j / total (inverse-CDF draw).
    cumulative = np.cumsum(s.credit[slots], axis=1)
    total = cumulative[:, -1]
    main = np.sum(cumulative <= (rng.random(k) * total)[:, None], axis=1)
    has_gain = total > 0

    out = {
        "productivity_gain": gain,
        "burnout": says(b, LOW),
        "considering_quitting": says(s.quit_intention[slots], MID),
        "misaligned": says(1.0 - al, MID),
        "trust_ai_more": says(t - trust_co, 0.0),
        "better_relationship_ai": says(0.5 * (t + h) - c, 0.0),
        "more_polite_to_ai": says(h - (1.0 - 0.5 * b) * (0.5 + 0.5 * c), 0.0),
        "ai_more_polite": says(ctx.tool_quality * (0.5 + 0.5 * h) - courtesy, 0.0),
        "ai_more_empathetic": says(h * t - (1.0 - 0.5 * b) * courtesy, 0.0),
        "ai_as_coworker": says(ctx.tool_quality * (0.5 + 0.5 * h), MID),
        "please_thank_you": says(h, HIGH),
        "humanlike_phrasing": says(h, LOW),
        "prefers_ai_over_people": says(
            0.5 * (t + h) - (1.0 - 0.5 * b) * 0.5 * (c + s.safety[slots]), 0.0
        ),
        "employer_asks_too_much": says(load - 1.0, 0.0),
        "new_projects": says(skill + s.assigned_output[slots] / base - 1.0, MID),
        "extra_edge_strong": says(edge, HIGH),
        "positive_impact": says(u + skill, MID),
        "learn_faster": says(skill, LOW),
        "specialize": says(skill, HIGH),
        "trained": says(s.trained[slots] * ctx.tool_quality * (0.5 + 0.5 * prof), MID),
        "ai_added_workload": says(load - base, 0.0),
        "dont_know_how_to_gain": says(1.0 - prof, HIGH),
        "observed_gains": says(ctx.division_gain[slots], 0.0),
    }
    for j, d in enumerate(DRIVERS):
        out[f"driver_{d}"] = np.where(has_gain, main == j, False)
    out["_has_gain"] = has_gain
    out["_user"] = s.adoption[slots] > USER_THRESHOLD
    return out


def top_quartile(
    gain: np.ndarray, fte: np.ndarray, rng: np.random.Generator, weight: np.ndarray | None = None
) -> np.ndarray:
    """Return the mask of FTE respondents in the top quartile of reported gain.

    FTE respondents ranked by their reported gain (ties broken at random) are
    in the top quartile while the weight ranked above them is under a quarter
    of the FTEs' total weight (:func:`weights`; with equal weights, the top
    ``ceil(n / 4)``), at least one.
    """
    idx = np.flatnonzero(fte)
    top = np.zeros(gain.size, dtype=bool)
    if idx.size == 0:
        return top
    w = np.ones(gain.size) if weight is None else weight
    shuffled = rng.permutation(idx)
    ranked = shuffled[np.argsort(-gain[shuffled], kind="stable")]
    above = np.cumsum(w[ranked]) - w[ranked]
    top[ranked[above < 0.25 * w[ranked].sum()]] = True
    top[ranked[0]] = True
    return top


def _groups_of(item: str) -> tuple[str, ...]:
    """Groups an item is tabulated for, in the order of :data:`GROUPS`."""
    out = []
    for group in GROUPS:
        if group in ("ic", "manager", "executive", "freelancer") and not _asked_role(item, group):
            continue
        if group in ("fte", "top_quartile", "rest") and not ASKED[item] & _FTE:
            continue
        if group == "workers" and not (ASKED[item] & _FTE and FREELANCER in ASKED[item]):
            continue
        out.append(group)
    return tuple(out)


def _group_masks(role: np.ndarray, top: np.ndarray) -> dict[str, np.ndarray]:
    fte = (role == IC) | (role == MANAGER)
    return {
        "all": np.ones(role.size, dtype=bool),
        "workers": fte | (role == FREELANCER),
        "fte": fte,
        "ic": role == IC,
        "manager": role == MANAGER,
        "executive": role == EXECUTIVE,
        "freelancer": role == FREELANCER,
        "top_quartile": top,
        "rest": fte & ~top,
    }


class _Item:
    """One item's answers among the respondents asked it, tabulated group by group."""

    def __init__(
        self,
        item: str,
        role: np.ndarray,
        answers: dict[str, np.ndarray],
        masks: dict,
        weight: np.ndarray,
    ) -> None:
        asked = _ASKED_BY_ROLE[item][role]
        if item in AI_USE_ITEMS:
            asked &= answers["_user"]
        elif item.startswith("driver_"):
            asked &= answers["_has_gain"] & answers["_user"]
        self.asked = asked
        self.values = answers[item].astype(np.float64)
        self.role = role
        self.masks = masks
        self.weight = weight

    def cell(self, group: str) -> tuple[float, int]:
        """Return ``(value, n)`` of a group the item is tabulated for."""
        m = self.masks[group] & self.asked
        n = int(m.sum())
        if group in ("all", "workers"):
            value = _design_mean(self.values, self.weight, m, self.role)
        else:
            value = _mean(self.values, self.weight, m)
        return value, n


def _relative_risk(top: tuple[float, int], rest: tuple[float, int]) -> tuple[float, int]:
    (v_top, n_top), (v_rest, _) = top, rest
    return (v_top / v_rest if v_rest and np.isfinite(v_rest) else float("nan")), n_top


def tabulate(
    wave: int, role: np.ndarray, answers: dict[str, np.ndarray], top: np.ndarray
) -> pd.DataFrame:
    """Tabulate answers into tidy rows (wave, item, group, value, n).

    Shares are the mean of the yes answers among the group's respondents who
    were asked, weighted by :func:`weights` (AI users weigh :data:`USER_RESPONSE_RATIO`
    against non-users, then FTEs are post-stratified to the report's manager share); for
    ``all`` the three sampled groups (executives, FTEs, freelancers) are weighted to the
    report's design, half executives and a quarter each of FTEs and freelancers, whatever
    the organisation's mix.
    ``workers`` are the FTEs and freelancers (the report's "all workers", as against its
    C-suite leaders), weighted half and half as in its sample.
    ``productivity_gain`` is the mean reported gain among those who use AI;
    the driver items are shares among those with gains to attribute. Every FTE
    item is also given for ``top_quartile`` and ``rest`` and as a relative
    risk, group ``top_vs_rest`` (NaN when the rest's value is 0), with ``n``
    the number of top-quartile respondents.
    """
    masks = _group_masks(role, top)
    weight = weights(role, answers["_user"])
    rows = []
    for item in ITEMS:
        tab = _Item(item, role, answers, masks, weight)
        by_group = {}
        for group in _ITEM_GROUPS[item]:
            by_group[group] = value, n = tab.cell(group)
            rows.append((wave, item, group, value, n))
        if "top_quartile" in by_group:
            rr, n_top = _relative_risk(by_group["top_quartile"], by_group["rest"])
            rows.append((wave, item, RELATIVE_RISK, rr, n_top))
    return pd.DataFrame(rows, columns=COLUMNS)


def tabulate_cells(
    role: np.ndarray,
    answers: dict[str, np.ndarray],
    top: np.ndarray,
    cells: Iterable[tuple[str, str]],
) -> dict[tuple[str, str], float]:
    """Return the values of some ``(item, group)`` cells of :func:`tabulate`'s table.

    The same numbers as the table's ``value`` column, computing only the cells
    asked for; a cell the table has no row for (an item not asked of that
    group) is NaN.
    """
    masks = _group_masks(role, top)
    weight = weights(role, answers["_user"])
    tabs: dict[str, _Item] = {}
    out: dict[tuple[str, str], float] = {}
    for item, group in cells:
        if (item, group) in out:
            continue
        groups = _ITEM_GROUPS[item]
        if group != RELATIVE_RISK and group not in groups:
            out[item, group] = float("nan")
            continue
        if group == RELATIVE_RISK and "top_quartile" not in groups:
            out[item, group] = float("nan")
            continue
        tab = tabs.get(item)
        if tab is None:
            tab = tabs[item] = _Item(item, role, answers, masks, weight)
        if group == RELATIVE_RISK:
            out[item, group] = _relative_risk(tab.cell("top_quartile"), tab.cell("rest"))[0]
        else:
            out[item, group] = tab.cell(group)[0]
    return out


def _mean(values: np.ndarray, weight: np.ndarray, mask: np.ndarray) -> float:
    """Weighted mean of ``values`` over ``mask`` (NaN when empty)."""
    w, v = weight[mask], values[mask]
    total = w.sum()
    if total <= 0:
        return float("nan")
    return float(np.clip(v @ w / total, v.min(), v.max()))  # no rounding past the range


def _design_mean(
    values: np.ndarray, weight: np.ndarray, asked: np.ndarray, role: np.ndarray
) -> float:
    """Mean over ``asked`` respondents with each sampled group weighted by its design share."""
    total = share = 0.0
    for name, roles in _SAMPLED_GROUPS.items():
        m = asked & np.isin(role, roles)
        if m.any():
            total += DESIGN_SHARES[name] * _mean(values, weight, m)
            share += DESIGN_SHARES[name]
    return float(total / share) if share else float("nan")


def _asked_role(item: str, group: str) -> bool:
    code = {"ic": IC, "manager": MANAGER, "executive": EXECUTIVE, "freelancer": FREELANCER}[group]
    return code in ASKED[item]


#: Groups each item is tabulated for (besides ``top_vs_rest`` where ``top_quartile`` is).
_ITEM_GROUPS = {item: _groups_of(item) for item in ITEMS}
#: Groups a survey cell may name: the table's groups and the relative risk's.
CELL_GROUPS = (*GROUPS, RELATIVE_RISK)


def _choose(name: Any, names: tuple[str, ...]) -> str:
    """Return ``; did you mean 'x'?`` for the closest of ``names``, else the whole list."""
    return did_you_mean(name, names) or f": choose from {', '.join(names)}"


def check_cell(item: Any, group: Any, wave: Any) -> tuple[str, str, int]:
    """Return ``(item, group, wave)`` if it names a cell of a wave's table.

    The one check of a survey cell, for :meth:`sim.model.WorkplaceModel.survey_cells` and
    the EMA workbench adapter (:mod:`sim.ema`): an item of :data:`ITEMS`, a group of
    :data:`CELL_GROUPS` and a wave's year (a value of :data:`WAVES`).

    Raises:
        UserError: naming the first part that is wrong and what is allowed (a close match
            for a misspelt item or group).
    """
    if not isinstance(item, str) or item not in ITEMS:
        raise UserError(f"unknown survey item {item!r}{_choose(item, ITEMS)}")
    if not isinstance(group, str) or group not in CELL_GROUPS:
        raise UserError(f"unknown survey group {group!r}{_choose(group, CELL_GROUPS)}")
    if (
        isinstance(wave, bool | np.bool_)
        or not isinstance(wave, Integral)
        or wave not in WAVES.values()
    ):
        years = ", ".join(map(str, sorted(WAVES.values())))
        raise UserError(f"survey wave {wave!r} is not a wave: choose from {years}")
    return item, group, int(wave)


def check_tabulated(item: str, group: str) -> None:
    """Refuse a known cell that is never tabulated (an item not asked of the group).

    Raises:
        UserError: ``survey item 'trained' is not tabulated for group 'executive'`` with the
            groups that item is tabulated for.
    """
    asked = _ITEM_GROUPS[item]
    ratio = [RELATIVE_RISK] if "top_quartile" in asked else []
    if group not in (*asked, *ratio):
        raise UserError(
            f"survey item '{item}' is not tabulated for group '{group}' (it would always be"
            f" NaN): choose from {', '.join([*asked, *ratio])}"
        )


@dataclass
class Responses:
    """One wave's respondents and their answers, before tabulating.

    Attributes:
        wave: the wave's label (its report year).
        role: each respondent's role.
        answers: :func:`respond`'s answers.
        top: the mask of top-quartile respondents (:func:`top_quartile`).
    """

    wave: int
    role: np.ndarray
    answers: dict[str, np.ndarray]
    top: np.ndarray
    _table: pd.DataFrame | None = field(default=None, init=False, repr=False)

    def table(self) -> pd.DataFrame:
        """Return the wave's tidy rows (:func:`tabulate`), tabulated once."""
        if self._table is None:
            self._table = tabulate(self.wave, self.role, self.answers, self.top)
        return self._table

    def cells(self, cells: Iterable[tuple[str, str]]) -> dict[tuple[str, str], float]:
        """Return the values of some ``(item, group)`` cells only (:func:`tabulate_cells`)."""
        return tabulate_cells(self.role, self.answers, self.top, cells)


def answer(s: AgentState, ctx: Context, wave: int, rng: np.random.Generator) -> Responses:
    """Sample the respondents of a wave, take their answers and form the top quartile."""
    slots = sample(s, rng)
    answers = respond(s, slots, ctx, rng)
    role = s.role[slots]
    fte = (role == IC) | (role == MANAGER)
    top = top_quartile(answers["productivity_gain"], fte, rng, weights(role, answers["_user"]))
    return Responses(wave, role, answers, top)
