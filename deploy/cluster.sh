#!/usr/bin/env bash
# NN Playground on several processes behind nginx, on this machine.
#
#   deploy/cluster.sh start [N]   one `streamlit run app.py` per upstream `server` line of
#                                 deploy/nginx.conf (127.0.0.1:8701, :8702, ...), then nginx
#                                 on 127.0.0.1:8700; with N, N processes (ports 8701..)
#   deploy/cluster.sh stop        stop them all
#   deploy/cluster.sh status
#
# nginx runs with deploy/nginx.conf itself when N matches its upstream (the default);
# otherwise with a copy whose upstream lists N processes on ports BASE+1..BASE+N and which
# listens on BASE (NNP_BASE_PORT, default 8700; the tests pick free ports). Runtime files
# (pids, logs, the config actually used) go to $TMPDIR/nn-playground-cluster
# (NNP_RUN_DIR). NNP_NGINX_CONF names another config (the tests use a round-robin one to
# show why stickiness matters). The processes run without Streamlit's file watcher.
# Needs nginx (Debian: apt-get install nginx); only loopback addresses are used.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN=${NNP_RUN_DIR:-${TMPDIR:-/tmp}/nn-playground-cluster}
CONF=${NNP_NGINX_CONF:-$ROOT/deploy/nginx.conf}
PYTHON=${PYTHON:-python3}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
BASE=${NNP_BASE_PORT:-8700}

conf_ports() { grep -oE '^\s*server 127\.0\.0\.1:[0-9]+' "$1" | grep -oE '[0-9]+$'; }
listen_url() { echo "http://$(grep -oE 'listen 127\.0\.0\.1:[0-9]+' "$1" | head -1 | cut -d' ' -f2)"; }

wait_health() {  # url seconds
    local i
    for ((i = 0; i < $2 * 5; i++)); do
        if curl -fsS --noproxy '*' -o /dev/null "$1/_stcore/health" 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    echo "no answer from $1/_stcore/health within $2 s" >&2
    return 1
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local n=${1:-} ports conf
    [[ -x $NGINX ]] || { echo "nginx not found: apt-get install nginx" >&2; exit 1; }
    if [[ -e $RUN/nginx.pid ]] || compgen -G "$RUN/streamlit-*.pid" > /dev/null; then
        echo "already running (deploy/cluster.sh stop first)" >&2
        exit 1
    fi
    mkdir -p "$RUN/logs" "$RUN/tmp"
    chmod 1777 "$RUN/tmp"  # nginx workers may run as another user
    mapfile -t ports < <(conf_ports "$CONF")
    conf=$CONF
    n=${n:-${#ports[@]}}
    ((n >= 1 && n <= 16)) || { echo "N: 1 to 16" >&2; exit 1; }
    if [[ $n -ne ${#ports[@]} || $BASE -ne 8700 ]]; then
        ports=()
        for ((i = 1; i <= n; i++)); do ports+=($((BASE + i))); done
        conf=$RUN/nginx.conf
        awk -v n="$n" -v base="$BASE" '
            /^[ \t]*server 127\.0\.0\.1:[0-9]+;/ {
                if (!done) {
                    for (i = 1; i <= n; i++) printf "        server 127.0.0.1:%d;\n", base + i
                    done = 1
                }
                next
            }
            /^[ \t]*listen 127\.0\.0\.1:[0-9]+;/ { printf "        listen 127.0.0.1:%d;\n", base; next }
            { print }' "$CONF" > "$conf"
    fi
    for p in "${ports[@]}" "$(listen_url "$conf" | grep -oE '[0-9]+$')"; do
        port_free "$p" || { echo "port $p is in use" >&2; exit 1; }
    done
    local pids=()
    for p in "${ports[@]}"; do
        (cd "$ROOT" && exec setsid "$PYTHON" -m streamlit run app.py \
            --server.port "$p" --server.address 127.0.0.1 --server.headless true \
            --server.fileWatcherType none \
            > "$RUN/logs/streamlit-$p.log" 2>&1) &
        echo $! > "$RUN/streamlit-$p.pid"
        pids+=($!)
    done
    for p in "${ports[@]}"; do wait_health "http://127.0.0.1:$p" 90; done
    "$NGINX" -p "$RUN" -c "$conf" -e logs/error.log
    local url
    url=$(listen_url "$conf")
    wait_health "$url" 20
    for ((i = 0; i < 50; i++)); do [[ -s $RUN/nginx.pid ]] && break; sleep 0.1; done
    pids+=("$(cat "$RUN/nginx.pid")")
    echo "URL=$url"
    echo "PIDS=$(IFS=,; echo "${pids[*]}")"
    echo "CONF=$conf"
}

stop() {
    local f pid
    if [[ -s $RUN/nginx.pid ]]; then
        pid=$(cat "$RUN/nginx.pid")
        kill -QUIT "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/nginx.pid"
    for f in "$RUN"/streamlit-*.pid; do
        [[ -e $f ]] || continue
        pid=$(cat "$f")
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
        rm -f "$f"
    done
}

status() {
    local f
    for f in "$RUN"/streamlit-*.pid "$RUN"/nginx.pid; do
        [[ -e $f ]] || continue
        if kill -0 "$(cat "$f")" 2>/dev/null; then
            echo "$(basename "$f" .pid): running ($(cat "$f"))"
        else
            echo "$(basename "$f" .pid): not running"
        fi
    done
}

case ${1:-} in
    start) start "${2:-}" ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
