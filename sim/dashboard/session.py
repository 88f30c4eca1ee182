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

from sim.dashboard import plots, svg
from sim.errors import UserError
from sim.params import Params

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
    try:
        from sim import scenarios as sc_mod
    except ImportError:
        sc_mod = None
    found: dict[str, ScenarioInfo] = {}
    if sc_mod is not None:
        for sc in sc_mod.bundled_scenarios():
            found[sc.name] = _from_scenario(sc)
        for ref in extra:
            info = _from_scenario(sc_mod.load_scenario(str(ref)))
            if info.name in found and found[info.name].path != info.path:
                info = dataclasses.replace(info, name=f"{info.name} ({os.path.basename(str(ref))})")
            found[info.name] = info
    elif list(extra):
        raise UserError("scenario files need sim.scenarios, which this installation lacks")
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
    it changes compared with the status quo, in the parameters' own words.

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
        out.append(f"{_CHANGE_WORDS[new > old]} *{s['doc']}* from {fmt[1]} to {fmt[0]}")
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
    from sim.model import WorkplaceModel

    return WorkplaceModel(params, rng=seed)


@dataclass
class Run:
    """One simulation on screen: a label, its parameters and its model.

    Attributes:
        label: what the audience sees ("Redesign: ...", "Status quo").
        params: the parameters it was built with.
        model: the running model.
        geometry: the fixed part of its network picture.
        survey: the latest survey frame shown (refreshed every few weeks and at waves).
    """

    label: str
    params: Params
    model: Any
    geometry: plots.NetworkGeometry
    survey: pd.DataFrame | None = None
    survey_week: int = -1


@dataclass
class Frame:
    """Everything the page shows after a step, drawn (SVG text) and summarised.

    Attributes:
        week: weeks simulated.
        labels: the label of each run.
        networks: one network drawing (SVG) per run.
        charts: the four weekly charts (SVG).
        survey: the survey panel (SVG).
        stats: per run, headline numbers (burnout share, quits, gains ...).
        survey_caption: which survey wave the panel shows.
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
    ) -> None:
        self.lock = threading.RLock()
        if scenarios is None:
            extra = env_scenario_files() if extra_scenarios is None else list(extra_scenarios)
            scenarios = load_scenarios(extra)
        self.scenarios: dict[str, ScenarioInfo] = dict(scenarios)
        self.settings = Settings(n_agents=n_agents, seed=seed, side_by_side=side_by_side)
        self.runs: list[Run] = []
        self.version = 0
        self.epoch = 0
        self.settings_version = 0
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

        Raises:
            UserError: for an unknown lever or a value out of its range.
        """
        if name not in lever_names():
            raise UserError(f"unknown lever '{name}': levers are {', '.join(lever_names())}")
        Params().replace(**{name: value})  # validates, naming the range
        with self.lock:
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
            self.settings.n_agents = int(n_agents)
            self.settings_version += 1

    def set_seed(self, seed: int) -> None:
        """Set the random seed; it applies on the next reset."""
        if int(seed) < 0:
            raise UserError(f"seed={seed} is out of range: allowed 0 or more")
        with self.lock:
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

    @property
    def pending(self) -> bool:
        """True when the settings differ from what the running model was built with."""
        return bool(self.runs) and (
            self.runs[0].params != self.params() or self._seed_built != self.settings.seed
        )

    def explanation(self) -> str:
        """Return the plain-language explanation of the chosen scenario (Markdown)."""
        return explain(self.scenario, self.status_quo.params)

    # ------------------------------------------------------------------ running
    def reset(self) -> None:
        """Build fresh model(s) from the current settings (same seed for both runs)."""
        with self.lock:
            s = self.settings
            params = self.params()
            label = run_label(self.scenario, params)
            runs = [self._make_run(label, params, s.seed)]
            if s.side_by_side:
                runs.append(self._make_run("status quo", self.status_quo_params(), s.seed))
            self.runs = runs
            self._seed_built = s.seed
            self.version += 1
            self.epoch += 1

    def _make_run(self, label: str, params: Params, seed: int) -> Run:
        model = make_model(params, seed)
        return Run(label=label, params=params, model=model, geometry=plots.network_geometry(model))

    @property
    def week(self) -> int:
        """Weeks simulated so far."""
        return int(self.runs[0].model.week) if self.runs else 0

    def step(self, weeks: int = 1) -> float:
        """Advance every run by ``weeks``; return the time taken in milliseconds."""
        t0 = time.perf_counter()
        with self.lock:
            for _ in range(weeks):
                for run in self.runs:
                    run.model.step()
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
            try:
                from sim.targets import load_targets
            except ImportError:
                self._targets = pd.DataFrame(columns=["id", "value", "item", "group", "wave"])
            else:
                self._targets = load_targets()
        return self._targets

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
            return "survey: no wave yet"
        wave = int(frame["wave"].max())
        if wave > 0:
            return f"Survey wave {wave} (week {52 if wave == 2024 else 104}) against the report"
        return f"Survey pulse at week {-wave} against the report (2025 wave: week 104)"

    def frame(self) -> Frame:
        """Render the current state of every run as SVG: network(s), charts, survey panel."""
        t0 = time.perf_counter()
        with self.lock:
            week = self.week
            horizon = max(HORIZON_WEEKS, week)
            networks = [
                svg.network_svg(r.model, r.geometry, title=f"{r.label}, week {week}", week=week)
                for r in self.runs
            ]
            series = [(r.label, plots.prepare_series(r.model.series())) for r in self.runs]
            charts = svg.charts_svg(series, horizon)
            survey = self._survey_svg()
            stats = [headline(s) for _, s in series]
            return Frame(
                week=week,
                labels=[r.label for r in self.runs],
                networks=networks,
                charts=charts,
                survey=survey,
                stats=stats,
                survey_caption=self.survey_caption(),
                render_ms=(time.perf_counter() - t0) * 1000,
                version=self.version,
            )

    def _survey_svg(self) -> str:
        """Return the survey panel, redrawn only when a run's survey has changed."""
        changed = False
        for r in self.runs:
            before = r.survey
            self._refresh_survey(r)
            changed |= r.survey is not before
        key = tuple(id(r.survey) for r in self.runs)
        if changed or self._survey_cache[0] != key:
            rows = plots.survey_rows(self.targets(), [r.survey for r in self.runs])
            drawing = svg.survey_svg(rows, [r.label for r in self.runs], self.survey_caption())
            self._survey_cache = (key, drawing)
        return self._survey_cache[1]

    def export_png(self) -> bytes:
        """Return the current view as one slide-sized PNG (networks, charts, survey, title)."""
        with self.lock:
            week = self.week
            series = [(r.label, plots.prepare_series(r.model.series())) for r in self.runs]
            for r in self.runs:
                self._refresh_survey(r)
            rows = plots.survey_rows(self.targets(), [r.survey for r in self.runs])
            fig = plots.slide_figure(
                models=[(r.label, r.model, r.geometry) for r in self.runs],
                series=series,
                rows=rows,
                title=f"{self.scenario.title}: week {week} "
                f"({self.settings.n_agents} positions, seed {self.settings.seed})",
                weeks=max(HORIZON_WEEKS, week),
                caption=self.survey_caption(),
            )
            return plots.to_png(fig, dpi=110)


def run_label(info: ScenarioInfo, params: Params) -> str:
    """Return the short name the audience sees for a run: the scenario, marked if adjusted."""
    name = "status quo" if info.name == STATUS_QUO else info.name.replace("_", " ")
    adjusted = any(getattr(params, k) != getattr(info.params, k) for k in lever_names())
    return f"{name} (adjusted)" if adjusted else name


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
