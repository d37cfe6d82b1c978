"""Simulated students: Streamlit's own websocket protocol, no browser.

Each student opens ``ws://HOST:PORT/_stcore/stream`` (subprotocol ``streamlit``) and does
what Chromium does for one tab of the Playground, message for message (captured from a
real browser and checked against Streamlit 1.67's frontend):

1. ``BackMsg.rerun_script`` with ``page_name="playground"`` and an empty
   ``page_script_hash``: the first run of the page.
2. It keeps the element tree it receives (``ForwardMsg.delta``, by ``delta_path``), the
   widget values a browser would report back (selectbox, slider, number input, checkbox,
   multiselect, segmented control, file uploader), a message cache (``cacheable``
   messages by hash, resolved when a ``ref_hash`` arrives, their hashes reported in
   ``cached_message_hashes``), and the current page's ``page_script_hash``.
3. Play: a full rerun whose widget states carry ``trigger_value`` for the button labelled
   "Play" (its id is read from the button element).
4. ``ForwardMsg.auto_rerun`` (interval, fragment_id) starts a timer that sends
   ``rerun_script`` with that ``fragment_id`` and ``is_auto_rerun`` every ``interval``
   seconds whether or not the previous frame arrived, as the browser's ``setInterval``
   does; a full run's ``new_session`` or ``stop_auto_rerun`` cancels it.
5. Every "Iteration" metric whose value changed is one boundary update (a frame).
6. Pause (trigger on the button now labelled "Pause"): latency until the button is
   labelled "Play" again; then Step (the button "Step ×k"): latency until the Iteration
   read-out has moved.

Run against a running server (``python -m benchmarks.class_load`` starts one for you):

    python -m benchmarks.load_test --url http://127.0.0.1:8501 --students 10 --play 20

Prints one line per student and a summary; ``--json FILE`` writes everything.
Loopback only: the URL must be on 127.0.0.0/8. ``--bind-range`` gives student i its own
source address 127.0.0.(10+i) (for nginx hashing on the client address).
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlparse

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

LIVE_CHART = "nn_playground_live_chart"  # playground/ui/live_chart.py's component

SUBPROTOCOL = "streamlit"
PAGE_NAME = "playground"
ITERATION_LABEL = "Iteration"
FINISHED = ForwardMsg.ScriptFinishedStatus
# What a browser reports about itself with every rerun request.
CONTEXT = {"timezone": "UTC", "timezone_offset": 0, "locale": "en-US", "is_embedded": False,
           "color_scheme": "light"}


def _now() -> float:
    return time.monotonic()


async def http_request(url: str, method: str = "GET", *, headers: dict | None = None,
                       body: bytes = b"", source: str | None = None,
                       timeout: float = 30.0) -> tuple[int, list[tuple[str, str]], bytes]:
    """A minimal HTTP/1.1 request (one connection, ``Connection: close``), from the source
    address ``source`` if given: what a browser sends before and beside its websocket."""
    u = urlparse(url)
    reader, writer = await asyncio.wait_for(asyncio.open_connection(
        u.hostname, u.port or 80, local_addr=(source, 0) if source else None), timeout)
    try:
        target = (u.path or "/") + (f"?{u.query}" if u.query else "")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {u.netloc}", "Connection: close",
                 f"Content-Length: {len(body)}",
                 *(f"{k}: {v}" for k, v in (headers or {}).items())]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    pairs = [tuple(h.split(":", 1)) for h in header_lines if ":" in h]
    return int(status_line.split()[1]), [(k.strip(), v.strip()) for k, v in pairs], rest


# ---- what a browser remembers between messages ---------------------------------------------


class WidgetValues:
    """The widget states a browser reports with each rerun, rebuilt from the elements.

    The browser sends the value of every widget on the page; a value the server sets
    (``set_value``) replaces the one the browser holds. Widgets that a full run no longer
    draws are dropped when the run finishes, as the browser's ``removeInactive`` does.
    """

    def __init__(self) -> None:
        self.states: dict[str, WidgetState] = {}
        self.seen_this_run: set[str] = set()

    def on_element(self, element) -> None:
        kind = element.WhichOneof("type")
        w = getattr(element, kind, None)
        wid = getattr(w, "id", "")
        if not wid or kind in ("button", "download_button", "plotly_chart"):
            return
        self.seen_this_run.add(wid)
        if wid in self.states and not getattr(w, "set_value", False):
            return  # the browser keeps what it has (the student's own value)
        s = WidgetState(id=wid)
        set_value = getattr(w, "set_value", False)
        if kind == "checkbox":
            s.bool_value = w.value if set_value else w.default
        elif kind == "slider":
            idx = list(w.value if set_value else w.default)
            if w.options:  # select_slider: the option strings
                s.string_array_value.data.extend(
                    w.raw_value if set_value and w.raw_value
                    else [w.options[int(i)] for i in idx])
            else:
                s.double_array_value.data.extend(idx)
        elif kind == "number_input":
            v = w.value if set_value else w.default
            if w.data_type == w.INT:
                s.int_value = int(v)
            else:
                s.double_value = v
        elif kind in ("selectbox", "radio"):
            if set_value and w.raw_value:
                s.string_value = w.raw_value
            elif 0 <= w.default < len(w.options):
                s.string_value = w.options[w.default]
            else:
                return
        elif kind == "multiselect":
            vals = list(w.raw_values) if set_value else [w.options[i] for i in w.default]
            s.string_array_value.data.extend(vals)
        elif kind == "button_group":
            vals = (list(w.raw_values) if set_value
                    else [w.options[i].content for i in w.default])
            s.string_array_value.data.extend(vals)
        elif kind == "file_uploader":
            s.file_uploader_state_value.SetInParent()
        elif kind == "text_input":
            s.string_value = w.value if set_value else w.default
        else:
            return
        self.states[wid] = s

    def on_full_run_finished(self) -> None:
        for wid in list(self.states):
            if wid not in self.seen_this_run:
                del self.states[wid]
        self.seen_this_run = set()

    def message(self, trigger: str | None = None) -> list[WidgetState]:
        out = list(self.states.values())
        if trigger:
            out.append(WidgetState(id=trigger, trigger_value=True))
        return out


class MessageCache:
    """The browser's cache of large messages: ``cacheable`` ones are kept by hash and their
    hashes reported back, so the server sends a ``ref_hash`` instead of a repeat. Entries
    unused for ``max_age`` runs are dropped (the browser's ``maxCachedMessageAge``)."""

    def __init__(self, max_age: int = 2) -> None:
        self.max_age = max_age
        self.messages: dict[str, tuple[ForwardMsg, int]] = {}
        self.runs = 0

    def add(self, msg: ForwardMsg) -> None:
        if msg.metadata.cacheable and msg.hash:
            self.messages[msg.hash] = (msg, self.runs)

    def resolve(self, msg: ForwardMsg) -> ForwardMsg | None:
        hit = self.messages.get(msg.ref_hash)
        if hit is None:
            return None
        self.messages[msg.ref_hash] = (hit[0], self.runs)
        full = ForwardMsg()
        full.CopyFrom(hit[0])
        full.metadata.CopyFrom(msg.metadata)
        return full

    def on_run_finished(self) -> None:
        self.runs += 1
        for h, (_, last) in list(self.messages.items()):
            if self.runs - last > self.max_age:
                del self.messages[h]

    def hashes(self) -> list[str]:
        return list(self.messages)


# ---- one student ---------------------------------------------------------------------------


@dataclass
class StudentResult:
    index: int
    source: str = ""
    connected: bool = False
    load_seconds: float = float("nan")
    play_latency: float = float("nan")  # Play clicked -> first new Iteration read-out
    frames: int = 0  # boundary updates inside the measured window
    window_seconds: float = 0.0
    fps: float = 0.0
    max_gap: float = float("nan")  # longest wait between two updates in the window
    pause_latency: float = float("nan")  # Pause clicked -> button reads "Play" again
    frames_after_pause: int = 0  # updates received after the Pause had landed
    step_latency: float = float("nan")  # Step clicked -> Iteration read-out moved
    iterations_at_end: int = 0
    fragment_reruns_sent: int = 0
    frames_reported: int = 0  # live-chart frames reported drawn (each a fragment rerun)
    bytes_received: int = 0
    messages_received: int = 0
    ref_hash_hits: int = 0
    errors: list[str] = field(default_factory=list)
    update_times: list[float] = field(default_factory=list, repr=False)


class Student:
    """One simulated browser tab on the Playground."""

    def __init__(self, index: int, url: str, *, source: str | None = None,
                 query: str = "", click_race: bool = False) -> None:
        u = urlparse(url)
        self.index = index
        self.http_origin = f"{u.scheme}://{u.netloc}"
        self.ws_url = f"{'wss' if u.scheme == 'https' else 'ws'}://{u.netloc}" \
                      f"{u.path.rstrip('/')}/_stcore/stream"
        self.base_path = u.path.rstrip("/")
        self.page_url = f"{self.http_origin}{self.base_path}/{PAGE_NAME}"
        self.query = query
        self.source = source
        self.click_race = click_race
        self.r = StudentResult(index, source or "")
        self.ws = None
        self.page_script_hash = ""
        self.widgets = WidgetValues()
        self.cache = MessageCache()
        self.buttons: dict[str, str] = {}  # label -> widget id
        self.button_at: dict[tuple, str] = {}  # delta path -> label
        self.iteration: int | None = None
        self.timers: dict[str, tuple[float, asyncio.Task]] = {}
        self.run_is_fragment = False
        self.drawn: dict[str, int] = {}  # live chart key -> the newest frame it "drew"
        self.reported: dict[str, int] = {}  # chart group -> the newest frame reported
        self.events: dict[str, asyncio.Event] = {
            k: asyncio.Event() for k in ("loaded", "playing", "paused", "stepped")}
        self.window: tuple[float, float] | None = None
        self.pause_landed_at: float | None = None
        self._send_lock = asyncio.Lock()
        self.cookies: dict[str, str] = {}
        self.session_id = ""
        self.file_urls: dict[str, asyncio.Future] = {}

    # -- sending ---------------------------------------------------------------------------

    async def _rerun(self, *, trigger: str | None = None, fragment_id: str = "",
                     auto: bool = False) -> None:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_script_hash
        if not self.page_script_hash:
            cs.page_name = PAGE_NAME
        cs.widget_states.widgets.extend(self.widgets.message(trigger))
        if fragment_id:
            cs.fragment_id = fragment_id
        cs.is_auto_rerun = auto
        cs.cached_message_hashes.extend(self.cache.hashes())
        for k, v in CONTEXT.items():
            setattr(cs.context_info, k, v)
        cs.context_info.url = self.page_url
        async with self._send_lock:
            await self.ws.send(msg.SerializeToString())

    async def click(self, label_prefix: str) -> float:
        """Press the button whose label starts with ``label_prefix``; returns the time."""
        label = next((lb for lb in self.buttons if lb.startswith(label_prefix)), None)
        if label is None:
            raise RuntimeError(f"no button {label_prefix!r} among {sorted(self.buttons)}")
        wid = self.buttons[label]
        t = _now()
        if self.click_race and self.timers:
            # Chromium sends a due auto-rerun before the click's own flush, and both carry
            # the button's trigger (the widget manager flushes on a zero-delay timeout).
            frag = next(iter(self.timers))
            await self._rerun(trigger=wid, fragment_id=frag, auto=True)
        await self._rerun(trigger=wid)
        return t

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        old = self.timers.get(fragment_id)
        if old and old[0] == interval:
            return
        self._stop_timer(fragment_id)

        async def tick():
            nxt = _now() + interval
            while True:
                await asyncio.sleep(max(0.0, nxt - _now()))
                nxt += interval
                if nxt < _now():  # a browser's timer does not fire twice to catch up
                    nxt = _now() + interval
                self.r.fragment_reruns_sent += 1
                await self._rerun(fragment_id=fragment_id, auto=True)

        self.timers[fragment_id] = (interval, asyncio.create_task(tick()))

    def _stop_timer(self, fragment_id: str) -> None:
        old = self.timers.pop(fragment_id, None)
        if old:
            old[1].cancel()

    def _stop_all_timers(self) -> None:
        for fid in list(self.timers):
            self._stop_timer(fid)

    # -- receiving -------------------------------------------------------------------------

    def _on_message(self, data: bytes) -> None:
        now = _now()
        self.r.bytes_received += len(data)
        self.r.messages_received += 1
        decoded = self._decode(data)
        if decoded is None:
            return
        msg, kind = decoded
        if kind == "new_session":
            self._on_new_session(msg)
        elif kind == "navigation":
            if msg.navigation.page_script_hash:
                self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "file_urls_response":
            self._on_file_urls(msg.file_urls_response)
        elif kind == "auto_rerun":
            self._start_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self._stop_timer(fid)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._on_new_element(msg, now)
        elif kind == "script_finished":
            self._on_script_finished(msg.script_finished, now)

    def _decode(self, data: bytes) -> tuple[ForwardMsg, str] | None:
        """The message and its kind; a ``ref_hash`` is replaced by the cached message it
        names (None, an error noted, when the cache does not hold it), any other is cached."""
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind != "ref_hash":
            self.cache.add(msg)
            return msg, kind
        full = self.cache.resolve(msg)
        if full is None:
            self.r.errors.append(f"unknown ref_hash {msg.ref_hash}")
            return None
        self.r.ref_hash_hits += 1
        return full, full.WhichOneof("type")

    def _on_new_session(self, msg: ForwardMsg) -> None:
        ns = msg.new_session
        self.session_id = ns.initialize.session_id or self.session_id
        self.cache.max_age = ns.config.max_cached_message_age or self.cache.max_age
        if ns.page_script_hash and ns.page_script_hash != ns.main_script_hash:
            self.page_script_hash = ns.page_script_hash
        self.run_is_fragment = bool(msg.metadata.run.fragment_ids)
        if not self.run_is_fragment:
            self._stop_all_timers()  # the browser's cleanupAutoReruns

    def _on_file_urls(self, response) -> None:
        fut = self.file_urls.pop(response.response_id, None)
        if fut is not None and not fut.done():
            fut.set_result(response)

    def _on_new_element(self, msg: ForwardMsg, now: float) -> None:
        el = msg.delta.new_element
        self._on_element(el, tuple(msg.metadata.delta_path), now)
        if el.WhichOneof("type") == "bidi_component":
            self._on_live_chart(el.bidi_component, msg.delta.fragment_id)

    def _on_script_finished(self, status, now: float) -> None:
        if status in (FINISHED.FINISHED_SUCCESSFULLY,
                      FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
            self.cache.on_run_finished()
        if status == FINISHED.FINISHED_SUCCESSFULLY:
            self.widgets.on_full_run_finished()
            if not self.events["loaded"].is_set():
                self.r.load_seconds = now - self.t_connect
                self.events["loaded"].set()
        elif status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
            self.r.errors.append("compile error")

    def _on_live_chart(self, bidi, fragment_id: str) -> None:
        """A live chart of a playing page (``playground/ui/live_chart.js``): "draw" it at once
        and, once every chart of its frame is drawn, report the frame back as the chart's
        state ``drawn``, a rerun of its fragment, as the browser does: the server trains
        the next frame only then (``playground.ui.session.start_frame``)."""
        if bidi.component_name != LIVE_CHART or not bidi.bytes:
            return
        raw = bidi.bytes
        at = raw.rfind(b',"name":')  # the payload's last fields: name, frame, group
        if at < 0:
            return
        tail = json.loads(b"{" + raw[at + 1:])
        frame = tail.get("frame")
        if frame is None:
            return
        name, group = tail["name"], tail.get("group") or [tail["name"]]
        self.drawn[name] = max(self.drawn.get(name, 0), frame)
        key = "|".join(group)
        if any(self.drawn.get(k, 0) < frame for k in group) or self.reported.get(key, 0) >= frame:
            return
        self.reported[key] = frame
        self.widgets.states[bidi.id] = WidgetState(id=bidi.id,
                                                   json_value=json.dumps({"drawn": frame}))
        self.r.frames_reported += 1
        asyncio.get_running_loop().create_task(self._rerun(fragment_id=fragment_id))

    def _on_element(self, el, path: tuple, now: float) -> None:
        kind = el.WhichOneof("type")
        if kind == "button":
            old = self.button_at.get(path)
            if old and self.buttons.get(old) == el.button.id:
                del self.buttons[old]
            self.button_at[path] = el.button.label
            self.buttons[el.button.label] = el.button.id
            if el.button.label == "Play" and self.events["playing"].is_set() \
                    and self.pause_landed_at is None and self.pause_clicked_at is not None:
                self.pause_landed_at = now
                self.r.pause_latency = now - self.pause_clicked_at
                self.events["paused"].set()
        elif kind == "metric" and el.metric.label == ITERATION_LABEL:
            value = int(el.metric.body.replace(",", "") or 0)
            if self.iteration is not None and value != self.iteration:
                self.r.update_times.append(now)
                if self.play_clicked_at is not None and not self.events["playing"].is_set():
                    self.r.play_latency = now - self.play_clicked_at
                    self.events["playing"].set()
                if self.pause_landed_at is not None and self.step_clicked_at is None:
                    self.r.frames_after_pause += 1
                if self.step_clicked_at is not None and not self.events["stepped"].is_set():
                    self.r.step_latency = now - self.step_clicked_at
                    self.events["stepped"].set()
            self.iteration = value
            self.r.iterations_at_end = value
        elif kind == "exception":
            self.r.errors.append("exception: " + el.exception.message[:200])
        self.widgets.on_element(el)

    async def _receive(self) -> None:
        async for data in self.ws:
            if isinstance(data, bytes):
                self._on_message(data)

    # -- HTTP beside the websocket (cookies, uploads) ----------------------------------------

    def _cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    async def http(self, path: str, method: str = "GET", **kw):
        """An HTTP request beside the websocket, as this tab's browser sends it (its origin
        and cookies); keeps the cookies the answer sets. Returns (status, body)."""
        headers = {"Origin": self.http_origin, **self._cookie_header(), **kw.pop("headers", {})}
        status, hdrs, body = await http_request(self.http_origin + path, method,
                                                headers=headers, source=self.source, **kw)
        for k, v in hdrs:
            if k.lower() == "set-cookie":
                name, _, value = v.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
        return status, body

    async def connect_websocket(self, timeout: float = 30.0):
        """What the page does before its websocket: ``/_stcore/health`` (Streamlit's XSRF
        cookie, and a load balancer's route cookie), then the websocket with those cookies
        and the XSRF token as the second subprotocol."""
        await self.http(self.base_path + "/_stcore/health")
        protocols = [SUBPROTOCOL]
        if "_streamlit_xsrf" in self.cookies:
            protocols.append(self.cookies["_streamlit_xsrf"])
        kwargs = {"local_addr": (self.source, 0)} if self.source else {}
        return connect(self.ws_url, subprotocols=protocols, compression=None,
                       origin=self.http_origin, proxy=None, max_size=None,
                       additional_headers=self._cookie_header(), open_timeout=timeout,
                       ping_interval=None, **kwargs)

    async def upload(self, name: str, data: bytes, timeout: float = 30.0) -> tuple[int, str]:
        """Upload a file as the browser's file uploader does: ask the session for an upload
        URL over the websocket, then PUT the file there over HTTP. Returns (status, body)."""
        rid = f"{self.index}-{len(self.file_urls)}-{random.random()}"
        fut = self.file_urls[rid] = asyncio.get_running_loop().create_future()
        msg = BackMsg()
        msg.file_urls_request.request_id = rid
        msg.file_urls_request.file_names.append(name)
        msg.file_urls_request.session_id = self.session_id
        async with self._send_lock:
            await self.ws.send(msg.SerializeToString())
        resp = await asyncio.wait_for(fut, timeout)
        if resp.error_msg or not resp.file_urls:
            return 0, resp.error_msg or "no upload URL"
        url = urlparse(resp.file_urls[0].upload_url)
        boundary = f"----nnp{random.getrandbits(64):x}"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").encode() + data \
            + f"\r\n--{boundary}--\r\n".encode()
        status, text = await self.http(
            url.path, "PUT", body=body, timeout=timeout,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                     "X-Xsrftoken": self.cookies.get("_streamlit_xsrf", "")})
        return status, text.decode("utf-8", "replace")

    # -- the lesson ------------------------------------------------------------------------

    async def run(self, plan: Plan) -> StudentResult:
        self.play_clicked_at = self.pause_clicked_at = self.step_clicked_at = None
        self.t_connect = _now()
        receiver = None
        try:
            async with await self.connect_websocket(plan.timeout) as ws:
                self.ws = ws
                self.r.connected = True
                receiver = self.start_receiving()
                await self.load_page(plan.timeout, receiver)
                await plan.all_loaded.wait()
                await asyncio.sleep(max(0.0, plan.play_at - _now())
                                    + random.uniform(0, plan.jitter))
                self.play_clicked_at = await self.click("Play")
                await self._wait("playing", plan.timeout, receiver)
                await asyncio.sleep(max(0.0, plan.pause_at - _now())
                                    + random.uniform(0, plan.pause_spread))
                self.window = (plan.window_start, min(_now(), plan.pause_at))
                self.pause_clicked_at = await self.click("Pause")
                await self._wait("paused", plan.timeout, receiver)
                await asyncio.sleep(plan.settle)
                self.step_clicked_at = await self.click("Step")
                await self._wait("stepped", plan.timeout, receiver)
        except Exception as e:  # report it; the other students go on
            self.r.errors.append(f"{type(e).__name__}: {e}"[:300])
        finally:
            self._stop_all_timers()
            if receiver:
                receiver.cancel()
        self._summarise()
        return self.r

    def start_receiving(self) -> asyncio.Task:
        """Handle every message the server sends on the open websocket, in a task (cancel
        it when done; it ends when the connection closes)."""
        return asyncio.create_task(self._receive())

    async def load_page(self, timeout: float, receiver: asyncio.Task) -> None:
        """Run the page's script, as a browser does once connected, and wait until the
        run has finished (``receiver``: the task of ``start_receiving``)."""
        await self._rerun()
        await self._wait("loaded", timeout, receiver)

    async def _wait(self, event: str, timeout: float, receiver: asyncio.Task) -> None:
        waiter = asyncio.create_task(self.events[event].wait())
        done, _ = await asyncio.wait({waiter, receiver}, timeout=timeout,
                                     return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            if receiver in done:
                raise RuntimeError(f"connection closed while waiting for {event}")
            raise TimeoutError(f"{event}: nothing within {timeout:g} s")

    def _summarise(self) -> None:
        r = self.r
        if self.window:
            a, b = self.window
            ts = [t for t in r.update_times if a <= t <= b]
            r.window_seconds = b - a
            r.frames = len(ts)
            r.fps = len(ts) / (b - a) if b > a else 0.0
            edges = [a, *ts, b]
            r.max_gap = max(y - x for x, y in zip(edges, edges[1:], strict=False))


@dataclass
class Plan:
    """One lesson's timetable, shared by all students (monotonic clock)."""

    play_at: float
    window_start: float
    pause_at: float
    jitter: float = 0.5
    pause_spread: float = 3.0
    settle: float = 1.0
    timeout: float = 60.0
    all_loaded: asyncio.Event = field(default_factory=asyncio.Event)


# ---- a class ---------------------------------------------------------------------------------


def loopback_only(url: str) -> None:
    host = urlparse(url).hostname or ""
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise SystemExit(f"{url}: the load test only talks to 127.0.0.0/8")


async def run_class(url: str, students: int, *, play_seconds: float = 20.0,
                    warmup: float = 4.0, jitter: float = 0.5, bind_range: bool = False,
                    click_race: bool = False, connect_spread: float = 3.0,
                    timeout: float = 60.0, browsers: list | None = None,
                    pause_spread: float = 3.0) -> dict:
    """``students`` students load the page (spread over ``connect_spread`` seconds), press
    Play together (within ``jitter``), play ``play_seconds``, then Pause (within
    ``pause_spread`` seconds of each other: the teacher says "pause") and Step. Frames are
    counted from ``warmup`` seconds after Play until the first Pause. ``browsers``: more students
    with the same ``run(plan)`` interface (real browsers, see class_load.py)."""
    loopback_only(url)
    group = [Student(i, url, source=f"127.0.0.{10 + i}" if bind_range else None,
                     click_race=click_race) for i in range(students)] + list(browsers or [])
    students = len(group)
    plan = Plan(play_at=float("inf"), window_start=float("inf"), pause_at=float("inf"),
                jitter=jitter, pause_spread=pause_spread, timeout=timeout)

    async def start(s: Student, delay: float):
        await asyncio.sleep(delay)
        return await s.run(plan)

    t0 = _now()
    tasks = [asyncio.create_task(start(s, connect_spread * i / max(1, students)))
             for i, s in enumerate(group)]
    # Everyone loaded (or failed): the teacher says "press Play".
    while True:
        done = sum(s.events["loaded"].is_set() or t.done() for s, t in zip(group, tasks,
                                                                            strict=True))
        if done == students or _now() - t0 > timeout:
            break
        await asyncio.sleep(0.1)
    loaded_at = _now()
    plan.play_at = loaded_at + 1.0
    plan.window_start = plan.play_at + jitter + warmup
    plan.pause_at = plan.window_start + play_seconds
    plan.all_loaded.set()
    results = await asyncio.gather(*tasks)
    return summarise(results, extra={"load_all_seconds": loaded_at - t0,
                                     "window": [plan.window_start - t0, plan.pause_at - t0]})


SAMPLE_CSV = b"x1,x2,label\n0.1,0.2,0\n0.9,0.8,1\n0.2,0.1,0\n0.8,0.9,1\n"


async def session_holders(session_id: str, backends: list[str]) -> list[str]:
    """Which of the ``backends`` (base URLs of Streamlit processes) hold ``session_id``:
    an upload PUT straight to each answers 204 where the session lives, 400 elsewhere."""
    found = []
    for b in backends:
        s = Student(0, b)
        await s.http("/_stcore/health")
        body = (b'--b\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\n'
                b"x\r\n--b--\r\n")
        status, _ = await s.http(
            f"/_stcore/upload_file/{session_id}/probe", "PUT", body=body,
            headers={"Content-Type": "multipart/form-data; boundary=b",
                     "X-Xsrftoken": s.cookies.get("_streamlit_xsrf", "")})
        if status == 204:
            found.append(b)
    return found


async def check_uploads(url: str, students: int, *, backends: list[str] | None = None,
                        timeout: float = 60.0) -> list[dict]:
    """``students`` browsers open the Playground and each uploads a small CSV, as the file
    uploader does (websocket request for an upload URL, then an HTTP PUT). Behind a load
    balancer the PUT must reach the process holding the session: 204, else 400 "Invalid
    session_id". Returns one dict per student: status, body, session id, and (given the
    ``backends`` behind the balancer) which of them hold the session."""
    loopback_only(url)

    async def one(i: int) -> dict:
        s = Student(i, url)
        s.play_clicked_at = s.pause_clicked_at = s.step_clicked_at = None
        s.t_connect = _now()
        async with await s.connect_websocket(timeout) as ws:
            s.ws = ws
            receiver = s.start_receiving()
            try:
                await s.load_page(timeout, receiver)
                status, body = await s.upload("points.csv", SAMPLE_CSV, timeout)
                holders = await session_holders(s.session_id, backends) if backends else []
            finally:
                receiver.cancel()
        return {"student": i, "status": status, "body": body, "session_id": s.session_id,
                "holders": holders}

    return list(await asyncio.gather(*(one(i) for i in range(students))))


def _q(values: list[float], q: float) -> float:
    v = sorted(x for x in values if x == x)
    if not v:
        return float("nan")
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def summarise(results: list[StudentResult], extra: dict | None = None) -> dict:
    ok = [r for r in results if not r.errors]
    fps = [r.fps for r in results]
    out = {
        "students": len(results),
        "failed": len(results) - len(ok),
        "fps_min": min(fps) if fps else float("nan"),
        "fps_median": statistics.median(fps) if fps else float("nan"),
        "fps_max": max(fps) if fps else float("nan"),
        "max_gap_worst": max((r.max_gap for r in results if r.max_gap == r.max_gap),
                             default=float("nan")),
        "play_latency_median": _q([r.play_latency for r in results], 0.5),
        "pause_latency_median": _q([r.pause_latency for r in results], 0.5),
        "pause_latency_max": _q([r.pause_latency for r in results], 1.0),
        "step_latency_median": _q([r.step_latency for r in results], 0.5),
        "step_latency_max": _q([r.step_latency for r in results], 1.0),
        "load_seconds_median": _q([r.load_seconds for r in results], 0.5),
        "load_seconds_max": _q([r.load_seconds for r in results], 1.0),
        "frames_after_pause": sum(r.frames_after_pause for r in results),
        "kB_per_frame": (sum(r.bytes_received for r in results) / 1e3
                         / max(1, sum(len(r.update_times) for r in results))),
        "errors": sorted({e for r in results for e in r.errors})[:10],
        "per_student": [{k: v for k, v in asdict(r).items() if k != "update_times"}
                        for r in results],
    }
    out.update(extra or {})
    return out


def print_summary(s: dict, file=sys.stdout) -> None:
    for r in s["per_student"]:
        print(f"  student {r['index']:>2} {r['source'] or '':>11} fps {r['fps']:5.2f} "
              f"max gap {r['max_gap']:5.2f} s  play {r['play_latency']:5.2f} s  "
              f"pause {r['pause_latency']:5.2f} s  step {r['step_latency']:5.2f} s  "
              f"it {r['iterations_at_end']:>7,}  {'; '.join(r['errors'])}", file=file)
    print(f"{s['students']} students: frames/s min {s['fps_min']:.2f} median "
          f"{s['fps_median']:.2f}; worst gap {s['max_gap_worst']:.2f} s; pause median "
          f"{s['pause_latency_median']:.2f} s max {s['pause_latency_max']:.2f} s; step median "
          f"{s['step_latency_median']:.2f} s max {s['step_latency_max']:.2f} s; "
          f"load max {s['load_seconds_max']:.1f} s; failed {s['failed']}; "
          f"{s['kB_per_frame']:.1f} kB/frame", file=file)
    if s["errors"]:
        print("errors: " + " | ".join(s["errors"]), file=file)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:8501")
    p.add_argument("--students", type=int, default=10)
    p.add_argument("--play", type=float, default=20.0, help="seconds of measured play")
    p.add_argument("--warmup", type=float, default=4.0)
    p.add_argument("--pause-spread", type=float, default=3.0,
                   help="students press Pause within this many seconds of each other")
    p.add_argument("--bind-range", action="store_true",
                   help="student i connects from 127.0.0.(10+i)")
    p.add_argument("--click-race", action="store_true",
                   help="send a due auto-rerun carrying the click's trigger, as Chromium "
                        "does when a frame timer is due at the moment of the click")
    p.add_argument("--json", help="write the results to this file")
    a = p.parse_args(argv)
    if not 1 <= a.students <= 250:
        raise SystemExit("--students: 1 to 250")
    s = asyncio.run(run_class(a.url, a.students, play_seconds=a.play, warmup=a.warmup,
                              bind_range=a.bind_range, click_race=a.click_race,
                              pause_spread=a.pause_spread))
    print_summary(s)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(s, f, indent=1, default=float)


if __name__ == "__main__":
    main()
