"""The browser visualiser (simulation/viz/app.py), driven in a real browser.

A module fixture starts `solara run simulation/viz/app.py` on a free loopback port with the offline
Solara assets (`make assets` fills them into <venv>/solara-assets), and Playwright drives
Debian's chromium (`make browser` installs it; never `playwright install`) headless. The test
fails on any page error or console error.

It is skipped only when /usr/bin/chromium is missing and UPCONV_ALLOW_SKIP_BROWSER=1 is set;
otherwise a missing browser is a failure, so CI really runs it (`make test` installs chromium).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("UPCONV_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ASSET_DIR = Path(os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR") or Path(sys.prefix) / "solara-assets")
ASSET_FILES = ["@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js", "requirejs@2.3.6/require.js",
               "vega@5/build/vega.min.js", "vega-lite@5/build/vega-lite.min.js", "vega-embed@6/build/vega-embed.min.js",
               "@widgetti/vue-grid-layout@2.3.13-alpha.2/dist/vue-grid-layout.umd.js"]
TIMEOUT_MS = 60_000  # generous: the test must pass on a loaded machine too


# --- the served file, without a browser -------------------------------------------------------------

def test_app_is_the_entry_point_built_from_the_page_modules():
    # simulation/viz/app.py is what `solara run` serves; the page's parts live in the modules next to it
    # (unit tests: test_choices.py, test_classroom.py, test_controls.py, test_charts.py)
    from simulation.viz import app, cards, charts, choices, classroom, controls, network

    assert app.STRATEGIES is choices.STRATEGIES and app.STRATEGY_TEXT is choices.STRATEGY_TEXT
    assert app.SchoolSystemViz is controls.SchoolSystemViz and app.model_params is controls.model_params
    assert app._TEMPLATES is charts._TEMPLATES and app.VegaLiteWidget is charts.VegaLiteWidget
    assert app.network_spec is network.network_spec and app.StrategyCard is cards.StrategyCard
    assert app.Classroom is classroom.Classroom
    assert app.TABS == ["Side by side", "Distribution", "One system"]
    assert app.COMPONENTS == [app.NetworkView, app.StrategyView, app.AttainmentView, app.RegionsView, app.GradesView,
                              app.SupportView, app.KnowledgeView, app.SchoolView]
    assert callable(app.Page)


# --- the page in a browser -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("UPCONV_ALLOW_SKIP_BROWSER") == "1":
            pytest.skip(f"{CHROMIUM} is missing and UPCONV_ALLOW_SKIP_BROWSER=1: browser test not run")
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium), or set "
                    "UPCONV_ALLOW_SKIP_BROWSER=1 to skip this test knowingly")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(chromium: Path) -> dict:
    # pytest-playwright's launch options: Debian's chromium, never a downloaded browser
    return {"executable_path": str(chromium), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args() -> dict:
    return {"viewport": {"width": 1400, "height": 1000}}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    missing = [f for f in ASSET_FILES if not (ASSET_DIR / f).is_file()]
    if missing:
        pytest.fail(f"Solara assets missing in {ASSET_DIR} ({missing[0]} ...): run `make assets`")
    port = _free_port()
    log = tmp_path_factory.mktemp("viz") / "solara.log"
    env = {**os.environ, "SOLARA_ASSETS_PROXY_CACHE_DIR": str(ASSET_DIR), "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "solara", "run", "simulation/viz/app.py", "--host", "127.0.0.1", "--port", str(port),
             "--no-open", "--production"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"solara exited with code {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"solara did not answer on {url} within 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, f"the server logged an error:\n{text[-3000:]}"
    assert "Could not load URL" not in text, f"an asset was missing from {ASSET_DIR}:\n{text[-3000:]}"
    # no warning on every page load (Solara's SameSite cookie warning is silenced in app.py)
    assert "Warning" not in text, f"the server logged a warning:\n{text[-3000:]}"


# Console messages the page may show that our code does not cause. Solara's own navigator.vue (the
# router, on every Solara page) has no `module.exports`, and ipyvue warns once per page about it.
NOT_OURS = ["Failed to evaluate Vue script and find module.exports, falling back to old method"]


@pytest.fixture
def problems(page):
    """Page errors and console errors and warnings (except NOT_OURS) of the test's page; checked at the end."""
    found: list[str] = []

    def on_console(msg):
        if msg.type in ("error", "warning") and not any(text in msg.text for text in NOT_OURS):
            found.append(f"console {msg.type}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: found.append(f"page error: {exc}"))
    yield found
    assert not found, "\n".join(found)


def _open(page, server, width=1400, height=1000):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": height})
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page.goto(server, timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Step").wait_for(timeout=TIMEOUT_MS)
    _charts_drawn(page, 5)


def _charts_drawn(page, n: int) -> None:
    page.wait_for_function(
        "n => Array.from(document.querySelectorAll('.vega-embed svg'))"
        ".filter(e => e.getBoundingClientRect().width > 100).length >= n", arg=n, timeout=TIMEOUT_MS)


def _terms(page):
    return page.locator(".upconv-terms")


def _steps(page, n: int, before: int) -> None:
    from playwright.sync_api import expect

    step = page.get_by_role("button", name="Step")
    for i in range(n):
        step.click()
        expect(_terms(page)).to_have_text(f"Terms run: {before + i + 1}", timeout=TIMEOUT_MS)


# the labels of every time axis ("School year") drawn in the page, one list per chart
YEAR_LABELS = """() => Array.from(document.querySelectorAll('.vega-embed svg g[aria-label^="X-axis titled \\'School year\\'"]'))
  .map(axis => Array.from(axis.querySelectorAll('g.role-axis-label text')).map(t => t.textContent))"""
STANDINGS = ".upconv-standings tr:not(:first-child)"


def test_side_by_side(server, page, problems):
    from playwright.sync_api import expect

    _open(page, server)
    # the default: every registry strategy on the same schools, one row each in its colour
    expect(page.get_by_role("tab", name="Side by side")).to_be_visible()
    expect(page.locator(STANDINGS)).to_have_count(4)
    for label in ("Status quo", "Reducing disparity", "Growing the top", "Upwards convergence"):
        expect(page.locator(STANDINGS, has_text=label)).to_have_count(1)
    expect(page.get_by_text("Convergence: the mean against the gap")).to_be_visible()
    expect(_terms(page)).to_have_text("Terms run: 0")
    expect(page.locator(".upconv-year")).to_have_text("Now: 2002/03 autumn")
    # no Mesa internals
    for internal in ("Use Threads", "Render Interval", "Page 0", "Time:"):
        expect(page.get_by_text(internal)).to_have_count(0)

    _steps(page, 3, 0)
    expect(page.locator(".upconv-year")).to_have_text("Now: 2003/04 autumn")
    # time axes in whole school years, each label once; shares in percent
    axes = page.evaluate(YEAR_LABELS)
    assert len(axes) >= 4, axes
    for labels in axes:
        assert labels and len(set(labels)) == len(labels), labels
        assert all(re.fullmatch(r"\d{4}/\d{2}", label) for label in labels), labels
    y_labels = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.vega-embed svg g[aria-label^="Y-axis titled \\'Mean attainment\\'"] g.role-axis-label text')).map(t => t.textContent)""")
    assert y_labels and all(label.endswith("%") for label in y_labels), y_labels

    # play for a while, then pause: every strategy moves together
    page.get_by_role("button", name="▶").click()
    page.wait_for_function("() => parseInt(document.querySelector('.upconv-terms').textContent.split(':')[1]) >= 5",
                           timeout=TIMEOUT_MS)
    page.get_by_role("button", name="❚❚").click()
    expect(page.get_by_role("button", name="▶")).to_be_visible()
    expect(page.get_by_role("button", name="Step")).to_be_enabled()

    # a change waits for Reset, and the page says so
    expect(page.locator(".upconv-pending")).to_have_count(0)
    page.locator(".upconv-strategies").click()
    for label in ("Status quo", "Growing the top"):
        page.get_by_role("option", name=label).click()
    page.keyboard.press("Escape")
    slider = page.locator("[role=slider][aria-label='Coaching time']")
    slider.focus()
    for _ in range(4):
        slider.press("ArrowRight")  # 4.0 -> 6.0 days in steps of 0.5
    expect(slider).to_have_attribute("aria-valuenow", "6")
    expect(page.locator(".upconv-value", has_text="6 days per mentee per year")).to_be_visible()  # the number
    pending = page.locator(".upconv-pending")
    expect(pending).to_contain_text("Strategies")
    expect(pending).to_contain_text("Coaching time")
    expect(pending).to_contain_text("apply on Reset")
    expect(page.locator(STANDINGS)).to_have_count(4)  # still the old run
    page.get_by_role("button", name="Reset").click()
    expect(_terms(page)).to_have_text("Terms run: 0")
    expect(pending).to_have_count(0)
    expect(page.locator(STANDINGS)).to_have_count(2)
    expect(page.locator(STANDINGS, has_text="Growing the top")).to_have_count(0)
    _steps(page, 1, 0)

    # a bad seed gives a message in the page, and the page keeps working
    seed = page.get_by_label("Random seed")
    seed.fill("abc")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    error = page.locator(".upconv-input-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("seed must be a whole number")
    expect(seed).to_have_value("abc")  # the controls keep what the user typed
    expect(page.get_by_text("Traceback")).to_have_count(0)
    _steps(page, 1, 0)
    seed.fill("5")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    expect(error).to_have_count(0)
    expect(page.get_by_text(re.compile(r"same 40 schools, seed 5"))).to_be_visible()


STRIP = ".upconv-strip svg"


def test_distribution_and_a_schools_story(server, page, problems):
    from playwright.sync_api import expect

    _open(page, server)
    _steps(page, 2, 0)
    page.get_by_role("tab", name="Distribution").click()
    page.locator(STRIP).wait_for()
    dots = page.locator(f"{STRIP} g.mark-symbol.role-mark path")
    expect(dots).to_have_count(4 * 40)  # every school under every strategy
    expect(page.locator(f"{STRIP} line[stroke='#d73027']")).to_have_count(1)  # the floor
    expect(page.locator(".upconv-story")).to_contain_text("School 0")
    # click a school: its story under every strategy
    page.locator(f'{STRIP} g.mark-symbol.role-mark path[aria-label*="; school: 7;"]').first.dispatch_event("click")
    story = page.locator(".upconv-story")
    expect(story).to_contain_text("School 7")
    for label in ("Status quo", "Reducing disparity", "Growing the top", "Upwards convergence"):
        expect(story).to_contain_text(label)
    expect(story).to_contain_text("Grades:")
    expect(story).to_contain_text("Coaches now")
    expect(page.get_by_text("School 7: pupils reaching the benchmark")).to_be_visible()
    # it keeps updating as the run goes on
    _steps(page, 2, 2)
    expect(dots).to_have_count(4 * 40)
    expect(story).to_contain_text("School 7")
    expect(story).to_contain_text("of 5.")  # "terms with a partnership: k of 5" (the start and 4 terms)

    page.get_by_role("tab", name="One system").click()
    expect(page.get_by_text(re.compile(r"^Schools and partnerships, 2003/04 spring$"))).to_be_visible()


# Everything shown lies inside the window and inside the box that holds it (nothing cut off sideways).
OUTSIDE = """() => {
  const W = window.innerWidth, out = [];
  const name = e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' +
      String(e.className).trim().split(/\\s+/).slice(0, 2).join('.') : '');
  if (document.documentElement.scrollWidth > W + 1) out.push('the page scrolls sideways');
  const shown = '.vega-embed svg, .v-card, .v-btn, table, .v-tab, .v-select, .v-slider, .upconv-story, .upconv-text';
  for (const e of document.querySelectorAll(shown)) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left < -1 || r.right > W + 1) out.push(`${name(e)} at x ${r.left.toFixed(0)}..${r.right.toFixed(0)} of ${W}`);
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const b = a.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) out.push(`${name(e)} cut off by ${name(a)}`);
      break;
    }
  }
  for (const e of document.querySelectorAll('.v-select__selection, .v-label, .upconv-value, .v-tab, .v-chip__content'))
    if (e.getBoundingClientRect().width > 0 && e.scrollWidth > e.clientWidth + 1) out.push(`text cut: ${e.textContent}`);
  return out;
}"""


def _tabs_fit(page, width: int, height: int, scenario: str) -> None:
    """On each tab nothing lies outside the window or the box that holds it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # each tab with an element of its own that shows it is drawn
    for tab, mark in (("Side by side", ".upconv-standings"), ("Distribution", f"{STRIP} g.mark-symbol.role-mark path"),
                      ("One system", ".upconv-cell .vega-embed svg")):
        page.get_by_role("tab", name=tab).click()
        page.locator(mark).first.wait_for()
        page.wait_for_function("() => !document.querySelector('.v-window__container--is-active')")
        # The tab's content slides in from the side (Vuetify's transition), so an element can be
        # outside for a moment: wait up to 15 s for a layout with nothing outside. A real overflow
        # stays, and the test then fails with the elements found.
        try:
            page.wait_for_function(f"() => ({OUTSIDE})().length === 0", timeout=15_000)
        except PlaywrightTimeout:
            pass
        outside = page.evaluate(OUTSIDE)
        assert not outside, f"{tab} at {width}x{height}, {scenario}: " + "; ".join(outside)


def _choose_scenario(page, name: str, n_schools: int) -> None:
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Side by side").click()
    page.get_by_label("Scenario").click(force=True)
    page.get_by_role("option", name=name, exact=True).click()
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text(re.compile(rf"same {n_schools} schools"))).to_be_visible()


# the texts of a chart's legends and axis titles, by the chart's title
CHART_TEXTS = """title => Array.from(document.querySelectorAll('.vega-embed svg'))
  .filter(svg => Array.from(svg.querySelectorAll('g.role-title-text text')).some(t => t.textContent.startsWith(title)))
  .map(svg => Array.from(svg.querySelectorAll('g.role-legend text, g.role-axis-title text, g.mark-text text'))
  .map(t => t.textContent))"""


@pytest.mark.parametrize("width,height", [(1024, 768), (1280, 720)])
def test_projector_layouts_fit(server, page, problems, width, height):
    from playwright.sync_api import expect

    _open(page, server, width, height)
    _steps(page, 1, 0)
    _tabs_fit(page, width, height, "teaching")
    # no regions in the teaching scenario: no regional gap chart, no region legend on the map
    expect(page.get_by_text("Regional gap: pupils reaching the benchmark")).to_have_count(0)
    # the cold spot scenario (five regions, 250 schools): the map of regions and the regional gap
    _choose_scenario(page, "cold_spots", 250)
    _steps(page, 2, 0)
    page.get_by_text("Regional gap", exact=True).first.wait_for()  # side by side: shown at first
    _tabs_fit(page, width, height, "cold_spots")
    page.get_by_text("Regional gap: pupils reaching the benchmark").wait_for()
    [gap] = page.evaluate(CHART_TEXTS, "Regional gap: pupils reaching the benchmark")
    assert {"gap (percentage points)", "School year", "best region minus worst",
            "outside minus inside the cold spot"} <= set(gap), gap
    [drawn] = page.evaluate(CHART_TEXTS, "Schools and partnerships")
    assert {"km east", "km north", "Region", "Region 1: cold spot", "Partners meet", "face to face", "online",
            "Grade", "Partnership"} <= set(drawn), drawn
    # the cold spot's name on the map itself (two lines: "Region 1", "cold spot")
    assert any(t.endswith("cold spot") and ":" not in t for t in drawn), drawn
