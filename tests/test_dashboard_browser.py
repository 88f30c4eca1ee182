"""End-to-end tests of the workshop dashboard in a real headless Chromium (Debian's package).

The server is started as a user would start it (``python -m sim dashboard --port P``); Playwright
drives ``/usr/bin/chromium`` (never a browser of its own). Every request the page makes to
anything but the server is aborted and counted as a failure, so the tests also prove the page
works with no internet (``scripts/setup-dashboard`` fills the front-end cache).

Without chromium these tests skip, unless ``CI`` is set: then they fail, because CI must run
them (``.ci/run`` installs chromium through scripts/setup-dashboard).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Flags for this machine: no sandbox as root, no GPU, and no background traffic to the
#: internet (the network is closed; without them Chromium keeps trying).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = ROOT / "docs" / "img" / "dashboard.png"
LOAD_TIMEOUT_MS = 90_000
STEP_TIMEOUT_MS = 20_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(
            "playwright is not installed (pip install playwright; never playwright install)"
        )
    if not Path(CHROMIUM).exists():
        _unavailable(
            f"chromium is not installed at {CHROMIUM} (scripts/setup-dashboard installs it)"
        )
    from sim.dashboard.assets import missing_files

    missing = missing_files()
    if missing:
        _unavailable(
            f"{len(missing)} front-end files are not cached (e.g. {missing[0].relpath}): "
            "run scripts/setup-dashboard"
        )
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_api):
    b = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, playwright_api) -> Iterator[str]:
    """Start ``python -m sim dashboard`` on a free port; yield its address."""
    port = _free_port()
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "dashboard", "--port", str(port)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the dashboard exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the dashboard did not answer within 90 s:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@dataclass
class Watched:
    """A page with what went wrong on it: console errors, failed and refused requests."""

    page: object
    context: object
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.errors + self.failed + [f"external request: {u}" for u in self.external]


def open_page(browser, url: str, viewport=(1400, 1000)) -> Watched:
    """Open the dashboard in a fresh browser context (its own cookies: its own session)."""
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True
    )
    page = context.new_page()
    w = Watched(page, context)
    server_host = urlparse(url).netloc

    def route(r):
        if urlparse(r.request.url).netloc == server_host or r.request.url.startswith("data:"):
            r.continue_()
        else:  # no internet at a venue: nothing may come from elsewhere
            w.external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on(
        "console",
        lambda m: w.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: w.errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: w.failed.append(f"failed: {r.url} ({r.failure})"))
    page.on(
        "response",
        lambda r: w.failed.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    page.goto(url)
    page.wait_for_selector(".wsim-network svg", timeout=LOAD_TIMEOUT_MS)
    return w


def week_of(page) -> int:
    return int(page.get_attribute(".wsim-network svg", "data-week"))


#: True when the whole page shows one week: every network (one per run side by side) and every
#: chart (a point per week, week 0 included). Solara sends each widget's update in its own
#: message, so the parts of one frame reach the page one after another.
FRAME_SHOWN_JS = """(week) => {
    const nets = [...document.querySelectorAll('.wsim-network svg')];
    const charts = [...document.querySelectorAll('.wsim-chart')];
    return nets.length > 0 && nets.every((s) => s.dataset.week === String(week))
        && charts.every((c) => c.dataset.points === String(week + 1));
}"""


def wait_week(page, week: int) -> None:
    """Wait until every part of the page shows ``week``."""
    page.wait_for_function(FRAME_SHOWN_JS, arg=week, timeout=STEP_TIMEOUT_MS)


def chart_points(page) -> list[int]:
    return [
        int(x)
        for x in page.eval_on_selector_all(".wsim-chart", "els => els.map(e => e.dataset.points)")
    ]


def step(page) -> None:
    before = week_of(page)
    page.click(".wsim-step")
    wait_week(page, before + 1)


# ----------------------------------------------------------------------------- tests
def test_page_loads_with_no_console_error_and_no_failed_request(browser, server):
    w = open_page(browser, server)
    w.page.wait_for_selector(".wsim-chart", timeout=STEP_TIMEOUT_MS)
    w.page.get_by_text("Survey against the report").click()  # one click, no scrolling
    w.page.wait_for_selector(".wsim-survey-table", state="visible", timeout=STEP_TIMEOUT_MS)
    table = w.page.inner_text(".wsim-survey-table")
    assert "say they are burnt out" in table and "88%" in table
    assert "based on" in table  # the executives' item rests on a handful of people here
    w.page.get_by_text("Organisation and charts").click()
    w.page.wait_for_timeout(2000)  # lazily loaded parts (markdown: mermaid, katex)
    assert w.page.locator(".wsim-explanation").inner_text().strip()
    assert w.problems() == []
    w.context.close()


def test_step_advances_the_charts_and_the_network(browser, server):
    w = open_page(browser, server)
    page = w.page
    assert week_of(page) == 0
    points = chart_points(page)
    network = page.inner_html(".wsim-network svg")
    step(page)
    step(page)
    assert week_of(page) == 2
    assert chart_points(page) == [p + 2 for p in points]
    assert page.inner_html(".wsim-network svg") != network
    assert "Week 2" in page.inner_text(".wsim-main")
    assert w.problems() == []
    w.context.close()


STEP_JS = """async (target) => {
    const t0 = performance.now();
    document.querySelector('.wsim-step').click();
    await new Promise((resolve) => {
        const check = () => {
            const svg = document.querySelector('.wsim-network svg');
            const charts = document.querySelectorAll('.wsim-chart');
            if (svg && svg.dataset.week == String(target) && charts.length) resolve();
            else requestAnimationFrame(check);
        };
        check();
    });
    await new Promise((r) => requestAnimationFrame(() => r()));
    return performance.now() - t0;
}"""


def test_one_step_is_on_screen_within_300_ms(browser, server):
    """Issue 6: at the default size (about 200 agents), click to redrawn page within 300 ms.

    Time from the click to the next painted frame showing the new week, measured in the page.
    The median of 8 steps must be under 300 ms; on a machine busy with other work a round may
    be slow, so up to three rounds are timed and the best median counts.
    """
    w = open_page(browser, server)
    page = w.page
    for _ in range(3):  # warm up the server's caches and the page
        step(page)
    medians = []
    for _round in range(3):
        times = [page.evaluate(STEP_JS, week_of(page) + 1) for _ in range(8)]
        medians.append(statistics.median(times))
        rounded = [round(t) for t in times]
        print(f"\nstep latency: median {medians[-1]:.0f} ms, all {rounded}")
        if medians[-1] < 300:
            break
    nodes = int(page.get_attribute(".wsim-network svg", "data-nodes"))
    print(f"step latency at {nodes} positions: best median {min(medians):.0f} ms")
    assert 150 <= nodes <= 250
    assert min(medians) < 300, medians
    w.context.close()


def _slider_thumb(page, label: str):
    slider = page.locator(".v-input.v-input__slider", has_text=label)
    return slider.locator(".v-slider__thumb-container")


def pending_shown(page) -> bool:
    return page.locator(".wsim-pending").count() > 0


def wait_no_pending(page) -> None:
    """Wait until the pending cue is gone: Reset idle and no note.

    Each widget updates on its own message, so one may lag the other by a frame.
    """
    page.wait_for_selector(".wsim-reset-idle", timeout=STEP_TIMEOUT_MS)
    page.wait_for_selector(".wsim-pending", state="detached", timeout=STEP_TIMEOUT_MS)


def test_slider_and_reset_change_the_model(browser, server):
    w = open_page(browser, server)
    page = w.page
    step(page)  # a round trip: anything the page sent at load has been answered
    assert not pending_shown(page)
    assert page.locator(".wsim-reset-idle").count() == 1
    nodes = int(page.get_attribute(".wsim-network svg", "data-nodes"))
    thumb = _slider_thumb(page, "Organisation size")
    for k in range(1, 4):
        thumb.focus()
        page.keyboard.press("ArrowRight")  # +10 positions
        label = f"Organisation size: {nodes + 10 * k} positions"
        page.wait_for_selector(
            f".v-input__slider label:has-text('{label}')", timeout=STEP_TIMEOUT_MS
        )
    page.wait_for_selector(".wsim-pending", timeout=STEP_TIMEOUT_MS)
    assert f"organisation size {nodes} → {nodes + 30}" in page.inner_text(".wsim-pending")
    assert page.locator(".wsim-reset-pending").count() == 1
    assert week_of(page) == 1  # nothing changes before Reset
    step(page)  # Step goes on with the running settings, and the cue says so
    assert "Step and Play go on with the running settings" in page.inner_text(".wsim-pending")
    page.click(".wsim-reset")
    page.wait_for_selector(f'.wsim-network svg[data-nodes="{nodes + 30}"]', timeout=STEP_TIMEOUT_MS)
    assert week_of(page) == 0
    wait_no_pending(page)
    # a lever: pending until Reset, then the run is labelled with what was adjusted
    lever = _slider_thumb(page, "Saved time turned into more work")
    lever.focus()
    page.keyboard.press("ArrowLeft")  # 0.80 -> 0.79
    page.wait_for_selector(".wsim-pending", timeout=STEP_TIMEOUT_MS)
    assert "saved time turned into more work 0.80 → 0.79" in page.inner_text(".wsim-pending")
    page.click(".wsim-reset")
    wait_no_pending(page)
    title = page.text_content(".wsim-network svg title")
    assert title.startswith("status quo (adjusted: saved time turned into more work 0.80 → 0.79)")
    assert "0.80 → 0.79" in page.inner_text(".wsim-adjusted")
    assert w.problems() == []
    w.context.close()


def choose_scenario(page, title_start: str) -> None:
    page.click(".wsim-scenario")
    page.locator(".v-menu__content .v-list-item", has_text=title_start).first.click()
    page.wait_for_function(
        "(t) => document.querySelector('.wsim-explanation').innerText.includes(t)",
        arg=title_start,
        timeout=STEP_TIMEOUT_MS,
    )


def test_side_by_side_shows_the_redesign_and_the_status_quo(browser, server):
    w = open_page(browser, server)
    page = w.page
    choose_scenario(page, "Keep the time AI saves")
    assert not pending_shown(page)
    page.get_by_text("Side by side with the status quo").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.wsim-network svg').length === 2", timeout=STEP_TIMEOUT_MS
    )
    titles = page.eval_on_selector_all(
        ".wsim-network svg title", "els => els.map(e => e.textContent)"
    )
    assert titles[0].startswith("keep slack,") and titles[1].startswith("status quo,")
    step(page)
    assert not pending_shown(page)  # choosing and comparing change nothing that waits
    assert "as in the scenario file" in page.inner_text(".wsim-adjusted")
    weeks = page.eval_on_selector_all(".wsim-network svg", "els => els.map(e => e.dataset.week)")
    assert weeks == ["1", "1"]
    # the difference chart first, then one chart per outcome; every chart has its band
    titles = page.eval_on_selector_all(".wsim-chart", "els => els.map(e => e.dataset.title)")
    assert titles[0] == "Burnt out: redesign minus status quo"
    bands = page.eval_on_selector_all(".wsim-chart", "els => els.map(e => e.dataset.bands)")
    assert bands == ["1", "2", "2", "2"]
    assert page.locator(".wsim-chart polygon.band").count() == 7
    assert "95% interval" in page.inner_text(".wsim-chart-caption")
    page.get_by_text("Survey against the report").click()
    page.wait_for_selector(".wsim-survey-table", state="visible", timeout=STEP_TIMEOUT_MS)
    assert "Simulated: status quo" in page.inner_text(".wsim-survey-table")
    assert w.problems() == []
    w.context.close()


CODE_NAMES_JS = """(names) => {
    const seen = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const known = new Set(names);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!el || el.closest('script, style, title, template')) continue;
        const style = window.getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        const words = /[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|\b(?:fte|ic)\b/g;  // codenames.NON_WORDS
        for (const word of node.textContent.match(words) || []) {
            seen.push(word);
        }
    }
    return seen.filter((w) => known.has(w) || /^[a-z]+(_[a-z0-9]+)+$/.test(w));
}"""


def _code_names() -> list[str]:
    """The names ``tests/test_vocabulary.py`` looks for in the terminal and report.html."""
    from codenames import code_names

    return sorted(code_names())


def test_no_code_name_is_shown_to_a_person(browser, server):
    """Walk every visible text node (controls, charts, survey tab) for snake_case names."""
    w = open_page(browser, server)
    page = w.page
    names = _code_names()
    assert page.evaluate(CODE_NAMES_JS, names) == []
    choose_scenario(page, "Blended talent")
    page.get_by_text("Side by side with the status quo").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.wsim-network svg').length === 2", timeout=STEP_TIMEOUT_MS
    )
    thumb = _slider_thumb(page, "Employer AI training")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector(".wsim-pending", timeout=STEP_TIMEOUT_MS)
    step(page)
    assert page.evaluate(CODE_NAMES_JS, names) == []
    page.get_by_text("Survey against the report").click()
    page.wait_for_selector(".wsim-survey-table", state="visible", timeout=STEP_TIMEOUT_MS)
    assert page.evaluate(CODE_NAMES_JS, names) == []
    # the walker does catch one: a code name put on the page is found
    page.evaluate("() => document.querySelector('.wsim-week').textContent = 'burnout_share'")
    assert page.evaluate(CODE_NAMES_JS, names) == ["burnout_share"]
    assert w.problems() == []
    w.context.close()


def test_nothing_covers_the_page(browser, server):
    """Solara's banner ("This website runs on Solara") is hidden; it sat over the content."""
    w = open_page(browser, server)
    visible = w.page.evaluate(
        """() => [...document.querySelectorAll('#app div')].filter((d) =>
            d.textContent.trim().startsWith('This website runs on') && d.offsetParent !== null
        ).length"""
    )
    assert visible == 0
    w.context.close()


def test_play_runs_at_the_chosen_pace_and_pauses(browser, server):
    w = open_page(browser, server)
    page = w.page
    thumb = _slider_thumb(page, "Play pace")
    thumb.focus()
    page.keyboard.press("End")  # the fastest pace
    page.wait_for_selector(
        ".v-input__slider label:has-text('Play pace: 20 weeks per second')", timeout=STEP_TIMEOUT_MS
    )
    page.click(".wsim-play")
    page.wait_for_function(
        "() => Number(document.querySelector('.wsim-network svg').dataset.week) >= 20",
        timeout=STEP_TIMEOUT_MS,
    )
    page.click(".wsim-play")  # pause
    page.wait_for_selector(".wsim-play:has-text('Play')", timeout=STEP_TIMEOUT_MS)
    paused = week_of(page)
    page.wait_for_timeout(400)  # a stopped loop draws nothing more
    assert week_of(page) == paused
    assert w.problems() == []
    w.context.close()


def test_two_browser_contexts_do_not_share_a_model(browser, server):
    a = open_page(browser, server)
    b = open_page(browser, server)
    for _ in range(3):
        step(a.page)
    b.page.wait_for_timeout(500)
    assert (week_of(a.page), week_of(b.page)) == (3, 0)
    step(b.page)
    assert (week_of(a.page), week_of(b.page)) == (3, 1)
    assert a.problems() == [] and b.problems() == []
    a.context.close()
    b.context.close()


def png_text(data: bytes) -> dict[str, str]:
    """Return the text fields (tEXt and iTXt chunks) of a PNG."""
    import struct
    import zlib

    out, pos = {}, 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _tkey, _, text = rest.partition(b"\0")
            out[key.decode("latin-1")] = (zlib.decompress(text) if compressed else text).decode()
        pos += 12 + length
    return out


def test_export_downloads_a_png_naming_the_changed_settings(browser, server, tmp_path):
    w = open_page(browser, server)
    page = w.page
    choose_scenario(page, "Human touchpoints")
    thumb = _slider_thumb(page, "Clear AI strategy")
    thumb.focus()
    page.keyboard.press("ArrowRight")  # 0.20 -> 0.21
    page.wait_for_selector(".wsim-pending", timeout=STEP_TIMEOUT_MS)
    page.click(".wsim-reset")
    wait_no_pending(page)
    step(page)
    with page.expect_download(timeout=STEP_TIMEOUT_MS) as info:
        page.get_by_text("Export view as PNG").click()
    path = tmp_path / "export.png"
    info.value.save_as(path)
    assert info.value.suggested_filename == "workplace-sim-week-1.png"
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    text = png_text(data)
    assert text["Title"].startswith("Human touchpoints")
    assert "Changed from the scenario file: clear AI strategy 0.20 → 0.21" in text["Description"]
    assert "positions, seed 2025" in text["Description"]
    w.context.close()


def test_screenshot_for_the_readme(browser, server, tmp_path):
    """Screenshot of the combined redesign beside the status quo at week 104.

    Written into the test's temporary folder; with ``WSIM_UPDATE_SCREENSHOT=1`` it
    replaces the README's ``docs/img/dashboard.png`` (a plain test run leaves the
    checkout untouched).
    """
    w = open_page(browser, server, viewport=(1600, 1000))
    page = w.page
    choose_scenario(page, "Combined redesign")
    page.get_by_text("Side by side with the status quo").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.wsim-network svg').length === 2", timeout=STEP_TIMEOUT_MS
    )
    page.click(".wsim-jump")
    wait_week(page, 104)
    page.wait_for_timeout(800)  # the browser paints the last frame
    update = os.environ.get("WSIM_UPDATE_SCREENSHOT", "") not in ("", "0")
    shot = SCREENSHOT if update else tmp_path / SCREENSHOT.name
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000
    assert w.problems() == []
    w.context.close()
