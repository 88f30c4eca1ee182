"""One browser session's simulation: its scenario, its settings, its model(s), its pictures.

A :class:`DashboardSession` is plain Python (no Solara), so it can be tested, timed and used
from a notebook. The Solara app makes exactly one per browser session (never at module level,
which every session would share), and every change to its models happens under its lock, so
the Play thread and a click on Step never interleave.

Example:
    >>> from sim.dashboard.session import DashboardSession
    >>> s = DashboardSession(n_agents=60)
    >>> frame = s.advance()
    >>> frame.week
    1
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim import scenarios as sc_mod
from sim.dashboard import plots, svg
from sim.errors import UserError
from sim.model import WorkplaceModel
from sim.params import Params
from sim.targets import load_targets
from sim.vocabulary import LEVERS

#: Organisation size the dashboard starts with: big enough to look like an organisation,
#: small enough that one step is rendered well within 300 ms.
DEFAULT_AGENTS = 200
#: Range of the organisation-size slider.
AGENTS_RANGE = (50, 2000)
#: Seed both runs share in the side-by-side view, so the difference is the redesign's.
DEFAULT_SEED = 2025
#: The status-quo scenario every redesign is compared with.
STATUS_QUO = "baseline"
#: Weeks the x-axis of the charts covers at least (the report's two survey waves).
HORIZON_WEEKS = 104
#: Environment variable listing extra scenario files for the picker (``os.pathsep``-separated).
SCENARIOS_ENV = "WORKPLACE_SIM_DASHBOARD_SCENARIOS"
#: Survey panel refresh interval (weeks) between recorded waves: a "pulse" taken on the spot.
SURVEY_EVERY = 4
#: Runs per scenario, on common seeds, behind the interval band of a comparison.
BAND_SEEDS = 5
#: Two lever values closer than this are the same setting (sliders move in steps of 0.01).
LEVER_TOLERANCE = 1e-6
#: The report's headline figures the survey panel shows (ids in sim/data/targets.toml).
SURVEY_HEADLINES = (
    "top_burnout",
    "top_quit_ratio",
    "fte_productivity_gain",
    "exec_observed_gains",
    "fte_employer_asks_too_much",
    "top_trust_ai_more",
)


# ----------------------------------------------------------------------------- scenarios
@dataclass(frozen=True)
class ScenarioInfo:
    """What the dashboard needs of a scenario (a :class:`sim.scenarios.Scenario` or a stand-in).

    Attributes:
        name: identifier.
        title: one-line title.
        description: what it represents, in plain words.
        recommendation: which of the report's recommendations it tests.
        params: its full parameter set.
        path: the file it came from, if any.
    """

    name: str
    title: str
    description: str
    recommendation: str
    params: Params
    path: str | None = None


def _from_scenario(sc: Any) -> ScenarioInfo:
    return ScenarioInfo(
        name=sc.name,
        title=getattr(sc, "title", sc.name) or sc.name,
        description=" ".join(str(getattr(sc, "description", "") or "").split()),
        recommendation=str(getattr(sc, "recommendation", "") or ""),
        params=sc.params,
        path=str(sc.path) if getattr(sc, "path", None) else None,
    )


def _defaults_info() -> ScenarioInfo:
    return ScenarioInfo(
        name=STATUS_QUO,
        title="Status quo: the model's default organisation",
        description="The model's default parameters (no bundled scenario files were found).",
        recommendation="",
        params=Params(),
    )


def load_scenarios(extra: Iterable[str | os.PathLike[str]] = ()) -> dict[str, ScenarioInfo]:
    """Return the bundled scenarios plus the given scenario files, by name, baseline first.

    Falls back to the model's defaults when ``sim.scenarios`` is not available.

    Args:
        extra: paths of user scenario files (TOML).

    Raises:
        UserError: when a user scenario file is invalid.
    """
    found: dict[str, ScenarioInfo] = {}
    for sc in sc_mod.bundled_scenarios():
        found[sc.name] = _from_scenario(sc)
    for ref in extra:
        info = _from_scenario(sc_mod.load_scenario(str(ref)))
        if info.name in found and found[info.name].path != info.path:
            info = dataclasses.replace(info, name=f"{info.name} ({os.path.basename(str(ref))})")
        found[info.name] = info
    if STATUS_QUO not in found:
        found = {STATUS_QUO: _defaults_info(), **found}
    return found


def env_scenario_files() -> list[str]:
    """Return the extra scenario files named in ``WORKPLACE_SIM_DASHBOARD_SCENARIOS``."""
    raw = os.environ.get(SCENARIOS_ENV, "")
    return [p for p in raw.split(os.pathsep) if p.strip()]


def lever_names() -> list[str]:
    """Return the redesign levers the dashboard has sliders for (``Params.names('lever')``)."""
    return Params.names("lever")


_CHANGE_WORDS = {True: "raises", False: "lowers"}


def explain(info: ScenarioInfo, reference: Params | None = None) -> str:
    """Return a plain-language explanation of a scenario for the audience (Markdown).

    Says what the scenario represents, which of the report's recommendations it tests, and what
    it changes compared with the status quo, in plain words (:mod:`sim.vocabulary`).

    Args:
        info: the scenario.
        reference: the status quo's parameters (default: the model's defaults).
    """
    reference = reference or Params()
    lines = [f"**{info.title}**", ""]
    if info.description:
        lines += [info.description, ""]
    if info.recommendation and info.name != STATUS_QUO:
        lines += [f"*Tests:* {info.recommendation}", ""]
    changes = describe_changes(info.params, reference)
    if changes:
        lines.append("*Compared with the status quo it changes:*")
        lines.append("")
        lines += [f"- {c}" for c in changes]
    elif info.name == STATUS_QUO:
        lines.append("This is the reference: every redesign is compared with it.")
    return "\n".join(lines)


def _param_words(name: str) -> str:
    """Return a parameter's plain description (the vocabulary's, else the spec's own doc)."""
    if name in LEVERS:
        return LEVERS[name].sentence
    return str(Params.spec()[name]["doc"])


def describe_changes(
    params: Params, reference: Params, names: Sequence[str] | None = None
) -> list[str]:
    """Return one plain sentence per parameter that differs from ``reference``."""
    spec = Params.spec()
    out = []
    for name in names or Params.names():
        new, old = getattr(params, name), getattr(reference, name)
        if name == "n_agents" or new == old:
            continue
        s = spec[name]
        fmt = _fmt_value(new, s), _fmt_value(old, s)
        out.append(f"{_CHANGE_WORDS[new > old]} *{_param_words(name)}* from {fmt[1]} to {fmt[0]}")
    return out


def lever_changes(params: Params, reference: Params) -> list[str]:
    """Return ``"label old → new"`` for each lever of ``params`` that differs from ``reference``.

    Example:
        >>> lever_changes(Params().replace(touchpoints=0.5), Params())
        ['human touchpoints 1.00 → 0.50']
    """
    out = []
    for name in lever_names():
        new, old = float(getattr(params, name)), float(getattr(reference, name))
        if abs(new - old) > LEVER_TOLERANCE:
            out.append(f"{LEVERS[name].label} {old:.2f} → {new:.2f}")
    return out


def _fmt_value(value: float, s: Mapping[str, Any]) -> str:
    if s["type"] is int:
        return f"{int(value)}"
    if s["hi"] <= 1.0 and s["lo"] >= 0.0 and "share" in s["unit"]:
        return f"{value:.0%}"
    return f"{value:g}"


# ----------------------------------------------------------------------------- runs
def make_model(params: Params, seed: int) -> Any:
    """Build a :class:`sim.model.WorkplaceModel` for ``params`` on ``seed``."""
    return WorkplaceModel(params, rng=seed)


@dataclass
class Run:
    """One simulation on screen: a label, its parameters and its model.

    Attributes:
        label: what the audience sees ("keep slack", "status quo", "... (adjusted: ...)").
        params: the parameters it was built with.
        model: the running model (the one drawn as a network).
        geometry: the fixed part of its network picture.
        survey: the latest survey frame shown (refreshed every few weeks and at waves).
        survey_week: the week that survey was taken.
        companions: further models on the next seeds, stepped with it, for the interval band
            of a comparison (empty when only one run is shown).
    """

    label: str
    params: Params
    model: Any
    geometry: plots.NetworkGeometry
    survey: pd.DataFrame | None = None
    survey_week: int = -1
    companions: list[Any] = field(default_factory=list)

    @property
    def models(self) -> list[Any]:
        """The drawn model first, then its companions."""
        return [self.model, *self.companions]


@dataclass
class Frame:
    """Everything the page shows after a step, drawn (SVG text) and summarised.

    Attributes:
        week: weeks simulated.
        labels: the label of each run.
        networks: one network drawing (SVG) per run.
        charts: the weekly charts (SVG).
        survey: the survey panel (HTML table).
        stats: per run, headline numbers (burnout share, quits, gains ...).
        survey_caption: which survey wave the panel shows.
        chart_caption: what the charts show (lines, band, why the start looks as it does).
        render_ms: time to render this frame, in milliseconds.
        step_ms: time of the step(s) before it, in milliseconds.
        version: increases with every frame of a session.
    """

    week: int
    labels: list[str]
    networks: list[str]
    charts: list[str]
    survey: str
    stats: list[dict[str, float]]
    survey_caption: str = ""
    chart_caption: str = ""
    render_ms: float = 0.0
    step_ms: float = 0.0
    version: int = 0


@dataclass
class Settings:
    """The knobs of a session: apply to the model(s) on the next :meth:`DashboardSession.reset`.

    Attributes:
        scenario: the chosen scenario's name.
        n_agents: organisation size (positions).
        seed: random seed shared by both runs.
        levers: slider values of the redesign levers.
        side_by_side: also run the status quo next to the chosen scenario.
    """

    scenario: str = STATUS_QUO
    n_agents: int = DEFAULT_AGENTS
    seed: int = DEFAULT_SEED
    levers: dict[str, float] = field(default_factory=dict)
    side_by_side: bool = False


class DashboardSession:
    """The simulation behind one browser session.

    Args:
        scenario: name of the scenario to start with (default: the status quo).
        n_agents: organisation size.
        seed: random seed.
        side_by_side: also run the status quo.
        extra_scenarios: user scenario files added to the picker (default: those named in
            ``WORKPLACE_SIM_DASHBOARD_SCENARIOS``).
        scenarios: ready-made scenario table (skips loading; tests use it).
        band_seeds: runs per scenario (on common seeds) behind the interval band of a
            comparison; 1 draws no band.

    Raises:
        UserError: for an unknown scenario or an invalid setting.
    """

    def __init__(
        self,
        scenario: str | None = None,
        *,
        n_agents: int = DEFAULT_AGENTS,
        seed: int = DEFAULT_SEED,
        side_by_side: bool = False,
        extra_scenarios: Iterable[str | os.PathLike[str]] | None = None,
        scenarios: Mapping[str, ScenarioInfo] | None = None,
        band_seeds: int = BAND_SEEDS,
    ) -> None:
        self.lock = threading.RLock()
        #: Set while a Play loop runs for this session (cleared when it has stopped stepping).
        self.playing = threading.Event()
        self.play_loops = 0
        if scenarios is None:
            extra = env_scenario_files() if extra_scenarios is None else list(extra_scenarios)
            scenarios = load_scenarios(extra)
        self.scenarios: dict[str, ScenarioInfo] = dict(scenarios)
        self.settings = Settings(n_agents=n_agents, seed=seed, side_by_side=side_by_side)
        self.band_seeds = max(int(band_seeds), 1)
        self.runs: list[Run] = []
        self.version = 0
        self.epoch = 0
        self.settings_version = 0
        self.built = Settings()
        self._targets: pd.DataFrame | None = None
        self._survey_cache: tuple[tuple[int, ...], str] = ((), "")
        self.select_scenario(scenario or STATUS_QUO, reset=False)
        self.reset()

    # ------------------------------------------------------------------ settings
    @property
    def scenario(self) -> ScenarioInfo:
        """The chosen scenario."""
        return self.scenarios[self.settings.scenario]

    @property
    def status_quo(self) -> ScenarioInfo:
        """The reference scenario (``baseline``)."""
        return self.scenarios[STATUS_QUO]

    def select_scenario(self, name: str, *, reset: bool = True) -> None:
        """Choose a scenario: its lever values become the sliders' values; then reset.

        Raises:
            UserError: for an unknown scenario name.
        """
        if name not in self.scenarios:
            known = ", ".join(self.scenarios)
            raise UserError(f"unknown scenario '{name}': available are {known}")
        with self.lock:
            info = self.scenarios[name]
            self.settings.scenario = name
            self.settings.levers = {k: float(getattr(info.params, k)) for k in lever_names()}
            self.settings_version += 1
            if reset:
                self.reset()

    def set_lever(self, name: str, value: float) -> None:
        """Set a lever slider's value; it applies to the model on the next reset.

        A value within :data:`LEVER_TOLERANCE` of the current one changes nothing (a slider
        that re-sends its own value must not make the settings look changed).

        Raises:
            UserError: for an unknown lever or a value out of its range.
        """
        if name not in lever_names():
            raise UserError(f"unknown lever '{name}': levers are {', '.join(lever_names())}")
        Params().replace(**{name: value})  # validates, naming the range
        with self.lock:
            if abs(self.settings.levers.get(name, float("nan")) - float(value)) <= LEVER_TOLERANCE:
                return
            self.settings.levers[name] = float(value)
            self.settings_version += 1

    def set_agents(self, n_agents: int) -> None:
        """Set the organisation size; it applies on the next reset.

        Raises:
            UserError: for a size outside the slider's range.
        """
        lo, hi = AGENTS_RANGE
        if not lo <= int(n_agents) <= hi:
            raise UserError(f"n_agents={n_agents} is out of range: allowed {lo} to {hi}")
        with self.lock:
            if int(n_agents) != self.settings.n_agents:
                self.settings.n_agents = int(n_agents)
                self.settings_version += 1

    def set_seed(self, seed: int) -> None:
        """Set the random seed; it applies on the next reset."""
        if int(seed) < 0:
            raise UserError(f"seed={seed} is out of range: allowed 0 or more")
        with self.lock:
            if int(seed) != self.settings.seed:
                self.settings.seed = int(seed)
                self.settings_version += 1

    def set_side_by_side(self, on: bool) -> None:
        """Run (or stop running) the status quo beside the chosen scenario; resets both."""
        with self.lock:
            self.settings.side_by_side = bool(on)
            self.settings_version += 1
            self.reset()

    def params(self) -> Params:
        """Return the parameters the chosen scenario runs with under the current settings."""
        s = self.settings
        return self.scenario.params.replace(n_agents=s.n_agents, **s.levers)

    def status_quo_params(self) -> Params:
        """Return the status quo's parameters at the current organisation size."""
        return self.status_quo.params.replace(n_agents=self.settings.n_agents)

    def pending_changes(self) -> list[str]:
        """Return, in plain words, each setting that differs from what is running.

        Empty when the sliders show exactly what the running model(s) were built with.
        """
        s, b = self.settings, self.built
        out = []
        if s.scenario != b.scenario:  # pragma: no cover - choosing a scenario resets
            out.append(f"scenario {self.scenarios[s.scenario].title}")
        if s.n_agents != b.n_agents:
            out.append(f"{LEVERS['n_agents'].label} {b.n_agents} → {s.n_agents}")
        if s.seed != b.seed:
            out.append(f"{LEVERS['seed'].label} {b.seed} → {s.seed}")
        for name in lever_names():
            new, old = s.levers.get(name, 0.0), b.levers.get(name, 0.0)
            if abs(new - old) > LEVER_TOLERANCE:
                out.append(f"{LEVERS[name].label} {old:.2f} → {new:.2f}")
        return out

    @property
    def pending(self) -> bool:
        """True when the settings differ from what the running model was built with."""
        return bool(self.runs) and bool(self.pending_changes())

    def adjustments(self) -> list[str]:
        """Return each lever of the running model that differs from its scenario file."""
        if not self.runs:
            return []
        return lever_changes(self.runs[0].params, self.scenario.params)

    def explanation(self) -> str:
        """Return the plain-language explanation of the chosen scenario (Markdown)."""
        return explain(self.scenario, self.status_quo.params)

    # ------------------------------------------------------------------ running
    def reset(self) -> None:
        """Build fresh model(s) from the current settings (common seeds for both runs).

        With the status quo beside it, each scenario runs on :attr:`band_seeds` seeds (the
        chosen seed and the ones after it, the same for both), so the charts can draw an
        interval band; only the first of them is drawn as a network.
        """
        with self.lock:
            s = self.settings
            params = self.params()
            label = run_label(self.scenario, params)
            n_seeds = self.band_seeds if s.side_by_side else 1
            runs = [self._make_run(label, params, s.seed, n_seeds)]
            if s.side_by_side:
                runs.append(self._make_run("status quo", self.status_quo_params(), s.seed, n_seeds))
            self.runs = runs
            self.built = dataclasses.replace(s, levers=dict(s.levers))
            self.version += 1
            self.epoch += 1

    def _make_run(self, label: str, params: Params, seed: int, n_seeds: int = 1) -> Run:
        model = make_model(params, seed)
        companions = [make_model(params, seed + k) for k in range(1, n_seeds)]
        return Run(
            label=label,
            params=params,
            model=model,
            geometry=plots.network_geometry(model),
            companions=companions,
        )

    @property
    def week(self) -> int:
        """Weeks simulated so far."""
        return int(self.runs[0].model.week) if self.runs else 0

    @property
    def comparing(self) -> bool:
        """True when a redesign runs beside the status quo (the charts show a difference)."""
        return len(self.runs) > 1

    def step(self, weeks: int = 1) -> float:
        """Advance every run by ``weeks``; return the time taken in milliseconds."""
        t0 = time.perf_counter()
        with self.lock:
            for _ in range(weeks):
                for run in self.runs:
                    for model in run.models:
                        model.step()
            self.version += 1
        return (time.perf_counter() - t0) * 1000

    def advance(self, weeks: int = 1) -> Frame:
        """Step, then render: what a click on Step (or a tick of Play) does."""
        with self.lock:
            step_ms = self.step(weeks)
            frame = self.frame()
            frame.step_ms = step_ms
            return frame

    # ------------------------------------------------------------------ pictures
    def targets(self) -> pd.DataFrame:
        """Return the report's figures (``sim.targets.load_targets()``; empty if unavailable)."""
        if self._targets is None:
            self._targets = load_targets()
        return self._targets

    def headline_targets(self) -> pd.DataFrame:
        """Return the few report figures the survey panel shows (:data:`SURVEY_HEADLINES`)."""
        t = self.targets()
        if "id" not in t.columns:
            return t
        picked = t[t["id"].isin(SURVEY_HEADLINES)]
        order = {k: i for i, k in enumerate(SURVEY_HEADLINES)}
        return picked.sort_values("id", key=lambda c: c.map(order))

    def _refresh_survey(self, run: Run) -> None:
        week = int(run.model.week)
        due = run.survey is None or week - run.survey_week >= SURVEY_EVERY or week < run.survey_week
        waves = {52, 104}
        if due or week in waves:
            run.survey = run.model.survey()
            run.survey_week = week

    def survey_caption(self) -> str:
        """Say which survey wave the panel shows."""
        run = self.runs[0]
        frame = run.survey
        if frame is None or frame.empty:
            return "Survey: no wave yet"
        wave = int(frame["wave"].max())
        if wave > 0:
            return f"Survey wave {wave} (week {52 if wave == 2024 else 104}) against the report"
        return f"Survey pulse at week {-wave} against the report (2025 wave: week 104)"

    def chart_caption(self, series: Sequence[tuple[str, pd.DataFrame]]) -> str:
        """Say what the charts show: lines, band (when comparing) and why the start looks so."""
        start = ""
        if series and len(series[-1][1]):
            first = float(series[-1][1]["burnout_share"].iloc[0])
            start = (
                f"Week 0 is April 2023: the organisation has run a year without AI and 18 weeks "
                f"with it; about {first:.0%} are burnt out very often, about as many as "
                "workforce surveys found before AI."
            )
            if self.comparing or self.scenario.name == STATUS_QUO:
                start += (
                    " The status quo's change after that comes from AI: new work, hidden "
                    "overhead, ties it replaces."
                )
        if not self.comparing:
            return start
        n = len(self.runs[0].models)
        band = (
            f"Lines: mean of {n} runs per scenario on the same {n} seeds. Band: 95% interval of "
            "that mean (the chance of the draw only, not uncertainty in the model's settings)."
            if n > 1
            else "One run per scenario, on the same seed (no band)."
        )
        return f"{band} {start}"

    def _series(self) -> list[tuple[str, list[pd.DataFrame]]]:
        """Return each run's label with the prepared series of every one of its models."""
        return [(r.label, [plots.prepare_series(m.series()) for m in r.models]) for r in self.runs]

    def _charts(self, weeks: int) -> tuple[list[str], list[tuple[str, pd.DataFrame]]]:
        runs = self._series()
        drawn = [(label, frames[0]) for label, frames in runs]
        if self.comparing:
            return svg.comparison_charts_svg(runs, weeks), drawn
        return svg.charts_svg(drawn, weeks), drawn

    def frame(self) -> Frame:
        """Render the current state of every run: network(s), charts, survey panel."""
        t0 = time.perf_counter()
        with self.lock:
            week = self.week
            horizon = max(HORIZON_WEEKS, week)
            networks = [
                svg.network_svg(r.model, r.geometry, title=f"{r.label}, week {week}", week=week)
                for r in self.runs
            ]
            charts, drawn = self._charts(horizon)
            survey = self._survey_html()
            stats = [headline(s) for _, s in drawn]
            return Frame(
                week=week,
                labels=[r.label for r in self.runs],
                networks=networks,
                charts=charts,
                survey=survey,
                stats=stats,
                survey_caption=self.survey_caption(),
                chart_caption=self.chart_caption(drawn),
                render_ms=(time.perf_counter() - t0) * 1000,
                version=self.version,
            )

    def survey_rows(self) -> list[plots.SurveyRow]:
        """Return the headline report figures beside each run's latest survey."""
        for r in self.runs:
            self._refresh_survey(r)
        return plots.survey_rows(self.headline_targets(), [r.survey for r in self.runs])

    def _survey_html(self) -> str:
        """Return the survey panel, redrawn only when a run's survey has changed."""
        changed = False
        for r in self.runs:
            before = r.survey
            self._refresh_survey(r)
            changed |= r.survey is not before
        key = tuple(id(r.survey) for r in self.runs)
        if changed or self._survey_cache[0] != key:
            rows = plots.survey_rows(self.headline_targets(), [r.survey for r in self.runs])
            drawing = svg.survey_table(rows, [r.label for r in self.runs], self.survey_caption())
            self._survey_cache = (key, drawing)
        return self._survey_cache[1]

    def export_text(self) -> tuple[str, str]:
        """Return the export's title and the line naming every setting that differs.

        The second part lists the levers changed from the scenario file (or says none
        were), the organisation size and seed, and any setting moved but not yet applied.
        """
        b = self.built
        title = f"{self.scenario.title}: week {self.week}"
        if self.comparing:
            title += " (beside the status quo)"
        adjusted = self.adjustments()
        parts = [
            "Changed from the scenario file: " + "; ".join(adjusted)
            if adjusted
            else "Settings as in the scenario file"
        ]
        parts.append(f"{b.n_agents} positions, seed {b.seed}")
        pending = self.pending_changes()
        if pending:
            parts.append("Not yet applied: " + "; ".join(pending))
        return title, ". ".join(parts) + "."

    def export_png(self) -> bytes:
        """Return the current view as one slide-sized PNG (networks, charts, survey, title).

        The title and the line under it name every changed setting; the PNG's ``Title`` and
        ``Description`` text fields carry the same words.
        """
        with self.lock:
            week = self.week
            runs = self._series()
            rows = self.survey_rows()
            title, changes = self.export_text()
            fig = plots.slide_figure(
                models=[(r.label, r.model, r.geometry) for r in self.runs],
                series=runs,
                rows=rows,
                title=title,
                subtitle=changes,
                weeks=max(HORIZON_WEEKS, week),
                caption=self.survey_caption(),
            )
            return plots.to_png(fig, dpi=110, metadata={"Title": title, "Description": changes})


def run_label(info: ScenarioInfo, params: Params) -> str:
    """Return the short name the audience sees for a run: the scenario, and what was adjusted.

    Example:
        >>> info = ScenarioInfo("keep_slack", "", "", "", Params())
        >>> run_label(info, Params().replace(touchpoints=0.5))
        'keep slack (adjusted: human touchpoints 1.00 → 0.50)'
    """
    name = "status quo" if info.name == STATUS_QUO else info.name.replace("_", " ")
    changes = lever_changes(params, info.params)
    return f"{name} (adjusted: {'; '.join(changes)})" if changes else name


def headline(series: pd.DataFrame) -> dict[str, float]:
    """Return the few numbers the page shows in big type for one run (this week's values)."""
    out: dict[str, float] = {}
    if len(series):
        last = series.iloc[-1]
        for key in (
            "burnout_share",
            "true_gain",
            "reported_gain",
            "trust_ai",
            "trust_coworkers",
            "headcount_employees",
            "vacancies",
            "quits_cumulative",
        ):
            if key in series.columns:
                out[key] = float(last[key])
    out["quits_total"] = out.pop("quits_cumulative", 0.0)
    return out
