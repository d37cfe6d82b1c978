"""Speed as a student sees it: the Playground in headless Chromium.

Starts ``streamlit run app.py`` on a free port, opens the Playground in Debian's Chromium
(Playwright, never a downloaded browser) and reports:

* the time from loading the URL to the first decision boundary drawn, and where it goes
  (the first chart's arrival, plotly.js's download and parse, the first draw: the marks
  of playground/ui/live_chart.js);
* the time from pressing Step to the redrawn boundary (median of several presses);
* while playing for a fixed time: iterations trained per second (from the page's own
  Iteration read-out) and boundary updates per second (Plotly's ``plotly_afterplot``
  events on the boundary chart);
* Pause, on every page that plays (``--pause-cycles`` Play/Pause cycles on the Playground
  and on Symmetry breaking): the time from the click to the button reading Play again,
  and the overshoot, the iterations trained after the click (the iteration read 2 s later
  minus the one shown at the click), against one frame's iterations (the median step
  between the iterations shown while playing). ``--busy`` keeps one core busy meanwhile.

Run from the project root: ``python -m benchmarks.bench_browser [--seconds 10]``, or only
the Pause part: ``python -m benchmarks.bench_browser --only-pause --pause-cycles 12``.
"""

from __future__ import annotations

import argparse
import os
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
    """``streamlit run app.py`` as a deployment runs it: Python keeps the compiled modules
    (``__pycache__``). A sandbox that sets PYTHONDONTWRITEBYTECODE makes every server
    compile the app's ~70 modules from source on its first page (~85 ms), which no
    deployed server does."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true"], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env=env)
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


# Pause measured inside the page, so that Playwright's own latency does not count: read the
# iteration shown and click in the same task, then check at every animation frame (and
# every 5 ms) for the button to read Play again. The iterations shown while playing are
# sampled every 40 ms, for the size of one frame.
PAGE_JS = """
(() => {
  const readIteration = () => {
    for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
      const label = m.querySelector('[data-testid="stMetricLabel"]');
      if (label && label.innerText.trim().startsWith('Iteration')) {
        const v = m.querySelector('[data-testid="stMetricValue"]');
        return v ? parseInt(v.innerText.replace(/[^0-9]/g, ''), 10) : null;
      }
    }
    for (const b of document.querySelectorAll('strong')) {
      const t = b.innerText.trim().match(/^Iteration ([0-9,]+)$/);
      if (t) return parseInt(t[1].replace(/,/g, ''), 10);
    }
    return null;
  };
  const button = (key) => document.querySelector('.st-key-' + key + ' button');
  const label = (key) => {
    const b = button(key);
    const m = b ? b.innerText.trim().match(/(Play|Pause)$/) : null;
    return m ? m[1] : '';
  };
  window.__pause = {readIteration, button, label, seen: [], observer: null};
  window.__pause.watch = () => {
    // Sampled every 40 ms rather than at every DOM mutation: watching must cost the page
    // it measures little.
    const P = window.__pause;
    P.seen = [];
    if (P.timer) clearInterval(P.timer);
    P.timer = setInterval(() => {
      const it = readIteration();
      if (it !== null && (P.seen.length === 0 || P.seen[P.seen.length - 1] !== it))
        P.seen.push(it);
    }, 40);
  };
  window.__pause.pauseNow = (key) => new Promise((resolve) => {
    const P = window.__pause;
    const atClick = readIteration();
    const t0 = performance.now();
    button(key).click();
    const done = () => {
      if (label(key) === 'Play') {
        if (P.timer) clearInterval(P.timer);
        resolve({atClick, back: readIteration(), seconds: (performance.now() - t0) / 1000,
                 seen: P.seen.slice()});
        return true;
      }
      return false;
    };
    const poll = () => { if (!done()) setTimeout(poll, 5); };
    poll();
  });
})()
"""

PAUSE_PAGES = {"playground": "play_button", "symmetry": "sym_play"}


def pause_cycles(pg, key: str, cycles: int, *, play_seconds=(1.0, 2.5), settle: float = 2.0,
                 seed: int = 0, verbose: bool = False) -> list[dict]:
    """Play then Pause ``cycles`` times on the open page whose Play/Pause button has the
    widget key ``key``. Per cycle: ``seconds`` (click to the button reading Play again),
    ``at_click`` (iteration shown at the click), ``back`` (shown when the button came
    back), ``final`` (shown ``settle`` s later), ``overshoot`` (final − at_click: negative
    when Pause went back to the frame the charts showed while the read-out showed the next) and
    ``frame`` and ``largest_frame`` (the median and the largest step between the
    iterations shown while playing)."""
    import random

    rnd = random.Random(seed)
    pg.evaluate(PAGE_JS)
    out = []
    for _ in range(cycles):
        pg.wait_for_function(f"() => window.__pause.label('{key}') === 'Play'",
                             timeout=30_000)
        wait_idle(pg)
        pg.evaluate("() => window.__pause.watch()")
        pg.evaluate(f"() => window.__pause.button('{key}').click()")
        pg.wait_for_function(f"() => window.__pause.label('{key}') === 'Pause'",
                             timeout=30_000)
        # Play long enough for a few frames, then Pause at an arbitrary moment.
        pg.wait_for_timeout(1000 * rnd.uniform(*play_seconds))
        r = pg.evaluate(f"() => window.__pause.pauseNow('{key}')")
        pg.wait_for_timeout(1000 * settle)
        final = pg.evaluate("() => window.__pause.readIteration()")
        seen = r.pop("seen")
        steps = sorted(b - a for a, b in zip(seen, seen[1:], strict=False) if b > a)
        frame = steps[len(steps) // 2] if steps else 0
        out.append({**r, "final": final, "overshoot": final - r["atClick"], "frame": frame,
                    "largest_frame": steps[-1] if steps else 0})
        if verbose:
            print(f"    {key}: {out[-1]}", file=sys.stderr, flush=True)
    return out


def summarize_pauses(name: str, rows: list[dict]) -> str:
    secs = [r["seconds"] for r in rows]
    over = [r["overshoot"] for r in rows]
    frames = [r["frame"] for r in rows]
    late = [r["final"] - r["back"] for r in rows]
    # Pause goes back to the frame the charts showed: the Iteration read-out, drawn before
    # the charts, may have shown the next frame already (a negative "after the click").
    exact = sum(x == 0 for x in over)
    return (f"  {name:<11} Pause -> Play back: median {statistics.median(secs):.2f} s, "
            f"max {max(secs):.2f} s | iterations after the click (final - shown at the "
            f"click): median {statistics.median(over):,.0f}, min {min(over):,}, max "
            f"{max(over):,}; exactly where shown: {exact} of {len(rows)} (one frame: median "
            f"{statistics.median(frames):,.0f}) | changed after the button came back: "
            f"{sum(x != 0 for x in late)} of {len(rows)} (max {max(late):,})")


def measure_pause(port: int, cycles: int, pages=tuple(PAUSE_PAGES)) -> dict[str, list[dict]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1920, "height": 1080})
        pg.goto(f"http://127.0.0.1:{port}/")
        wait_idle(pg)
        for name in pages:
            pg.goto(f"http://127.0.0.1:{port}/{name}")
            pg.wait_for_selector(f".st-key-{PAUSE_PAGES[name]} button", timeout=60_000)
            wait_idle(pg)
            results[name] = pause_cycles(pg, PAUSE_PAGES[name], cycles, verbose=True)
        browser.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="how long to play")
    ap.add_argument("--steps", type=int, default=5, help="Step presses to time")
    ap.add_argument("--speed", choices=("slow", "normal", "fast"), default="normal",
                    help="the Playground's play speed")
    ap.add_argument("--pause-cycles", type=int, default=10,
                    help="Play/Pause cycles per page for the Pause timing (0: skip)")
    ap.add_argument("--only-pause", action="store_true", help="measure Pause only")
    ap.add_argument("--busy", action="store_true",
                    help="keep one core busy (a spinning process) during the Pause timing")
    ap.add_argument("--port", type=int, default=0, help="server port (0: a free one)")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    server = start_server(port)
    if args.only_pause:
        try:
            report_pauses(port, args.pause_cycles, args.busy)
        finally:
            server.terminate()
            server.wait(10)
        return
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
    if args.pause_cycles:
        server = start_server(port)
        try:
            report_pauses(port, args.pause_cycles, args.busy)
        finally:
            server.terminate()
            server.wait(10)


def report_pauses(port: int, cycles: int, busy: bool) -> None:
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
    try:
        results = measure_pause(port, cycles)
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()
    print(f"Pause, {cycles} cycles per page" + (", one core kept busy" if busy else "") + ":")
    for name, rows in results.items():
        print(summarize_pauses(name, rows))


if __name__ == "__main__":
    main()
