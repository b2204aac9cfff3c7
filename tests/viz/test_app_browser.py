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
    # (unit tests: test_choices.py, test_controls.py, test_charts.py) and app offers them by their old names
    from simulation.viz import app, cards, charts, choices, controls, network

    assert app.STRATEGIES is choices.STRATEGIES and app.STRATEGY_TEXT is choices.STRATEGY_TEXT
    assert app.SchoolSystemViz is controls.SchoolSystemViz and app.model_params is controls.model_params
    assert app._TEMPLATES is charts._TEMPLATES and app.VegaLiteWidget is charts.VegaLiteWidget
    assert app.network_spec is network.network_spec and app.StrategyCard is cards.StrategyCard
    assert app.COMPONENTS == [app.StrategyView, app.NetworkView, app.AttainmentView, app.GradesView,
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


def _time_label(page):
    return page.get_by_text(re.compile(r"^Time: \d+(\.\d+)?$"))


def _time(page) -> float:
    return float(_time_label(page).inner_text().split(":")[1])


def _select(page, label: str, option: str) -> None:
    page.locator(".v-select", has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_page_in_browser(server, page):
    from playwright.sync_api import expect

    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console error: {msg.text}"))
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page.goto(server, timeout=TIMEOUT_MS)
    step = page.get_by_role("button", name="Step")
    step.wait_for(timeout=TIMEOUT_MS)

    # the network, the four time-series charts and the school histogram are drawn
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.vega-embed canvas, .vega-embed svg'))"
        ".filter(e => e.getBoundingClientRect().width > 100).length >= 6", timeout=TIMEOUT_MS)
    expect(page.get_by_text("Upwards convergence.", exact=False).first).to_be_visible()
    expect(_time_label(page)).to_have_text("Time: 0.0")

    for _ in range(5):
        step.click()
    expect(_time_label(page)).to_have_text("Time: 5.0", timeout=TIMEOUT_MS)

    # play for a few seconds, then pause
    page.get_by_role("button", name="▶").click()
    page.wait_for_function(
        "Array.from(document.querySelectorAll('span')).some(s => /^Time: (\\d+)/.test(s.textContent)"
        " && parseFloat(s.textContent.split(':')[1]) >= 7)", timeout=TIMEOUT_MS)
    time.sleep(1.5)
    page.get_by_role("button", name="❚❚").click()
    expect(page.get_by_role("button", name="▶")).to_be_visible(timeout=TIMEOUT_MS)
    expect(step).to_be_enabled(timeout=TIMEOUT_MS)
    assert _time(page) >= 7

    # another strategy and more coaching time, then Reset rebuilds the model with them
    _select(page, "Strategy", "status_quo")
    slider = page.locator("[role=slider][aria-label='Coaching time']")
    slider.focus()
    for _ in range(4):
        slider.press("ArrowRight")  # 4.0 -> 6.0 days in steps of 0.5
    expect(slider).to_have_attribute("aria-valuenow", "6")
    page.get_by_role("button", name="Reset").click()
    expect(_time_label(page)).to_have_text("Time: 0.0", timeout=TIMEOUT_MS)
    expect(page.get_by_text("Status quo.", exact=False).first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("coaching 6 days per mentee per year", exact=False)).to_be_visible()
    step.click()
    expect(_time_label(page)).to_have_text("Time: 1.0", timeout=TIMEOUT_MS)

    # a bad seed gives a message in the page, and the page keeps working
    seed = page.get_by_label("Random seed")
    seed.fill("abc")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    error = page.locator(".upconv-input-error")
    expect(error).to_be_visible(timeout=TIMEOUT_MS)
    expect(error).to_contain_text("seed must be a whole number")
    expect(seed).to_have_value("abc")  # the controls keep what the user typed
    expect(page.get_by_text("Status quo.", exact=False).first).to_be_visible()
    expect(page.get_by_text("Traceback")).to_have_count(0)
    step.click()
    expect(_time_label(page)).to_have_text("Time: 1.0", timeout=TIMEOUT_MS)

    # a good seed clears the message
    seed.fill("5")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    expect(error).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.get_by_text(re.compile(r"seed 5, year"))).to_be_visible(timeout=TIMEOUT_MS)

    assert not problems, "\n".join(problems)
