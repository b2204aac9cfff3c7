#!/usr/bin/env python
"""Load test for the browser visualiser: a class of headless browsers stepping one server.

    .venv/bin/python scripts/load_viz.py [--sessions 20] [--duration 60] [--json PATH]
    make load-viz ARGS="--sessions 20 --duration 60 --json outputs/load_viz.json"

Starts one `solara run simulation/viz/app.py` on a free 127.0.0.1 port with the offline assets
(<venv>/solara-assets, as `make viz` and tests/viz/test_app_browser.py do), opens N browser
sessions (one Chromium, one isolated context each, Debian's /usr/bin/chromium driven headless by
Playwright's async API), lets each load the page (the teaching scenario with its four strategies
side by side, the page's default; --strategies N keeps the first N) and then click Step over and
over for --duration seconds, all at the same time. --server-cpus 0 --browser-cpus 1 pins the
server to one core and the browsers to the other (like taskset), so that the server is measured
apart from the browsers.

Step latency is measured inside each page: from the click event (a capture listener) until
the DOM change that makes the page's "Terms run: N" text show a larger N (a MutationObserver).
The latency seen by the driver (from the start of the Playwright click to the end of the
wait) is reported too. Errors are page errors, console errors, crashed pages, steps that did
not advance within --step-timeout, pages that did not load, and tracebacks or ERROR lines in
the server log. Every second the script samples from /proc the RSS, threads and CPU time of
the server process and its children, the RSS and CPU time of the browser side (this
process's other descendants: the Playwright driver and Chromium) and the load average.

The browsers run on the same machine as the server, so their own CPU use competes with the
server's. To keep that down the pages run without CSS animations (see NO_ANIMATIONS;
--animations keeps them); the browser side's CPU time is reported so it can be compared
with the server's.

Not a test: it prints the figures (and writes them as JSON with --json). Exit status 0 when
the target is met (no errors and p95 step latency under --target-p95 s), 1 when it is not,
2 when the server or the browser could not be started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("UPCONV_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-dev-shm-usage"]
ASSET_DIR = Path(os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR") or Path(sys.prefix) / "solara-assets")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# In the page: the value of the "Terms run: N" label (simulation/viz/sidebar.py), NaN while there is none; and
# the time of the last click (capture listener, so it runs before Vue's handler).
INIT_SCRIPT = r"""
(() => {
  const re = /^Terms run: (\d+)$/;
  let label = null;
  window.__upconvClickAt = null;
  window.addEventListener('click', () => { window.__upconvClickAt = performance.now(); }, true);
  window.__upconvTime = () => {
    if (!(label && label.isConnected && re.test(label.textContent.trim()))) {
      label = document.querySelector('.upconv-terms');
      if (!(label && re.test(label.textContent.trim()))) label = null;
    }
    return label ? parseFloat(label.textContent.trim().match(re)[1]) : NaN;
  };
})();
"""
# The clients share this machine with the server, so their own costs are kept down: no CSS
# animations or transitions. Otherwise Solara's busy bar (an indeterminate v-progress-linear,
# drawn in software at 60 frames/s by headless Chromium) costs about 0.15 of a core per page
# while the page waits for the server: 20 waiting pages take more than 2 cores away from the
# server they wait for. (--animations keeps them.)
NO_ANIMATIONS = r"""
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { animation: none !important; transition: none !important; }';
  document.head.appendChild(style);
});
"""
# resolves at the first DOM change that shows Time > n: [new time, clock then, last click]. A
# MutationObserver rather than polling: polling on every animation frame in 20 pages costs
# about half a core on its own.
ADVANCED = r"""(n) => new Promise(resolve => {
  let obs = null;
  const check = () => {
    const t = window.__upconvTime();
    if (!(t > n)) return false;
    if (obs) obs.disconnect();
    resolve([t, performance.now(), window.__upconvClickAt]);
    return true;
  };
  if (check()) return;
  obs = new MutationObserver(check);
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
})"""
CHARTS_DRAWN = ("() => Array.from(document.querySelectorAll('.vega-embed svg'))"
                ".filter(e => e.getBoundingClientRect().width > 100).length >= 5")
# Console messages that our code does not cause (as in tests/viz/test_app_browser.py): Solara's own
# navigator.vue has no module.exports, and ipyvue warns once per page about it.
STANDINGS = ".upconv-standings tr:not(:first-child)"  # one row per strategy on the side-by-side tab
NOT_OURS = ["Failed to evaluate Vue script and find module.exports, falling back to old method"]


# --- /proc sampling -------------------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(root: int, children: dict[int, list[int]]) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _proc_stats(pid: int) -> tuple[int, int, float] | None:
    """(RSS bytes, threads, CPU seconds) of one process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().decode(errors="replace")
        fields = fields[fields.rindex(")") + 2:].split()
        with open(f"/proc/{pid}/statm") as f:
            rss_pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    # fields[0] is field 3 (state): utime = field 14, stime = 15, num_threads = 20
    return rss_pages * PAGE_SIZE, int(fields[17]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _tree_stats(pids: list[int]) -> tuple[int, int, float, int]:
    rss = threads = procs = 0
    cpu = 0.0
    for pid in pids:
        s = _proc_stats(pid)
        if s:
            rss, threads, cpu, procs = rss + s[0], threads + s[1], cpu + s[2], procs + 1
    return rss, threads, cpu, procs


def _loadavg() -> list[float]:
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


class Sampler(threading.Thread):
    """Samples the server tree and the browser side every `interval` s."""

    def __init__(self, server_pid: int, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.interval = server_pid, interval
        self.samples: list[dict] = []
        self.stop_event = threading.Event()
        self.lock = threading.Lock()

    def sample(self) -> dict:
        children = _children_map()
        server = _tree(self.server_pid, children)
        rss, threads, cpu, procs = _tree_stats(server)
        others = [p for p in _tree(os.getpid(), children) if p not in set(server) and p != os.getpid()]
        b_rss, _, b_cpu, b_procs = _tree_stats(others)
        s = {"t": time.monotonic(), "server_rss": rss, "server_threads": threads, "server_cpu_s": cpu,
             "server_procs": procs, "browser_rss": b_rss, "browser_cpu_s": b_cpu, "browser_procs": b_procs,
             "load1": _loadavg()[0]}
        with self.lock:
            self.samples.append(s)
        return s

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sample()
            self.stop_event.wait(self.interval)

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


def page_strategy_labels() -> list[str]:
    """The labels of the strategies the page runs side by side by default, in its order (the registry's)."""
    sys.path.insert(0, str(ROOT))
    from simulation.viz.choices import COMPARE_DEFAULT, STRATEGY_LABELS
    return [STRATEGY_LABELS[name] for name in COMPARE_DEFAULT]


# --- the server -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(log_path: Path, app: str = "simulation/viz/app.py",
                 cpus: set[int] | None = None) -> tuple[subprocess.Popen, str]:
    """The server on a free 127.0.0.1 port; pinned to ``cpus`` (like `taskset -c`) when given."""
    port = free_port()
    env = {**os.environ, "SOLARA_ASSETS_PROXY_CACHE_DIR": str(ASSET_DIR), "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "solara", "run", app, "--host", "127.0.0.1", "--port", str(port),
             "--no-open", "--production"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"solara exited with code {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(proc)
            raise RuntimeError(f"solara did not answer on {url} within 90 s:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.25)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def resourcez(url: str) -> dict | None:
    """Solara's own counters (websockets, threads, kernels); None when unavailable."""
    try:
        with urllib.request.urlopen(url + "resourcez", timeout=10) as response:
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


# --- one browser session --------------------------------------------------------------------------

class Session:
    def __init__(self, index: int) -> None:
        self.index = index
        self.load_s: float | None = None
        self.latencies: list[float] = []   # in the page: click -> Time advanced, s
        self.driver: list[float] = []      # in this script: start of click -> end of wait, s
        self.done: list[float] = []        # time.monotonic() when each step was seen
        self.errors: list[tuple[str, str]] = []
        self.final_time: float | None = None

    def error(self, kind: str, text: str) -> None:
        self.errors.append((kind, text[:500]))


async def run_session(s: Session, browser, url: str, loaded: asyncio.Barrier, start: dict, args) -> None:
    context = page = step = None
    ok = False
    try:
        t0 = time.monotonic()
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        await context.add_init_script(INIT_SCRIPT)
        if not args.animations:
            await context.add_init_script(NO_ANIMATIONS)
        page = await context.new_page()
        page.on("console", lambda m: m.type in ("error", "warning") and not any(t in m.text for t in NOT_OURS)
                and s.error(f"console {m.type}", m.text))
        page.on("pageerror", lambda exc: s.error("page error", str(exc)))
        page.on("crash", lambda _: s.error("page crash", "the page crashed"))
        await page.goto(url, timeout=args.load_timeout * 1000)
        step = page.get_by_role("button", name="Step")
        await step.wait_for(timeout=args.load_timeout * 1000)
        await page.wait_for_function(CHARTS_DRAWN, timeout=args.load_timeout * 1000)
        if args.strategies < 4:  # keep the first N of the page's four strategies: deselect the others, Reset
            await page.locator(".upconv-strategies").click()
            for label in page_strategy_labels()[args.strategies:]:
                await page.get_by_role("option", name=label).click()
            await page.keyboard.press("Escape")
            await page.get_by_role("button", name="Reset").click()
            await page.wait_for_function(
                f"() => document.querySelectorAll('{STANDINGS}').length === {args.strategies}",
                timeout=args.load_timeout * 1000)
        s.load_s = time.monotonic() - t0
        text = await page.inner_text("body")
        if "the same 40 schools" not in text:
            s.error("wrong page", "the page does not show the teaching scenario (40 schools)")
        else:
            ok = True
    except Exception as exc:  # noqa: BLE001 - a load failure is a reported error, not a crash
        s.error("load failed", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    finally:
        await loaded.wait()  # all sessions start stepping together
    try:
        if not ok:
            return
        try:
            now = await page.evaluate("window.__upconvTime()")
        except Exception as exc:  # noqa: BLE001
            s.error("step failed", f"cannot read the Time label: {type(exc).__name__}")
            return
        while time.monotonic() < start["end"]:
            t0 = time.perf_counter()
            try:
                await step.click(timeout=args.step_timeout * 1000)
                left = max(0.1, args.step_timeout - (time.perf_counter() - t0))
                new, advanced_at, clicked_at = await asyncio.wait_for(page.evaluate(ADVANCED, now), left)
            except Exception as exc:  # noqa: BLE001
                timeout = isinstance(exc, asyncio.TimeoutError) or "Timeout" in type(exc).__name__
                s.error("step timeout" if timeout else "step failed",
                        f"Time {now} did not advance within {args.step_timeout:g} s of the click" if timeout else
                        f"at Time {now}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
                if page.is_closed():
                    return
                try:
                    now = await page.evaluate("window.__upconvTime()")
                except Exception:  # noqa: BLE001
                    return
                continue
            driver = time.perf_counter() - t0
            s.driver.append(driver)
            s.done.append(time.monotonic())
            s.latencies.append((advanced_at - clicked_at) / 1000 if clicked_at is not None else driver)
            now = new
            if args.think:
                await asyncio.sleep(args.think)
        s.final_time = now
    finally:
        if context is not None:
            with contextlib.suppress(Exception):
                await context.close()


async def drive(url: str, args, sampler: Sampler) -> tuple[list[Session], dict]:
    from playwright.async_api import async_playwright

    sessions = [Session(i) for i in range(args.sessions)]
    info: dict = {}
    async with async_playwright() as pw:
        browsers = [await pw.chromium.launch(executable_path=str(args.chromium), args=CHROMIUM_ARGS, headless=True)
                    for _ in range(args.browsers)]
        info["chromium"] = browsers[0].version
        loaded = asyncio.Barrier(args.sessions + 1)
        start: dict = {"end": float("inf")}
        tasks = [asyncio.create_task(run_session(s, browsers[s.index % len(browsers)], url, loaded, start, args))
                 for s in sessions]
        t_load = time.monotonic()
        await loaded.wait()
        info["load_wall_s"] = time.monotonic() - t_load
        info["before_steps"] = sampler.sample()
        start["end"] = time.monotonic() + args.duration
        info["step_start"] = time.monotonic()
        # Solara's counters while every session is still open
        await asyncio.sleep(min(5.0, args.duration / 2))
        info["resourcez"] = await asyncio.to_thread(resourcez, url)
        # CPU and memory at the end of the stepping window, before the pages close
        await asyncio.sleep(max(0.0, start["end"] - time.monotonic()))
        info["after_steps"] = sampler.sample()
        info["step_end"] = start["end"]
        await asyncio.gather(*tasks)
        for b in browsers:
            await b.close()
    return sessions, info


# --- figures --------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return {"cpus": os.cpu_count(), "affinity_cpus": len(os.sched_getaffinity(0)), "mem_gib": round(mem_kb / 2**20, 1),
            "cpu_model": model.group(1).strip() if model else platform.processor(), "kernel": platform.release(),
            "python": platform.python_version()}


def versions() -> dict:
    from importlib.metadata import version
    out = {}
    for name in ("solara", "mesa", "altair", "playwright"):
        try:
            out[name] = version(name)
        except Exception:  # noqa: BLE001
            out[name] = None
    return out


def summarise(sessions: list[Session], info: dict, samples: list[dict], args, baseline: dict,
              server_log: str, started_at: str, load_before: list[float]) -> dict:
    lat = [x for s in sessions for x in s.latencies]
    drv = [x for s in sessions for x in s.driver]
    errors = [(s.index, k, t) for s in sessions for k, t in s.errors]
    for line in server_log.splitlines():
        if "Traceback" in line or " ERROR " in line or line.startswith("ERROR"):
            errors.append((None, "server log", line.strip()))
    kinds: dict[str, int] = {}
    for _, k, _ in errors:
        kinds[k] = kinds.get(k, 0) + 1
    window = [x for x in samples if info["step_start"] <= x["t"] <= info["step_end"] + 0.5]
    steps = len(lat)
    wall = info["step_end"] - info["step_start"]
    in_window = sum(1 for s in sessions for t in s.done if t <= info["step_end"])
    b, a = info["before_steps"], info["after_steps"]
    server_cpu = a["server_cpu_s"] - b["server_cpu_s"]
    browser_cpu = a["browser_cpu_s"] - b["browser_cpu_s"]
    p95 = pct(lat, 95)
    rz = info.get("resourcez") or {}
    mib = 2**20
    return {
        "date": started_at,
        "machine": machine(),
        "versions": {**versions(), "chromium": info.get("chromium")},
        "settings": {"app": args.app, "sessions": args.sessions, "duration_s": args.duration, "browsers": args.browsers,
                     "think_s": args.think, "animations": args.animations, "step_timeout_s": args.step_timeout, "scenario": "teaching",
                     "strategies": args.strategies,
                     "server_cpus": sorted(args.server_cpus) if args.server_cpus else None,
                     "browser_cpus": sorted(args.browser_cpus) if args.browser_cpus else None},
        "load_average": {"before": load_before, "after": _loadavg(),
                         "max_1min_during_steps": max((x["load1"] for x in window), default=None)},
        "page_load_s": {"p50": pct([s.load_s for s in sessions if s.load_s is not None], 50),
                        "max": max((s.load_s for s in sessions if s.load_s is not None), default=None),
                        "all_loaded_after_s": info["load_wall_s"]},
        "steps": {"total": steps, "per_second": in_window / wall if wall > 0 else None,
                  "per_session_min": min((len(s.latencies) for s in sessions), default=0),
                  "per_session_median": statistics.median([len(s.latencies) for s in sessions]) if sessions else 0,
                  "per_session_max": max((len(s.latencies) for s in sessions), default=0),
                  "window_s": wall},
        "step_latency_s": {"p50": pct(lat, 50), "p95": p95, "p99": pct(lat, 99), "max": max(lat, default=None),
                           "mean": statistics.fmean(lat) if lat else None},
        "driver_latency_s": {"p50": pct(drv, 50), "p95": pct(drv, 95), "max": max(drv, default=None)},
        "errors": {"total": len(errors), "by_kind": kinds,
                   "first": [{"session": i, "kind": k, "text": t} for i, k, t in errors[:25]]},
        "server": {"rss_mib_idle": baseline["server_rss"] / mib,
                   "rss_mib_all_loaded": b["server_rss"] / mib,
                   "rss_mib_peak": max(x["server_rss"] for x in samples) / mib,
                   "rss_mib_end_of_steps": a["server_rss"] / mib,
                   "processes_peak": max(x["server_procs"] for x in samples),
                   "threads_idle": baseline["server_threads"],
                   "threads_peak": max(x["server_threads"] for x in samples),
                   "cpu_s_during_steps": server_cpu,
                   "cpu_share_of_one_core": server_cpu / wall if wall > 0 else None,
                   "cpu_ms_per_step": 1000 * server_cpu / in_window if in_window else None,
                   "resourcez": {"websockets": rz.get("websockets"), "threads": rz.get("threads"),
                                 "kernels": {k: v for k, v in (rz.get("kernels") or {}).items() if k != "limiter"}}},
        "browser_side": {"rss_mib_peak": max(x["browser_rss"] for x in samples) / mib,
                         "processes_peak": max(x["browser_procs"] for x in samples),
                         "cpu_s_during_steps": browser_cpu},
        "target": {"p95_s": args.target_p95, "met": bool(not errors and p95 is not None and p95 < args.target_p95)},
    }


def report(r: dict) -> str:
    def f(x, spec=".2f"):
        return "-" if x is None else format(x, spec)
    m, st, lat, drv, sv, la = r["machine"], r["steps"], r["step_latency_s"], r["driver_latency_s"], r["server"], r["load_average"]
    se, bs = r["settings"], r["browser_side"]
    lines = [
        (f"load_viz {r['date']}: {se['sessions']} sessions x {se['duration_s']:g} s, {se['browsers']} chromium "
         f"{r['versions']['chromium']}, think {se['think_s']:g} s, app {se['app']}, {se['strategies']} strategies "
         f"side by side, server CPUs {se['server_cpus'] or 'any'}, browser CPUs {se['browser_cpus'] or 'any'}"),
        (f"machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['mem_gib']} GiB; load average before "
         f"{' '.join(map(str, la['before']))}, max 1-min during steps {f(la['max_1min_during_steps'])}, after "
         f"{' '.join(map(str, la['after']))}"),
        (f"page load: p50 {f(r['page_load_s']['p50'])} s, max {f(r['page_load_s']['max'])} s "
         f"(all {se['sessions']} loaded after {f(r['page_load_s']['all_loaded_after_s'])} s)"),
        (f"steps: {st['total']} in {f(st['window_s'], '.1f')} s (+ the last ones) = {f(st['per_second'])}/s; "
         f"per session {st['per_session_min']}..{st['per_session_max']} (median {st['per_session_median']:g})"),
        (f"step latency (click -> Time advances, in the page): p50 {f(lat['p50'])} s, p95 {f(lat['p95'])} s, "
         f"p99 {f(lat['p99'])} s, max {f(lat['max'])} s"),
        f"  as seen by the driver: p50 {f(drv['p50'])} s, p95 {f(drv['p95'])} s, max {f(drv['max'])} s",
        f"errors: {r['errors']['total']} {r['errors']['by_kind'] or ''}",
        *[f"  [{e['session']}] {e['kind']}: {e['text'][:200]}" for e in r["errors"]["first"][:10]],
        (f"server RSS (process + children): idle {f(sv['rss_mib_idle'], '.0f')} MiB, all loaded "
         f"{f(sv['rss_mib_all_loaded'], '.0f')} MiB, peak {f(sv['rss_mib_peak'], '.0f')} MiB, end "
         f"{f(sv['rss_mib_end_of_steps'], '.0f')} MiB; threads {sv['threads_idle']} idle, {sv['threads_peak']} peak"),
        (f"server CPU during steps: {f(sv['cpu_s_during_steps'], '.1f')} s = {f(sv['cpu_share_of_one_core'])} "
         f"of one core, {f(sv['cpu_ms_per_step'], '.0f')} ms per step"),
        (f"browser side: peak RSS {f(bs['rss_mib_peak'], '.0f')} MiB in {bs['processes_peak']} processes, "
         f"CPU during steps {f(bs['cpu_s_during_steps'], '.1f')} s"),
        f"target (no errors, p95 < {r['target']['p95_s']:g} s): {'MET' if r['target']['met'] else 'NOT MET'}",
    ]
    return "\n".join(lines)


def _cpus(text: str) -> set[int]:
    """CPUs as taskset -c writes them: '0', '1,3', '1-7'."""
    out: set[int] = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of stepping per session (default 60)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--browsers", type=int, default=1, help="Chromium instances the sessions are spread over (default 1)")
    ap.add_argument("--think", type=float, default=0.0, help="pause after each step, s (default 0: click again at once)")
    ap.add_argument("--animations", action="store_true",
                    help="keep the pages' CSS animations (off by default: they load this machine, not the server)")
    ap.add_argument("--step-timeout", type=float, default=30.0, help="a step that takes longer is an error (default 30 s)")
    ap.add_argument("--load-timeout", type=float, default=180.0, help="page load limit per session (default 180 s)")
    ap.add_argument("--target-p95", type=float, default=1.0, help="target p95 step latency, s (default 1)")
    ap.add_argument("--strategies", type=int, default=4,
                    help="strategies side by side in each session: the first N of the page's four (default 4)")
    ap.add_argument("--server-cpus", type=_cpus, help="pin the server to these CPUs, e.g. 0 (like taskset -c 0)")
    ap.add_argument("--browser-cpus", type=_cpus, help="pin this script and the browsers to these CPUs, e.g. 1")
    ap.add_argument("--app", default="simulation/viz/app.py", help="the page to serve (default simulation/viz/app.py)")
    ap.add_argument("--server-log", type=Path, help="keep the server's log in this file")
    ap.add_argument("--chromium", type=Path, default=CHROMIUM, help=f"browser binary (default {CHROMIUM})")
    args = ap.parse_args(argv)
    if args.sessions < 1 or args.duration <= 0 or args.browsers < 1:
        ap.error("--sessions and --browsers must be at least 1 and --duration positive")
    if not 1 <= args.strategies <= len(page_strategy_labels()):
        ap.error(f"--strategies must be between 1 and {len(page_strategy_labels())}")
    args.browsers = min(args.browsers, args.sessions)
    if not args.chromium.exists():
        print(f"{args.chromium} is missing: run `make browser`", file=sys.stderr)
        return 2
    if not (ASSET_DIR / "vega@5/build/vega.min.js").is_file():
        print(f"Solara assets missing in {ASSET_DIR}: run `make assets`", file=sys.stderr)
        return 2

    started_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = _loadavg()
    with tempfile.TemporaryDirectory(prefix="load_viz-") as tmp:
        log_path = Path(tmp) / "solara.log"
        try:
            proc, url = start_server(log_path, args.app, args.server_cpus)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 2
        sampler = Sampler(proc.pid)
        try:
            time.sleep(1.0)
            baseline = sampler.sample()
            sampler.start()
            print(f"server {url} (pid {proc.pid}); {args.sessions} sessions loading ...", file=sys.stderr, flush=True)
            if args.browser_cpus:  # the browsers Playwright starts from here inherit this
                os.sched_setaffinity(0, args.browser_cpus)
            sessions, info = asyncio.run(drive(url, args, sampler))
        finally:
            sampler.stop()
            stop_server(proc)
        server_log = log_path.read_text(errors="replace")
        if args.server_log:
            args.server_log.parent.mkdir(parents=True, exist_ok=True)
            args.server_log.write_text(server_log)
    result = summarise(sessions, info, sampler.samples, args, baseline, server_log, started_at, load_before)
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0 if result["target"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
