"""Solara components of the workshop dashboard.

:func:`Dashboard` is the whole page. It makes one :class:`~sim.dashboard.session.DashboardSession`
per browser session with ``solara.use_memo`` (a module-level model would be shared by everyone
in the room), keeps the latest rendered :class:`~sim.dashboard.session.Frame` in component state,
and runs Play in a thread of that session. The pictures are PNGs rendered by
:mod:`sim.dashboard.plots`; no Mesa ``SpaceRenderer`` is used, so nothing loses its styling on
Reset (Mesa 3.5.1's ``copy_renderer`` copies the wrong attribute names).

CSS classes (``wsim-...``) mark the parts the browser tests look for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import solara

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

#: Seconds between two steps while playing (longer when a step takes longer).
PLAY_INTERVAL = 0.35

CSS = """
.wsim-stat { min-width: 8.5em; padding: 4px 10px; border-radius: 6px; background: #f3f5f8; }
.wsim-stat-value { font-size: 1.35em; font-weight: 600; }
.wsim-stat-label { font-size: 0.78em; color: #555; }
.wsim-lever-doc { font-size: 0.75em; color: #666; margin-top: -14px; margin-bottom: 6px; }
.wsim-week { font-size: 1.6em; font-weight: 700; }
.wsim-pending { color: #b35c00; font-size: 0.85em; }
.wsim-drawing svg { display: block; max-width: 100%; height: auto; }
"""


def _humanise(name: str) -> str:
    return name.replace("_", " ").capitalize()


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
            with solara.Column(gap="2px"):
                solara.Text(label, style={"font-size": "0.8em", "font-weight": "600"})
                with solara.Row(gap="6px"):
                    Stat("burnt out", _pct(stats, "burnout_share"))
                    Stat("true gain", _pct(stats, "true_gain"))
                    Stat("self-reported gain", _pct(stats, "reported_gain"))
                    Stat("quits so far", f"{stats.get('quits_total', 0):.0f}")


@solara.component
def Drawing(svg: str, classes: list[str], style: str = "") -> None:
    """An SVG drawing (a string made by :mod:`sim.dashboard.svg`)."""
    solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["wsim-drawing", *classes], style=style)


@solara.component
def NetworkView(frame: Frame) -> None:
    """The organisation(s) coloured by burnout, side by side when two runs are shown."""
    with solara.Row(gap="8px", classes=["wsim-networks"], style={"flex-wrap": "wrap"}):
        for svg in frame.networks:
            Drawing(svg, ["wsim-network"], "flex: 1 1 220px; max-width: 620px")


@solara.component
def ChartsView(frame: Frame) -> None:
    """The four weekly charts, two by two on a wide screen."""
    with solara.Row(gap="6px", classes=["wsim-charts"], style={"flex-wrap": "wrap"}):
        for svg in frame.charts:
            Drawing(svg, ["wsim-chart-box"], "flex: 1 1 220px; max-width: 520px")


@solara.component
def SurveyPanel(frame: Frame) -> None:
    """The simulated survey beside the report's figures."""
    Drawing(frame.survey, ["wsim-survey"])


@solara.component
def LeverSliders(session: DashboardSession, on_change: Callable[[], None], version: int) -> None:
    """One slider per redesign lever, plus the organisation size and the seed.

    Args:
        session: the session whose settings the sliders show and set.
        on_change: called after a setting changed.
        version: changes whenever the settings do, so the sliders are drawn again.
    """
    spec = Params.spec()

    def setter(name: str) -> Callable[[float], None]:
        def set_value(value: float) -> None:
            session.set_lever(name, float(value))
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
        f"Organisation size: {session.settings.n_agents}",
        value=session.settings.n_agents,
        min=lo,
        max=hi,
        step=10,
        on_value=set_agents,
    )
    for name in lever_names():
        s = spec[name]
        solara.SliderFloat(
            f"{_humanise(name)}: {session.settings.levers[name]:.2f}",
            value=session.settings.levers[name],
            min=s["lo"],
            max=s["hi"],
            step=0.05,
            on_value=setter(name),
        )
        solara.Text(s["doc"], classes=["wsim-lever-doc"])
    solara.InputInt("Seed", value=session.settings.seed, on_value=set_seed)


@solara.component
def Dashboard(n_agents: int = DEFAULT_AGENTS) -> None:
    """The workshop dashboard, with its own simulation for this browser session.

    Args:
        n_agents: the organisation size it starts with.
    """
    session, error = solara.use_memo(lambda: _new_session(n_agents), [])
    solara.Style(CSS)
    solara.Title("workplace-sim dashboard")
    if session is None:
        solara.Error(f"The simulation could not start: {error}")
    else:
        SessionView(session)


@solara.component
def SessionView(session: DashboardSession) -> None:
    """The controls in the sidebar; explanation, numbers, network, charts, survey beside them."""
    first = solara.use_memo(session.frame, [session])
    frame, set_frame = solara.use_state(first)
    playing, set_playing = solara.use_state(False)
    _tick, set_tick = solara.use_state(0)  # re-render after a setting changed
    message, set_message = solara.use_state("")

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

    jump_to = HORIZON_WEEKS if session.week < HORIZON_WEEKS else session.week + 52

    def jump() -> None:
        set_frame(session.advance(jump_to - session.week))

    def reset() -> None:
        set_playing(False)
        guarded(session.reset)()

    def choose(name: str) -> None:
        set_playing(False)
        guarded(lambda: session.select_scenario(name))()

    def side_by_side(on: bool) -> None:
        guarded(lambda: session.set_side_by_side(on))()

    def play_loop(cancel: threading.Event) -> None:
        if not playing:
            return
        # Play pauses at the 2025 wave (week 104), later at each further year, so a tab left
        # playing (or closed while playing) never steps for ever.
        stop_at = HORIZON_WEEKS if session.week < HORIZON_WEEKS else (session.week // 52 + 1) * 52
        epoch = session.epoch
        while True:
            t0 = time.perf_counter()
            with session.lock:  # a Reset in between ends the loop before it steps the new model
                if cancel.is_set() or session.epoch != epoch:
                    return
                frame = session.advance(1)
            set_frame(frame)
            if session.week >= stop_at:
                set_playing(False)
                return
            cancel.wait(max(PLAY_INTERVAL - (time.perf_counter() - t0), 0.05))

    solara.use_thread(play_loop, dependencies=[playing], intrusive_cancel=False)

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
        with solara.Row(gap="4px"):
            solara.Button(
                "Pause" if playing else "Play",
                on_click=lambda: set_playing(not playing),
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
                color="warning" if session.pending else None,
                classes=["wsim-reset"],
            )
        solara.Button(
            f"Jump to week {jump_to}",
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
        # always present (empty when nothing is pending), so the sliders below keep their place
        solara.Text(
            "Changed settings apply on Reset." if session.pending else "",
            classes=["wsim-pending"] if session.pending else ["wsim-no-pending"],
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

    row = {"flex-wrap": "wrap", "align-items": "flex-start"}
    with solara.Column(gap="10px", classes=["wsim-main"]):
        Headline(frame)
        with solara.Row(gap="10px", style=row):
            with solara.Column(style={"flex": "1 1 360px"}):
                NetworkView(frame)
            with solara.Column(style={"flex": "1.3 1 460px"}):
                ChartsView(frame)
        with solara.Row(gap="10px", style=row):
            with solara.Column(style={"flex": "1.2 1 480px", "max-width": "760px"}):
                SurveyPanel(frame)
            with solara.Card(classes=["wsim-explanation"], style={"flex": "1 1 400px"}):
                solara.Markdown(session.explanation())


def _new_session(n_agents: int) -> tuple[DashboardSession | None, str | None]:
    try:
        return DashboardSession(n_agents=n_agents), None
    except (UserError, ImportError) as exc:
        return None, str(exc)
