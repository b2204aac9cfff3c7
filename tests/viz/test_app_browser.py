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

import numpy as np
import pytest

from simulation.params.loading import available

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("UPCONV_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ASSET_DIR = Path(os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR") or Path(sys.prefix) / "solara-assets")
ASSET_FILES = ["@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js", "requirejs@2.3.6/require.js",
               "vega@5/build/vega.min.js", "vega-lite@5/build/vega-lite.min.js", "vega-embed@6/build/vega-embed.min.js",
               "@widgetti/vue-grid-layout@2.3.13-alpha.2/dist/vue-grid-layout.umd.js"]
TIMEOUT_MS = 60_000  # generous: the test must pass on a loaded machine too


# --- the page's model factory, without a browser ------------------------------------------------

def test_strategy_texts_cover_every_strategy():
    from simulation.viz.app import STRATEGIES, STRATEGY_TEXT

    assert sorted(STRATEGY_TEXT) == sorted(STRATEGIES) == available("strategy")


def test_bad_input_falls_back_with_a_message():
    from simulation.viz.app import SchoolSystemViz

    model = SchoolSystemViz(rng="abc")
    assert "seed must be a whole number" in model.input_error
    assert model.seed == 0 and model.schools.n == 40
    model = SchoolSystemViz(rng=" 7 ", coaching_time=-1.0)
    assert "coaching_time" in model.input_error and model.seed == 7
    model = SchoolSystemViz(system="regional", strategy="status_quo", rng="3", brokering="data_informed",
                            floor_schedule="flat 25%", days_per_term=8.0, officer_days_per_school=1.5)
    assert model.input_error is None
    assert model.cfg.strategy.brokering.value == "data_informed" and model.cfg.partnership.days_per_term == 8.0
    model.step()
    assert model.floor == 0.25 and model.time == 1.0


def _without_data(spec: dict) -> dict:
    spec = {k: v for k, v in spec.items() if k not in ("data", "datasets", "title")}
    if "layer" in spec:
        spec["layer"] = [{k: v for k, v in layer.items() if k != "data"} for layer in spec["layer"]]
    return spec


def test_chart_specs_are_templates_filled_with_this_steps_data():
    import json

    import altair as alt

    from simulation.viz import app

    assert alt.renderers.active == "mimetype"  # set once at import, not per render (a race otherwise)
    model = app.SchoolSystemViz()
    first = app.network_spec(model)
    for _ in range(4):
        model.step()
    spec = app.network_spec(model)
    # the same chart as Altair builds it, with this step's data and title
    assert _without_data(spec) == _without_data(app.network_chart(model).to_dict())
    assert spec["title"]["text"] == f"Schools and partnerships, {model.calendar_year:.1f}" != first["title"]["text"]
    edges, nodes = (layer["data"]["values"] for layer in spec["layer"])
    assert len(nodes) == model.schools.n and len(edges) == model.links.count()
    series = {"p90_attainment": "P90 school", "mean_attainment": "mean"}
    line = app.line_spec(model, series, ["#000000", "#111111"], "test chart", "share", [0, 1])
    assert _without_data(line) == _without_data(
        app.line_chart(model, series, ["#000000", "#111111"], "test chart", "share", [0, 1]).to_dict())
    assert len(line["data"]["values"]) == 2 * len(model.metrics())
    hist = app.histogram_spec(np.array([0.1, 0.2, np.nan]), "school 3")
    assert hist["title"] == "school 3" and len(hist["data"]["values"]) == 3
    json.dumps([spec, line, hist], allow_nan=False)  # plain JSON for the widget
    # the templates themselves carry no data
    assert all("data" not in t and "datasets" not in t for t in app._TEMPLATES.values())


def test_chart_widget_uses_the_fixed_template():
    from simulation.viz import app

    text = Path(app.VegaLiteWidget.template_file).read_text()
    assert "this.do_plot_debounced.cancel()" in text and "if (!this.$refs.plotElement) return;" in text


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
