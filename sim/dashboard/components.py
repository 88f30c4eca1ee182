"""Solara components of the workshop dashboard.

:func:`Dashboard` is the whole page. It makes one :class:`~sim.dashboard.session.DashboardSession`
per browser session with ``solara.use_memo`` (a module-level model would be shared by everyone
in the room), keeps the latest rendered :class:`~sim.dashboard.session.Frame` in component state,
and runs Play in a thread of that session, at the pace chosen on the page. The pictures are SVG
drawn by :mod:`sim.dashboard.svg` (the PNG export by :mod:`sim.dashboard.plots`); no Mesa
``SpaceRenderer`` is used, so nothing loses its styling on Reset (Mesa 3.5.1's
``copy_renderer`` copies the wrong attribute names).

The cues tell the truth: Reset is orange, and a note names each pending change, only while a
setting differs from what is running; a run is labelled "(adjusted: ...)" only when a lever
differs from its scenario file. Every word shown comes from :mod:`sim.vocabulary`.

CSS classes (``wsim-...``) mark the parts the browser tests look for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import solara
import solara.lab

from sim.dashboard import plots
from sim.dashboard.session import (
    AGENTS_RANGE,
    DEFAULT_AGENTS,
    HORIZON_WEEKS,
    DashboardSession,
    Frame,
    lever_names,
)
from sim.errors import UserError
from sim.params import Params
from sim.vocabulary import LEVERS, SERIES

#: Play pace the page starts with, in weeks per second (week 104 in 13 s).
DEFAULT_PACE = 8
#: Range of the pace slider (weeks per second).
PACE_RANGE = (1, 20)
#: Step of the lever sliders: every value of the bundled scenario files is a slider position.
SLIDER_STEP = 0.01
#: Shortest pause between two redraws while playing (seconds); faster paces step several weeks.
MIN_TICK = 0.1

CSS = """
.wsim-stat { min-width: 6.5em; padding: 4px 10px; border-radius: 6px; background: #f3f5f8; }
.wsim-stat-value { font-size: 1.35em; font-weight: 600; }
.wsim-stat-label { font-size: 0.78em; color: #555; }
.wsim-lever-doc { font-size: 0.75em; color: #666; margin-top: -14px; margin-bottom: 6px; }
.wsim-week { font-size: 1.6em; font-weight: 700; }
.wsim-pending { color: #8a4500; background: #fff1de; border-left: 4px solid #e08a00;
  padding: 6px 8px; font-size: 0.85em; border-radius: 4px; white-space: normal; }
.wsim-adjusted { font-size: 0.8em; color: #444; white-space: normal; }
.wsim-drawing svg { display: block; max-width: 100%; height: auto; }
.wsim-caption { font-size: 0.85em; color: #444; max-width: 1200px; }
.wsim-survey-table table { border-collapse: collapse; font-size: 1.05em; }
.wsim-survey-table th, .wsim-survey-table td { padding: 6px 12px; border-bottom: 1px solid #ddd;
  text-align: left; vertical-align: top; }
.wsim-survey-table td.wsim-report, .wsim-survey-table td.wsim-sim { font-size: 1.3em;
  font-weight: 600; white-space: nowrap; }
.wsim-survey-caption { font-weight: 600; margin-bottom: 6px; }
.wsim-group { font-size: 0.8em; color: #666; text-transform: uppercase; letter-spacing: 0.03em; }
.wsim-sim-small { color: #999; }
.wsim-small-group { font-size: 0.62em; font-weight: 400; font-style: italic; color: #666;
  white-space: normal; }
/* Solara's "This website runs on Solara" banner sits over the bottom-right corner of the page */
#app div[style*="bottom: 0px"][style*="position: absolute"] { display: none !important; }
"""

SURVEY_NOTE = (
    "The simulated organisation answers the report's questions, asked the way the report asked "
    "them. Greyed values rest on fewer than 30 simulated people: read them as noise."
)


@solara.component
def Stat(label: str, value: str, classes: list[str] | None = None) -> None:
    """A headline number with a label under it."""
    with solara.Column(gap="0px", classes=["wsim-stat", *(classes or [])]):
        solara.Text(value, classes=["wsim-stat-value"])
        solara.Text(label, classes=["wsim-stat-label"])


def _pct(stats: dict[str, float], key: str) -> str:
    return f"{stats[key]:.0%}" if key in stats else "n/a"


@solara.component
def Headline(frame: Frame) -> None:
    """Week counter and, per run, burnout, quits, true and self-reported gain."""
    with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "center"}):
        solara.Text(f"Week {frame.week}", classes=["wsim-week"])
        for label, stats in zip(frame.labels, frame.stats, strict=True):
            colour = plots.scenario_colour(label) if len(frame.labels) > 1 else "#222"
            with solara.Column(gap="2px"):
                solara.Text(
                    label,
                    classes=["wsim-run-label"],
                    style={"font-size": "0.8em", "font-weight": "600", "color": colour},
                )
                with solara.Row(gap="6px"):
                    Stat(SERIES["burnout_share"].label, _pct(stats, "burnout_share"))
                    Stat(SERIES["true_gain"].label, _pct(stats, "true_gain"))
                    Stat(SERIES["reported_gain"].label, _pct(stats, "reported_gain"))
                    Stat(SERIES["quits_cumulative"].label, f"{stats.get('quits_total', 0):.0f}")


@solara.component
def Drawing(svg: str, classes: list[str], style: str = "") -> None:
    """An SVG drawing (a string made by :mod:`sim.dashboard.svg`)."""
    solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["wsim-drawing", *classes], style=style)


def NetworkView(frame: Frame, style: str = "flex: 1 1 320px; max-width: 620px") -> None:
    """Add the organisation(s), coloured by burnout, to the row being built.

    A plain function, not a component: a component with several children would wrap them
    in a column.
    """
    for svg in frame.networks:
        Drawing(svg, ["wsim-network"], style)


def ChartsView(frame: Frame, charts: list[str] | None = None, basis: str = "1 1 220px") -> None:
    """Weekly charts (all of the frame's, or those given) into the row being built."""
    for svg in frame.charts if charts is None else charts:
        Drawing(svg, ["wsim-chart-box"], f"flex: {basis}; max-width: 520px")


@solara.component
def SurveyPanel(frame: Frame) -> None:
    """The report's headline figures beside the simulated survey's, in plain words."""
    Drawing(frame.survey, ["wsim-survey"])
    solara.Text(SURVEY_NOTE, classes=["wsim-caption"])


def _lever_label(name: str, value: float) -> str:
    term = LEVERS[name]
    return f"{term.label[0].upper()}{term.label[1:]}: {value:.2f}"


@solara.component
def LeverSliders(session: DashboardSession, on_change: Callable[[], None], version: int) -> None:
    """One slider per redesign lever, plus the organisation size and the seed.

    Lever sliders move in steps of 0.01; a scenario file's value between two steps (the status
    quo's training, 0.288) shows at a nearest step, and showing it never changes it.

    Args:
        session: the session whose settings the sliders show and set.
        on_change: called after a setting changed.
        version: changes whenever the settings do, so the sliders are drawn again.
    """
    spec = Params.spec()

    def setter(name: str) -> Callable[[float], None]:
        def set_value(value: float) -> None:
            # a slider snaps a file's value between two steps (0.387, or 0.305 half way) to
            # a nearest step and sends it back; that is not a change anyone made
            if abs(float(value) - session.settings.levers[name]) <= SLIDER_STEP / 2 + 1e-9:
                return
            session.set_lever(name, round(float(value), 4))
            on_change()

        return set_value

    def set_agents(value: int) -> None:
        session.set_agents(int(value))
        on_change()

    def set_seed(value: int | None) -> None:
        if value is not None and value >= 0:
            session.set_seed(int(value))
            on_change()

    lo, hi = AGENTS_RANGE
    solara.SliderInt(
        f"{LEVERS['n_agents'].label.capitalize()}: {session.settings.n_agents} positions",
        value=session.settings.n_agents,
        min=lo,
        max=hi,
        step=10,
        on_value=set_agents,
    )
    for name in lever_names():
        s = spec[name]
        solara.SliderFloat(
            _lever_label(name, session.settings.levers[name]),
            value=session.settings.levers[name],
            min=s["lo"],
            max=s["hi"],
            step=SLIDER_STEP,
            on_value=setter(name),
        )
        solara.Text(LEVERS[name].sentence, classes=["wsim-lever-doc"])
    solara.InputInt(
        LEVERS["seed"].label.capitalize(), value=session.settings.seed, on_value=set_seed
    )


@solara.component
def Dashboard(n_agents: int = DEFAULT_AGENTS, session: DashboardSession | None = None) -> None:
    """The workshop dashboard, with its own simulation for this browser session.

    Args:
        n_agents: the organisation size it starts with.
        session: a ready-made session (tests pass one to watch it); default: a new one.
    """
    made, error = solara.use_memo(
        lambda: (session, None) if session is not None else _new_session(n_agents), []
    )
    solara.Style(CSS)
    solara.Title("workplace-sim dashboard")
    if made is None:
        solara.Error(f"The simulation could not start: {error}")
    else:
        SessionView(made)


def play_weeks(pace: float) -> tuple[float, int]:
    """Return the pause between redraws (s) and the weeks each redraw advances, for a pace.

    Example:
        >>> play_weeks(4), play_weeks(20)
        ((0.25, 1), (0.1, 2))
    """
    pace = max(float(pace), 0.1)
    tick = max(1.0 / pace, MIN_TICK)
    return tick, max(round(pace * tick), 1)


def play_stop(week: int) -> int:
    """Return the week Play pauses at from ``week``: the 2025 survey, then each further year."""
    return HORIZON_WEEKS if week < HORIZON_WEEKS else (week // 52 + 1) * 52


@solara.component
def SessionView(session: DashboardSession) -> None:
    """The controls in the sidebar; numbers, network, charts and survey (tabs) beside them."""
    first = solara.use_memo(session.frame, [session])
    frame, set_frame = solara.use_state(first)
    playing, set_playing = solara.use_state(False)
    running = solara.use_ref(None)  # the cancel event of the Play loop last started
    pace, set_pace = solara.use_state(DEFAULT_PACE)
    _tick, set_tick = solara.use_state(0)  # re-render after a setting changed
    message, set_message = solara.use_state("")
    tab, set_tab = solara.use_state(0)

    def touched() -> None:
        set_tick(lambda t: t + 1)

    def guarded(action: Callable[[], Any]) -> Callable[[], None]:
        def run() -> None:
            try:
                action()
                set_message("")
            except UserError as exc:
                set_message(str(exc).splitlines()[0])
            set_frame(session.frame())

        return run

    def step() -> None:
        set_frame(session.advance(1))

    jump_to = play_stop(session.week) if session.week < HORIZON_WEEKS else session.week + 52

    def jump() -> None:
        set_frame(session.advance(jump_to - session.week))

    def reset() -> None:
        set_playing(False)
        guarded(session.reset)()

    def choose(name: str) -> None:
        set_playing(False)
        guarded(lambda: session.select_scenario(name))()

    def side_by_side(on: bool) -> None:
        set_playing(False)
        guarded(lambda: session.set_side_by_side(on))()

    def pause() -> None:
        # Stop the loop under the lock it steps under, so no step is in flight, and show the
        # week the model is at: a frame the loop computed before the pause is that same week.
        with session.lock:
            if running.current is not None:
                running.current.set()
            now = session.frame()
        set_frame(now)
        set_playing(False)

    def play_loop(cancel: threading.Event) -> None:
        if not playing:
            return
        running.current = cancel
        # Play pauses at the 2025 wave (week 104), later at each further year, so a tab left
        # playing (or closed while playing) never steps for ever.
        with session.lock:
            session.play_loops += 1
            session.playing.set()
        try:
            stop_at = play_stop(session.week)
            epoch = session.epoch
            tick, weeks = play_weeks(pace)
            while True:
                t0 = time.perf_counter()
                with session.lock:  # a Reset in between ends the loop before it steps again
                    if cancel.is_set() or session.epoch != epoch:
                        return
                    frame = session.advance(min(weeks, max(stop_at - session.week, 1)))
                # A Reset between this step and its display shows its own frame: keep that one.
                set_frame(lambda shown, new=frame: new if session.epoch == epoch else shown)
                if session.week >= stop_at:
                    set_playing(False)
                    return
                cancel.wait(max(tick - (time.perf_counter() - t0), 0.02))
        finally:
            with session.lock:
                session.play_loops -= 1
                if not session.play_loops:
                    session.playing.clear()

    solara.use_thread(play_loop, dependencies=[playing, pace], intrusive_cancel=False)

    pending = session.pending_changes()
    adjusted = session.adjustments()
    with solara.Sidebar(), solara.Column(gap="6px", classes=["wsim-controls"]):
        names = list(session.scenarios)
        items = [{"text": session.scenarios[n].title, "value": n} for n in names]
        solara.v.Select(
            label="Scenario",
            items=items,
            v_model=session.settings.scenario,
            on_v_model=choose,
            class_="wsim-scenario",
            dense=True,
        )
        solara.Text(
            ("Adjusted from the scenario file: " + "; ".join(adjusted))
            if adjusted
            else "Levers as in the scenario file.",
            classes=["wsim-adjusted"],
        )
        with solara.Row(gap="4px"):
            solara.Button(
                "Pause" if playing else "Play",
                on_click=pause if playing else lambda: set_playing(True),
                icon_name="mdi-pause" if playing else "mdi-play",
                color="primary",
                classes=["wsim-play"],
            )
            solara.Button(
                "Step",
                on_click=step,
                icon_name="mdi-step-forward",
                disabled=playing,
                classes=["wsim-step"],
            )
            solara.Button(
                "Reset",
                on_click=reset,
                icon_name="mdi-restore",
                color="warning" if pending else None,
                outlined=not pending,
                classes=["wsim-reset", "wsim-reset-pending" if pending else "wsim-reset-idle"],
            )
        if pending:
            solara.Text(
                "Changed settings apply on Reset: "
                + "; ".join(pending)
                + ". Until then Step and Play go on with the running settings.",
                classes=["wsim-pending"],
            )
        solara.SliderInt(
            f"Play pace: {pace} weeks per second",
            value=pace,
            min=PACE_RANGE[0],
            max=PACE_RANGE[1],
            on_value=lambda v: set_pace(int(v)),
        )
        solara.Button(
            f"Skip to week {jump_to}"
            + (" (the 2025 survey)" if jump_to == HORIZON_WEEKS else " (one more year)"),
            on_click=jump,
            disabled=playing,
            text=True,
            classes=["wsim-jump"],
        )
        solara.Checkbox(
            label="Side by side with the status quo",
            value=session.settings.side_by_side,
            on_value=side_by_side,
        )
        LeverSliders(session, touched, session.settings_version)
        if message:
            solara.Error(message, classes=["wsim-message"])
        solara.FileDownload(
            session.export_png,
            filename=f"workplace-sim-week-{frame.week}.png",
            label="Export view as PNG",
            mime_type="image/png",
        )

    comparing = len(frame.networks) > 1
    row = {"flex-wrap": "wrap", "align-items": "flex-start"}
    with solara.Column(gap="8px", classes=["wsim-main"]):
        Headline(frame)
        with solara.lab.Tabs(value=tab, on_value=set_tab):
            with solara.lab.Tab("Organisation and charts", classes=["wsim-tab-sim"]):
                if comparing:  # two networks and the difference; the other charts under them
                    with solara.Row(gap="8px", style=row, classes=["wsim-networks"]):
                        NetworkView(frame, "flex: 1 1 220px; max-width: 360px")
                        ChartsView(frame, frame.charts[:1], "1.3 1 300px")
                    with solara.Row(gap="6px", style=row, classes=["wsim-charts"]):
                        ChartsView(frame, frame.charts[1:], "1 1 260px")
                else:
                    with solara.Row(gap="10px", style=row):
                        left = {"flex": "1 1 360px", "max-width": "620px"}
                        with solara.Column(style=left), solara.Row(classes=["wsim-networks"]):
                            NetworkView(frame)
                        with (
                            solara.Column(style={"flex": "1.3 1 460px"}),
                            solara.Row(gap="6px", style=row, classes=["wsim-charts"]),
                        ):
                            ChartsView(frame)
                solara.Text(frame.chart_caption, classes=["wsim-caption", "wsim-chart-caption"])
                with solara.Card(classes=["wsim-explanation"]):
                    solara.Markdown(session.explanation())
            with solara.lab.Tab("Survey against the report", classes=["wsim-tab-survey"]):
                SurveyPanel(frame)


def _new_session(n_agents: int) -> tuple[DashboardSession | None, str | None]:
    try:
        return DashboardSession(n_agents=n_agents), None
    except (UserError, ImportError) as exc:
        return None, str(exc)
