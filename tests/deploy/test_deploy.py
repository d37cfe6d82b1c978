"""deploy/: two Streamlit processes behind nginx (deploy/nginx.conf, deploy/cluster.sh),
on loopback. Every browser must stay on the process that holds its session: the file
uploader's HTTP PUT goes to the process of the websocket, or it is refused. Needs nginx
(Debian: apt-get install nginx); skipped with a reason without it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from benchmarks import load_test

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = ROOT / "deploy" / "cluster.sh"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(NGINX),
                       reason="nginx not installed (apt-get install nginx)"),
]


def _run(coro):
    """asyncio.run in a thread of its own: the browser tests' Playwright may hold this
    thread's event loop for the whole session."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _free_base() -> int:
    """A port P with P, P+1, P+2 free on 127.0.0.1."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base > 65000:
            continue
        ok = True
        for p in (base, base + 1, base + 2):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
        if ok:
            return base
    pytest.skip("no three consecutive free ports")


def _start(tmp_path: Path, conf: Path | None = None):
    env = dict(os.environ, NNP_RUN_DIR=str(tmp_path / "run"), NNP_BASE_PORT=str(_free_base()))
    if conf is not None:
        env["NNP_NGINX_CONF"] = str(conf)
    out = subprocess.run([str(CLUSTER), "start", "2"], env=env, capture_output=True,
                         text=True, timeout=180)
    if out.returncode:
        subprocess.run([str(CLUSTER), "stop"], env=env, capture_output=True, timeout=60)
        pytest.fail("cluster.sh start failed:\n" + out.stdout + out.stderr)
    info = dict(line.split("=", 1) for line in out.stdout.split() if "=" in line)
    return env, info


def _stop(env):
    subprocess.run([str(CLUSTER), "stop"], env=env, capture_output=True, timeout=60)


def test_cluster_serves_the_config_in_deploy_as_is(tmp_path):
    """With the default ports, nginx runs deploy/nginx.conf itself (not a copy)."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "hash $nnp_sticky_key consistent;" in text
    assert "ip_hash" not in text.split("upstream streamlit")[1].split("}")[0]
    assert text.count("server 127.0.0.1:87") == 2 and "listen 127.0.0.1:8700;" in text


def test_sticky_sessions_keep_uploads_on_their_process(tmp_path):
    env, info = _start(tmp_path)
    try:
        base = int(env["NNP_BASE_PORT"])
        backends = [f"http://127.0.0.1:{base + 1}", f"http://127.0.0.1:{base + 2}"]
        results = _run(load_test.check_uploads(info["URL"], 16, backends=backends))
        assert [r["status"] for r in results] == [204] * 16, results
        holders = [r["holders"] for r in results]
        assert all(len(h) == 1 for h in holders), holders  # each session in one process
        counts = {b: sum(h == [b] for h in holders) for b in backends}
        assert all(c >= 1 for c in counts.values()), counts  # and both processes are used
    finally:
        _stop(env)


def test_without_stickiness_uploads_miss_their_session(tmp_path):
    """The same setup with nginx's default round robin: uploads reach the wrong process."""
    conf = tmp_path / "round-robin.conf"
    conf.write_text((ROOT / "deploy" / "nginx.conf").read_text().replace(
        "hash $nnp_sticky_key consistent;", "# round robin"))
    env, info = _start(tmp_path, conf)
    try:
        results = _run(load_test.check_uploads(info["URL"], 12))
        refused = [r for r in results if r["status"] == 400]
        assert refused, results
        assert all("Invalid session_id" in r["body"] for r in refused)
    finally:
        _stop(env)
