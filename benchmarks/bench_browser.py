"""Speed as a student sees it: the Playground in headless Chromium.

Starts ``streamlit run app.py`` on a free port, opens the Playground in Debian's Chromium
(Playwright, never a downloaded browser) and reports:

* the time from loading the URL to the first decision boundary drawn, and where it goes
  (the first chart's arrival, plotly.js's download and parse, the first draw: the marks
  of playground/live_chart.js);
* the time from pressing Step to the redrawn boundary (median of several presses);
* while playing for a fixed time: iterations trained per second (from the page's own
  Iteration read-out) and boundary updates per second (Plotly's ``plotly_afterplot``
  events on the boundary chart).

Run from the project root: ``python benchmarks/bench_browser.py [--seconds 10]``.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--disable-background-networking", "--disable-component-update", "--no-first-run"]

# Counts redraws of the first Plotly chart (the decision boundary) and when they happened.
WATCH_JS = """
() => {
  const gd = document.querySelectorAll('.js-plotly-plot')[0];
  window.__draws = [];
  const draw = () => window.__draws.push(performance.now());
  const hook = (g) => g.on && g.on('plotly_afterplot', draw);
  hook(gd);
  // Streamlit may replace the chart's element: re-hook new ones.
  new MutationObserver(() => {
    const g = document.querySelectorAll('.js-plotly-plot')[0];
    if (g && !g.__hooked) { g.__hooked = true; hook(g); }
  }).observe(document.body, {childList: true, subtree: true});
  gd.__hooked = true;
}
"""


# Where the first load's time goes, from the page's own clock (ms since navigation):
# live_chart.js's marks (first chart arrived = Streamlit bootstrap + script run; plotly.js
# ran = downloaded + parsed; first chart drawn) and plotly.js's resource timing.
LOAD_JS = """
() => {
  const js = performance.getEntriesByType('resource').filter((e) => /plotly/.test(e.name))
    .map((e) => ({name: e.name.split('/').pop(), start: e.startTime, end: e.responseEnd,
                  kB: e.transferSize / 1024, decodedkB: e.decodedBodySize / 1024}));
  return {marks: window.__nnMarks || {}, plotly: js, now: performance.now()};
}
"""


def load_breakdown(load: dict) -> str:
    m = load["marks"]
    lines = []
    for js in load["plotly"]:
        lines.append(f"  plotly.js: {js['name']}, {js['kB']:,.0f} kB over the wire "
                     f"({js['decodedkB']:,.0f} kB), downloaded {js['start'] / 1e3:.2f} -> "
                     f"{js['end'] / 1e3:.2f} s")
    if {"nn-chart-first-call", "nn-plotly-loaded", "nn-chart-first-draw"} <= set(m):
        lines.append(
            f"  first chart arrived {m['nn-chart-first-call'] / 1e3:.2f} s (Streamlit start + "
            f"script run) | plotly.js ran {m['nn-plotly-loaded'] / 1e3:.2f} s | first chart "
            f"drawn {m['nn-chart-first-draw'] / 1e3:.2f} s")
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true"], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("streamlit did not start")


def iteration(pg) -> int:
    text = pg.locator('[data-testid="stMetric"]', has_text="Iteration").first.inner_text()
    return int(re.search(r"([\d,]+)\s*$", text.strip()).group(1).replace(",", ""))


def wait_idle(pg) -> None:
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="how long to play")
    ap.add_argument("--steps", type=int, default=5, help="Step presses to time")
    ap.add_argument("--speed", choices=("slow", "normal", "fast"), default="normal",
                    help="the Playground's play speed")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pg = browser.new_page(viewport={"width": 1920, "height": 1080})
            url = f"http://127.0.0.1:{port}/playground"
            if args.speed != "normal":
                url += f"?speed={args.speed}"
            pg.goto(f"http://127.0.0.1:{port}/")  # warm the server's imports once
            wait_idle(pg)

            t0 = time.perf_counter()
            pg.goto(url)
            pg.wait_for_selector(".js-plotly-plot .heatmaplayer, .js-plotly-plot .imagelayer image",
                                 state="attached", timeout=60_000)
            first_boundary = time.perf_counter() - t0
            load = pg.evaluate(LOAD_JS)
            wait_idle(pg)
            pg.evaluate(WATCH_JS)

            step_times = []
            step = pg.get_by_role("button", name=re.compile(r"^Step"))
            for _ in range(args.steps):
                before = pg.evaluate("window.__draws.length")
                t0 = time.perf_counter()
                step.click()
                pg.wait_for_function(f"window.__draws.length > {before}", timeout=30_000)
                step_times.append(time.perf_counter() - t0)
                wait_idle(pg)

            it0 = iteration(pg)
            draws0 = pg.evaluate("window.__draws.length")
            pg.get_by_role("button", name="Play", exact=True).click()
            t0 = time.perf_counter()
            pg.wait_for_timeout(args.seconds * 1000)
            it1, draws1 = iteration(pg), pg.evaluate("window.__draws.length")
            played = time.perf_counter() - t0
            t0 = time.perf_counter()
            pg.get_by_role("button", name="Pause", exact=True).click()
            pg.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
            pause_latency = time.perf_counter() - t0
            browser.close()
    finally:
        server.terminate()
        server.wait(10)

    print(f"Playground in headless Chromium (default network 2-4-1 tanh, 400 points, "
          f"speed {args.speed}):")
    print(f"  load URL -> first boundary drawn : {first_boundary:6.2f} s")
    print(load_breakdown(load))
    print(f"  Step -> boundary redrawn (median): {statistics.median(step_times):6.2f} s "
          f"(min {min(step_times):.2f}, max {max(step_times):.2f}, n={len(step_times)})")
    print(f"  playing {played:.1f} s: {(it1 - it0) / played:8.0f} iterations/s, "
          f"{(draws1 - draws0) / played:5.1f} boundary updates/s")
    print(f"  Pause -> Play button back        : {pause_latency:6.2f} s")


if __name__ == "__main__":
    main()
