"""A class on one machine: start the app, let 1, 10, 30 and 60 simulated students press Play
together, and report what each of them saw and what the server spent.

    python -m benchmarks.class_load                        # one process, 1/10/30/60 students
    python -m benchmarks.class_load --students 30 60 --processes 2   # nginx + 2 processes
    NN_PLAYGROUND_PACING=off python -m benchmarks.class_load       # without fair pacing

For every row a fresh server is started (``streamlit run app.py`` on a loopback port, or
``deploy/cluster.sh`` for nginx + N processes), the students of ``load_test.py`` load the
Playground, press Play within half a second of each other, play for ``--play`` seconds, then
Pause and Step; the server is stopped afterwards. Server CPU is read from ``/proc`` over the
measured window (100 % = one core; the machine has ``nproc`` of them), resident memory is
the peak of the sum over the server processes. The load average before each row is
printed: other work on the machine distorts the figures.

Bounded: at most 120 students and 120 s of play per row; loopback addresses only. Prints a
Markdown table; ``--json FILE`` keeps every student's numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks import load_test

ROOT = Path(__file__).resolve().parents[1]

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 60.0) -> None:
    t0 = time.monotonic()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() - t0 < timeout:
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy within {timeout:g} s")


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_and_rss(pids: list[int]) -> tuple[float, int]:
    """Total CPU seconds (user + system) and resident bytes of these processes."""
    cpu, rss = 0.0, 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / CLK_TCK
            rss += int(fields[21]) * PAGE_SIZE
        except (OSError, IndexError):
            pass
    return cpu, rss


class Sampler(threading.Thread):
    """Samples the servers' CPU and RSS every ``period`` seconds."""

    def __init__(self, pids: list[int], period: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pids, self.period = pids, period
        self.samples: list[tuple[float, float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            cpu, rss = cpu_and_rss(self.pids)
            self.samples.append((time.monotonic(), cpu, rss))
            self.stop.wait(self.period)

    def cpu_percent(self, t0: float, t1: float) -> float:
        inside = [s for s in self.samples if t0 <= s[0] <= t1]
        if len(inside) < 2:
            return float("nan")
        (a, ca, _), (b, cb, _) = inside[0], inside[-1]
        return 100 * (cb - ca) / (b - a)

    def peak_rss(self) -> int:
        return max((s[2] for s in self.samples), default=0)


class Servers:
    """One ``streamlit run`` (processes == 1) or nginx + N processes (deploy/cluster.sh)."""

    def __init__(self, processes: int, pacing: str | None) -> None:
        self.processes = processes
        self.env = dict(os.environ)
        if pacing:
            self.env["NN_PLAYGROUND_PACING"] = pacing
        (ROOT / "test-output").mkdir(exist_ok=True)
        self.log = open(ROOT / "test-output" / "class_load-server.log", "a")  # noqa: SIM115
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Servers:
        if self.processes == 1:
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py",
                 "--server.port", str(port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", "--server.fileWatcherType", "none"],
                cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                start_new_session=True)
            self.root_pids = [self.proc.pid]
        else:
            out = subprocess.run(
                [str(ROOT / "deploy" / "cluster.sh"), "start", str(self.processes)],
                cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
            if out.returncode:
                raise RuntimeError("deploy/cluster.sh start failed:\n" + out.stdout + out.stderr)
            info = dict(line.split("=", 1) for line in out.stdout.split() if "=" in line)
            self.url = info["URL"]
            self.root_pids = [int(p) for p in info["PIDS"].split(",")]
        wait_healthy(self.url)
        return self

    def pids(self) -> list[int]:
        return [p for r in self.root_pids for p in descendants(r)]

    def __exit__(self, *exc) -> None:
        if self.processes == 1 and self.proc:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        elif self.processes > 1:
            subprocess.run([str(ROOT / "deploy" / "cluster.sh"), "stop"], cwd=ROOT,
                           env=self.env, capture_output=True, timeout=60)
        self.log.close()


# ---- a few real browsers, to confirm what a student sees ------------------------------------

_WATCH_JS = """() => {
  if (window.__nnp) return;
  const w = window.__nnp = {it: [], label: [], clicks: [], lastIt: null, lastLabel: null};
  document.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (b) w.clicks.push([Date.now() / 1000, b.innerText.trim()]);
  }, true);
  setInterval(() => {
    let it = null;
    for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
      const l = m.querySelector('[data-testid="stMetricLabel"]');
      if (l && l.innerText.trim().startsWith('Iteration')) {
        it = m.querySelector('[data-testid="stMetricValue"]').innerText.trim(); break;
      }
    }
    const b = document.querySelector('[data-testid="stBaseButton-primary"]');
    const label = b ? b.innerText.trim() : null;
    const now = Date.now() / 1000;
    if (it !== null && it !== w.lastIt) { w.it.push([now, it]); w.lastIt = it; }
    if (label !== w.lastLabel) { w.label.push([now, label]); w.lastLabel = label; }
  }, 20);
}"""


class BrowserStudent:
    """A student in headless Chromium (Debian's /usr/bin/chromium, via Playwright): the
    Iteration read-out and the Play/Pause label are sampled in the page every 20 ms."""

    def __init__(self, index: int, url: str, browser) -> None:
        self.index, self.url, self.browser = index, url, browser
        self.r = load_test.StudentResult(index, "chromium")
        self.events = {"loaded": asyncio.Event()}
        self.offset = time.time() - time.monotonic()  # page clock -> monotonic

    async def _watch(self, page) -> dict:
        return await page.evaluate("() => window.__nnp")

    async def _until(self, page, pred, t0: float, timeout: float) -> float:
        """Seconds from the click the page saw after ``t0`` (monotonic; Playwright's own
        waiting before it clicks is left out) to the first sample satisfying ``pred``."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            w = await self._watch(page)
            clicks = [t - self.offset for t, _ in w["clicks"] if t - self.offset >= t0 - 0.05]
            start = clicks[0] if clicks else t0
            for t, _v in pred(w):
                if t - self.offset >= start:
                    return t - self.offset - start
            await asyncio.sleep(0.05)
        raise TimeoutError("browser: nothing within timeout")

    async def run(self, plan) -> load_test.StudentResult:
        ctx = await self.browser.new_context(viewport={"width": 1920, "height": 1080})
        page = await ctx.new_page()
        r = self.r
        try:
            t0 = time.monotonic()
            await page.goto(f"{self.url}/playground", timeout=plan.timeout * 1000)
            await page.wait_for_selector('[data-testid="stBaseButton-primary"]',
                                         timeout=plan.timeout * 1000)
            await page.evaluate(_WATCH_JS)
            await page.wait_for_function("() => window.__nnp && window.__nnp.lastIt !== null",
                                         timeout=plan.timeout * 1000)
            r.connected, r.load_seconds = True, time.monotonic() - t0
            self.events["loaded"].set()
            await plan.all_loaded.wait()
            await asyncio.sleep(max(0.0, plan.play_at - time.monotonic()))
            primary = page.locator('[data-testid="stBaseButton-primary"]')
            tp = time.monotonic()
            await primary.click()
            start_it = (await self._watch(page))["lastIt"]
            r.play_latency = await self._until(
                page, lambda w: [(t, v) for t, v in w["it"] if v != start_it], tp, plan.timeout)
            await asyncio.sleep(max(0.0, plan.pause_at - time.monotonic()))
            tq = time.monotonic()
            await primary.click()
            r.pause_latency = await self._until(
                page, lambda w: [(t, v) for t, v in w["label"] if v and "Play" in v], tq,
                plan.timeout)
            await asyncio.sleep(plan.settle)
            paused_it = (await self._watch(page))["lastIt"]
            ts = time.monotonic()
            await page.locator("button", has_text="Step").first.click()
            r.step_latency = await self._until(
                page, lambda w: [(t, v) for t, v in w["it"] if v != paused_it], ts,
                plan.timeout)
            w = await self._watch(page)
            a, b = plan.window_start, plan.pause_at
            times = [t - self.offset for t, _ in w["it"]]
            r.update_times = times
            inside = [t for t in times if a <= t <= b]
            r.window_seconds, r.frames = b - a, len(inside)
            r.fps = len(inside) / (b - a)
            edges = [a, *inside, b]
            r.max_gap = max(y - x for x, y in zip(edges, edges[1:], strict=False))
            r.iterations_at_end = int(str(w["lastIt"]).replace(",", "") or 0)
        except Exception as e:
            r.errors.append(f"browser {type(e).__name__}: {e}"[:300])
            self.events["loaded"].set()
        finally:
            await ctx.close()
        return r


async def _with_browsers(url: str, students: int, browsers: int, **kw) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            group = [BrowserStudent(students + i, url, chromium) for i in range(browsers)]
            return await load_test.run_class(url, students, browsers=group, **kw)
        finally:
            await chromium.close()


def row(students: int, processes: int, play: float, pacing: str | None,
        bind_range: bool, browsers: int = 0, pause_spread: float = 3.0) -> dict:
    load_before = os.getloadavg()
    with Servers(processes, pacing) as srv:
        sampler = Sampler(srv.pids())
        sampler.start()
        client_cpu0 = time.process_time()
        t_start = time.monotonic()
        if browsers:
            s = asyncio.run(_with_browsers(srv.url, students - browsers, browsers,
                                           play_seconds=play, bind_range=bind_range,
                                           pause_spread=pause_spread))
        else:
            s = asyncio.run(load_test.run_class(srv.url, students, play_seconds=play,
                                                bind_range=bind_range,
                                                pause_spread=pause_spread))
        client_cpu = time.process_time() - client_cpu0
        sampler.stop.set()
        sampler.join()
        w0, w1 = (t_start + x for x in s["window"])
        s.update(
            processes=processes, pacing=pacing or os.environ.get("NN_PLAYGROUND_PACING", "on"),
            server_cpu_percent=sampler.cpu_percent(w0, w1),
            server_rss_mb=sampler.peak_rss() / 2**20,
            client_cpu_percent=100 * client_cpu / (time.monotonic() - t_start),
            load_before=load_before, load_after=os.getloadavg())
    return s


def markdown(rows: list[dict]) -> str:
    lines = ["| students | frames/s per student, min / median | worst gap | Pause, median / max "
             "| Step, median / max | server CPU | server RSS | load avg before |",
             "|---:|---|---:|---|---|---:|---:|---:|"]
    for s in rows:
        lines.append(
            f"| {s['students']} | {s['fps_min']:.1f} / {s['fps_median']:.1f} "
            f"| {s['max_gap_worst']:.1f} s "
            f"| {s['pause_latency_median']:.2f} / {s['pause_latency_max']:.2f} s "
            f"| {s['step_latency_median']:.2f} / {s['step_latency_max']:.2f} s "
            f"| {s['server_cpu_percent']:.0f} % | {s['server_rss_mb']:.0f} MB "
            f"| {s['load_before'][0]:.1f} |"
            + (f" {s['failed']} failed" if s["failed"] else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, nargs="+", default=[1, 10, 30, 60])
    p.add_argument("--processes", type=int, default=1,
                   help="1: one streamlit process; N > 1: nginx + N processes")
    p.add_argument("--play", type=float, default=20.0, help="measured seconds of play")
    p.add_argument("--bind-range", action="store_true",
                   help="student i connects from 127.0.0.(10+i)")
    p.add_argument("--pacing", choices=["on", "off"], default=None,
                   help="sets NN_PLAYGROUND_PACING for the servers")
    p.add_argument("--pause-spread", type=float, default=3.0,
                   help="students press Pause within this many seconds of each other")
    p.add_argument("--browsers", type=int, default=0,
                   help="this many of the students are headless Chromium pages (Playwright)")
    p.add_argument("--json", help="write all results to this file")
    a = p.parse_args(argv)
    if not 0 <= a.browsers <= 4 or any(a.browsers > n for n in a.students):
        raise SystemExit("--browsers: 0 to 4, at most the number of students")
    if any(not 1 <= n <= 120 for n in a.students) or not 1 <= a.play <= 120:
        raise SystemExit("1 to 120 students and 1 to 120 s of play per row")
    if not 1 <= a.processes <= 8:
        raise SystemExit("--processes: 1 to 8")
    rows = []
    for n in a.students:
        print(f"--- {n} students, {a.processes} process(es), load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        s = row(n, a.processes, a.play, a.pacing, a.bind_range, a.browsers, a.pause_spread)
        load_test.print_summary({**s, "per_student": [r for r in s["per_student"]
                                                       if r["source"] == "chromium"]})
        print(f"server CPU {s['server_cpu_percent']:.0f} %, RSS {s['server_rss_mb']:.0f} MB, "
              f"client CPU {s['client_cpu_percent']:.0f} %, load {s['load_before'][0]:.1f} → "
              f"{s['load_after'][0]:.1f}", flush=True)
        rows.append(s)
    print()
    print(f"{a.processes} process(es), pacing {rows[0]['pacing']}, {os.cpu_count()} cores, "
          f"{a.play:g} s of play")
    print(markdown(rows))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1, default=float)


if __name__ == "__main__":
    main()
