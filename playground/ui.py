"""Streamlit helpers shared by the pages: the one module of ``playground`` that imports
Streamlit.

It keeps the experiment's ``Config`` in session state, in step with the sidebar widgets
and the URL; builds the data (cached) and the ``Trainer`` (reset when the data or the
architecture change); and draws the controls every page shares. The math lives elsewhere.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from dataclasses import replace

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground import config as C
from playground.config import Config
from playground.datasets import (
    DATASETS,
    MAX_ROWS,
    MIN_ROWS,
    DatasetError,
    load_csv,
    make_dataset,
    sample_csv,
    train_test_split,
)
from playground.features import FEATURES
from playground.nn import ACTIVATIONS, INITIALIZATIONS
from playground.pacing import FramePacer
from playground.training import Trainer, trainer_from_config

LIVE_DTYPE = np.float32  # the live page trains in float32: same curves, faster
FRAME_SECONDS = 0.2  # Play redraws 5 times a second
FRAME_BUDGET = 0.09  # seconds of training per frame at "fast"
SPEED_RATES = {"slow": 50, "normal": 1000, "fast": None}  # iterations per second; None: budget
SPEED_LABELS = {"slow": "slow (50 it/s)", "normal": "normal (1,000 it/s)",
                "fast": "fast (as fast as it goes)"}
ACTIVATION_LABELS = {name: a.label for name, a in ACTIVATIONS.items()}
MAIN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
INIT_LABELS = {name: m.label for name, m in INITIALIZATIONS.items()}
SCHEDULE_LABELS = {"constant": "constant", "step": "step decay", "inverse_time": "1/t decay"}
REG_LABELS = {"none": "none", "L2": "L2", "L1": "L1"}
ALPHAS = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.6, 1.0, 1.2, 2.0, 3.0, 5.0,
          10.0)

def run_through_app() -> None:
    """Make sure the page runs inside app.py's navigation.

    A fresh server does not yet know that app.py declares its pages with
    ``st.navigation``; seeing a ``pages/`` folder, Streamlit's legacy multipage mode runs
    a requested page file on its own (no wide layout, file names as navigation). The
    first page to notice switches that mode off and runs app.py in its place, in this
    same run (a rerun would lose the button presses that started it).
    """
    import runpy
    from pathlib import Path

    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(Path(__file__).resolve().parents[1] / "app.py"))
        st.stop()


# ---- configuration, widgets and URL ------------------------------------------------------

_CFG = "config"
_URL = "url_synced"
_NOTICES = "config_notices"


def _widget_values(cfg: Config) -> dict:
    """The session-state values of the sidebar widgets for a config."""
    v = {
        "w_dataset": cfg.dataset, "w_n_samples": cfg.n_samples, "w_noise": cfg.noise,
        "w_test_fraction": cfg.test_fraction, "w_data_seed": cfg.data_seed,
        "w_layers": len(cfg.hidden), "w_init": cfg.init, "w_init_scale": cfg.init_scale,
        "w_weight_seed": cfg.weight_seed, "w_alpha": cfg.alpha,
        "w_steps_per_click": cfg.steps_per_click, "w_speed": cfg.speed,
        "w_regularization": cfg.regularization, "w_lambd": cfg.lambd,
        "w_batch_size": cfg.batch_size, "w_schedule": cfg.schedule,
        "w_decay_rate": cfg.decay_rate, "w_decay_steps": cfg.decay_steps,
        "w_stop_iterations": cfg.stop_iterations, "w_stop_cost": cfg.stop_cost,
        "w_discretize": cfg.discretize, "w_show_test": cfg.show_test,
        "w_features": list(cfg.features),
        "w_same_act": len(set(cfg.activations)) <= 1,
        "w_act_all": cfg.activations[0] if cfg.activations else "tanh",
    }
    for i in range(C.MAX_HIDDEN_LAYERS):
        v[f"w_units_{i}"] = cfg.hidden[i] if i < len(cfg.hidden) else (
            cfg.hidden[-1] if cfg.hidden else 4)
        v[f"w_act_{i}"] = cfg.activations[i] if i < len(cfg.activations) else (
            cfg.activations[-1] if cfg.activations else "tanh")
    return v


def _seed_widgets(cfg: Config, *, force: bool) -> None:
    for k, val in _widget_values(cfg).items():
        if force or k not in st.session_state:
            st.session_state[k] = val


def _query_dict() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params.keys()}


def current_config() -> Config:
    """The experiment's Config. A URL that differs from the last one this session wrote
    (a shared link, a lesson) is parsed and takes over, with notices for bad values."""
    query = _query_dict()
    if _CFG not in st.session_state or query != st.session_state.get(_URL):
        if query or _CFG not in st.session_state:
            cfg, notices = C.from_query(query)
            if cfg.dataset == C.UPLOAD and "upload_data" not in st.session_state:
                notices.append("the link names an uploaded CSV, which a link cannot carry: "
                               "showing the flower instead")
                cfg = replace(cfg, dataset="flower")
            st.session_state[_CFG] = cfg
            st.session_state[_NOTICES] = notices
            _seed_widgets(cfg, force=True)
    _seed_widgets(st.session_state[_CFG], force=False)
    return st.session_state[_CFG]


def set_config(cfg: Config) -> None:
    """Make ``cfg`` current (widgets and URL follow on this run)."""
    st.session_state[_CFG] = cfg
    _seed_widgets(cfg, force=True)


def sync_url(cfg: Config) -> None:
    """Write the config into the URL (only the fields that differ from the defaults)."""
    query = cfg.to_query()
    if query != _query_dict():
        st.query_params.from_dict(query)
    st.session_state[_URL] = query


def show_notices() -> None:
    """Notices for the main area: a link's bad values, and a rejected upload."""
    if st.session_state.get("upload_error"):
        st.error("Your CSV was not loaded: " + st.session_state["upload_error"] +
                 " The previous data is kept.", icon=":material/error:")
    notices = st.session_state.get(_NOTICES) or []
    if notices:
        st.warning("Some settings in the link were not understood and fell back to the "
                   "defaults:\n\n" + "\n".join(f"- {n}" for n in notices),
                   icon=":material/link_off:")
        if st.button("Dismiss", key="dismiss_notices"):
            st.session_state[_NOTICES] = []
            st.rerun()


def hidden(cfg: Config, section: str) -> bool:
    return section in cfg.hide


def sidebar_controls(cfg: Config) -> Config:
    """The Data / Network / Initialization / Training controls; returns the new Config."""
    ss = st.session_state
    sb = st.sidebar
    changes: dict = {}

    if not hidden(cfg, "data"):
        sb.subheader("Data", divider="gray")
        names = [*DATASETS, C.UPLOAD] if "upload_data" in ss else list(DATASETS)
        if ss.get("w_dataset") not in names:
            ss["w_dataset"] = "flower"
        sb.selectbox("Dataset", names, key="w_dataset", on_change=_dataset_changed,
                     format_func=lambda n: "your CSV" if n == C.UPLOAD else DATASETS[n].label,
                     help="The toy 2-D problem: two classes of points in the (x₁, x₂) plane. "
                          "Changing the data resets training.")
        if ss["w_dataset"] == C.UPLOAD:
            sb.caption(f"Your CSV: {ss['upload_data'][0].shape[1]} points.")
        else:
            sb.caption(DATASETS[ss["w_dataset"]].description)
            sb.slider("Number of points m", *C.N_SAMPLES_RANGE, step=10, key="w_n_samples",
                      help="How many examples to generate (train + test).")
            sb.slider("Noise", *C.NOISE_RANGE, step=0.05, key="w_noise",
                      help="How much the classes blur into each other.")
            sb.number_input("Data seed", *C.SEED_RANGE, step=1, key="w_data_seed",
                            help="Same seed, same points.")
        sb.slider("Test fraction", *C.TEST_FRACTION_RANGE, step=0.05, key="w_test_fraction",
                  help="Share of the points held out to measure generalization.")
        changes.update(dataset=ss["w_dataset"], n_samples=ss["w_n_samples"],
                       noise=round(float(ss["w_noise"]), 4), data_seed=int(ss["w_data_seed"]),
                       test_fraction=round(float(ss["w_test_fraction"]), 4))
        upload_controls()

    if not hidden(cfg, "network"):
        sb.subheader("Network", divider="gray")
        sb.slider("Hidden layers", 0, C.MAX_HIDDEN_LAYERS, key="w_layers",
                  help="0 hidden layers is logistic regression: ŷ = σ(W[1]·X + b[1]). "
                       "Changing the architecture resets training.")
        n_layers = ss["w_layers"]
        if n_layers == 0:
            sb.info("No hidden layer: this is logistic regression, a straight boundary.",
                    icon=":material/linear_scale:")
        sb.checkbox("Same activation for all layers", key="w_same_act",
                    on_change=_same_activation_changed)
        if ss["w_same_act"] and n_layers:
            sb.selectbox("Activation g of hidden layers", list(ACTIVATIONS), key="w_act_all",
                         format_func=ACTIVATION_LABELS.get,
                         help="The output layer is always the sigmoid σ (binary output).")
        units, acts = [], []
        for i in range(n_layers):
            cols = sb.columns([1, 1]) if not ss["w_same_act"] else (sb, None)
            cols[0].number_input(f"Units n[{i + 1}]", 1, C.MAX_UNITS, step=1,
                                 key=f"w_units_{i}", help="Units in this hidden layer (1–16).")
            if not ss["w_same_act"]:
                cols[1].selectbox(f"g[{i + 1}]", list(ACTIVATIONS), key=f"w_act_{i}",
                                  format_func=ACTIVATION_LABELS.get)
            units.append(int(ss[f"w_units_{i}"]))
            acts.append(ss["w_act_all"] if ss["w_same_act"] else ss[f"w_act_{i}"])
        changes.update(hidden=tuple(units), activations=tuple(acts))

    if not hidden(cfg, "features"):
        with sb.expander("Input features", expanded=tuple(cfg.features) != ("x1", "x2")):
            st.multiselect("Features fed to the network", list(FEATURES), key="w_features",
                           format_func=lambda n: FEATURES[n].label,
                           help="n[0] is the number of selected features. x₁² and x₂² let "
                                "even logistic regression draw a circle.")
        feats = tuple(n for n in FEATURES if n in ss["w_features"]) or ("x1", "x2")
        changes.update(features=feats)

    arch = " → ".join(str(n) for n in [len(changes.get("features", cfg.features)),
                                        *changes.get("hidden", cfg.hidden), 1])
    sb.markdown(f"**Architecture** `{arch}` · output σ")

    if not hidden(cfg, "initialization"):
        sb.subheader("Initialization", divider="gray")
        sb.selectbox("Weights W[l]", list(INITIALIZATIONS), key="w_init",
                     format_func=INIT_LABELS.get,
                     help="Biases b[l] always start at 0. " + " ".join(
                         f"{m.label}: {m.description}" for m in INITIALIZATIONS.values()))
        if ss["w_init"] in ("random", "constant"):
            sb.number_input("scale" if ss["w_init"] == "random" else "c",
                            min_value=C.SCALE_RANGE[0], max_value=C.SCALE_RANGE[1],
                            step=0.01, format="%g", key="w_init_scale",
                            help="random: W = randn × scale (0.01 in the course). "
                                 "constant: every weight equals c.")
        sb.number_input("Weight seed", *C.SEED_RANGE, step=1, key="w_weight_seed",
                        help="Same seed, same initial weights. Reset goes back to them.")
        changes.update(init=ss["w_init"], init_scale=float(ss["w_init_scale"]),
                       weight_seed=int(ss["w_weight_seed"]))

    if not hidden(cfg, "training"):
        sb.subheader("Training", divider="gray")
        if ss["w_alpha"] not in ALPHAS:
            ss["w_alpha"] = min(ALPHAS, key=lambda a: abs(np.log(a / ss["w_alpha"])))
        sb.select_slider("Learning rate α", ALPHAS, key="w_alpha",
                         format_func=lambda a: f"{a:g}",
                         help="Step size of gradient descent: W := W − α·dW. Changing α "
                              "does not reset training.")
        sb.segmented_control("Iterations per step", C.STEPS_PER_CLICK,
                             key="w_steps_per_click", required=True,
                             help="How many iterations the Step button trains.")
        sb.segmented_control("Play speed", C.SPEEDS, key="w_speed", required=True,
                             format_func=lambda s: SPEED_LABELS[s].split(" (")[0],
                             help="; ".join(SPEED_LABELS.values()))
        changes.update(alpha=float(ss["w_alpha"]),
                       steps_per_click=int(ss["w_steps_per_click"] or 10),
                       speed=ss["w_speed"] or "normal")
        with sb.expander("More: regularization, mini-batches, schedule, stop"):
            st.selectbox("Regularization", list(REG_LABELS), key="w_regularization",
                         help="L2 adds (λ/2m)·Σ‖W[l]‖² to J; L1 adds (λ/m)·Σ|W[l]|. "
                              "Biases are not regularized.")
            if ss["w_regularization"] != "none":
                st.number_input("λ", *C.LAMBDA_RANGE, step=0.01, format="%g", key="w_lambd")
            st.number_input("Batch size (0 = full batch)", 0, 10_000, step=1,
                            key="w_batch_size",
                            help="Full batch is the course's gradient descent. A smaller "
                                 "batch reshuffles the training set every epoch.")
            st.selectbox("Learning-rate schedule", list(SCHEDULE_LABELS), key="w_schedule",
                         format_func=SCHEDULE_LABELS.get)
            if ss["w_schedule"] != "constant":
                st.number_input("decay rate γ", 0.0, 10.0, step=0.05, key="w_decay_rate")
                st.number_input("decay steps s", 1, 1_000_000, step=100, key="w_decay_steps")
            st.number_input("Stop after iterations (0 = never)", 0, 10_000_000, step=100,
                            key="w_stop_iterations")
            st.number_input("Stop when cost J below (0 = never)", 0.0, 10.0, step=0.01,
                            format="%g", key="w_stop_cost")
        changes.update(
            regularization=ss["w_regularization"], lambd=float(ss["w_lambd"]),
            batch_size=int(ss["w_batch_size"]), schedule=ss["w_schedule"],
            decay_rate=float(ss["w_decay_rate"]), decay_steps=int(ss["w_decay_steps"]),
            stop_iterations=int(ss["w_stop_iterations"]), stop_cost=float(ss["w_stop_cost"]))

    try:
        new = cfg.replace(**changes)
    except ValueError as e:
        st.sidebar.error(f"That setting is not valid: {e}")
        new = cfg
    st.session_state[_CFG] = new
    return new


def _same_activation_changed() -> None:
    """Switching between one activation for all layers and one per layer keeps what the
    student sees: the common choice becomes every layer's, or the first layer's the common."""
    ss = st.session_state
    if ss.get("w_same_act"):
        ss["w_act_all"] = ss.get("w_act_0", ss.get("w_act_all", "tanh"))
    else:
        for i in range(C.MAX_HIDDEN_LAYERS):
            ss[f"w_act_{i}"] = ss.get("w_act_all", "tanh")


def _dataset_changed() -> None:
    """A new dataset brings its own natural noise level."""
    name = st.session_state.get("w_dataset")
    if name in DATASETS:
        st.session_state["w_noise"] = float(min(DATASETS[name].noise, C.NOISE_RANGE[1]))


def upload_controls() -> None:
    """Upload a CSV of two features and a 0/1 label; a bad file keeps the previous data."""
    with st.sidebar.expander("Upload your own CSV"):
        st.markdown("Three columns: **x1, x2, label** (label 0 or 1), header optional, "
                    f"{MIN_ROWS} to {MAX_ROWS:,} rows.")
        st.download_button("Sample CSV", sample_csv(), "sample.csv", "text/csv",
                           icon=":material/download:", on_click="ignore")
        st.file_uploader("CSV file", key="w_upload", on_change=_upload_changed,
                         help="The file is parsed as numbers only; nothing is executed.")
        if st.session_state.get("upload_error"):
            st.error(st.session_state["upload_error"] + " The previous data is kept.",
                     icon=":material/error:")


def _upload_changed() -> None:
    """Parse a new upload before the widgets are drawn, so the dataset can switch to it."""
    ss = st.session_state
    up = ss.get("w_upload")
    if up is None:
        return
    try:
        X, Y = load_csv(up.getvalue())
    except DatasetError as e:
        ss["upload_error"] = f"{up.name}: {e}"
        return
    ss["upload_data"] = (X, Y)
    ss["upload_token"] = (up.name, up.size, getattr(up, "file_id", None))
    ss["upload_error"] = ""
    ss["w_dataset"] = C.UPLOAD


# ---- data and trainer ----------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner=False)
def generated_split(name: str, n_samples: int, noise: float | None, seed: int,
                    test_fraction: float):
    """``(X_train, Y_train, X_test, Y_test)`` of a generated dataset (cached; noise None:
    the dataset's own)."""
    X, Y = make_dataset(name, n_samples, noise, seed)
    return train_test_split(X, Y, test_fraction, seed)


def restore_widgets(defaults: dict, store: str) -> None:
    """Widgets forget their values when the page is left: put back the values kept under
    ``store`` (or the defaults) before the widgets are drawn."""
    saved = st.session_state.setdefault(store, {})
    for k, v in defaults.items():
        if k not in st.session_state:
            st.session_state[k] = saved.get(k, v)


def remember_widgets(defaults: dict, store: str) -> None:
    """Keep the widgets' current values under ``store`` for the next visit of the page."""
    saved = st.session_state.setdefault(store, {})
    for k in defaults:
        saved[k] = st.session_state[k]


def get_data(cfg: Config):
    """``(X_train, Y_train, X_test, Y_test)`` for the config (cached)."""
    if cfg.dataset == C.UPLOAD and "upload_data" in st.session_state:
        X, Y = st.session_state["upload_data"]
        extra = st.session_state.get("user_points")
        if extra is not None:
            X, Y = np.hstack([X, extra[0]]), np.hstack([Y, extra[1]])
        return train_test_split(X, Y, cfg.test_fraction, cfg.data_seed)
    data = generated_split(cfg.dataset, cfg.n_samples, cfg.noise, cfg.data_seed, cfg.test_fraction)
    extra = st.session_state.get("user_points")
    if extra is not None and extra[0].shape[1]:
        Xtr, Ytr, Xte, Yte = data
        return np.hstack([Xtr, extra[0]]), np.hstack([Ytr, extra[1]]), Xte, Yte
    return data


def get_trainer(cfg: Config, *, key: str = "trainer") -> Trainer:
    """The session's Trainer for this config: rebuilt (and so reset) when the data or the
    network change, kept (with α updated) otherwise."""
    ss = st.session_state
    n_user = 0 if ss.get("user_points") is None else ss["user_points"][0].shape[1]
    token = (cfg.data_key(), cfg.network_key(), cfg.regularization, cfg.lambd, cfg.schedule,
             cfg.decay_rate, cfg.decay_steps, n_user, ss.get("upload_token"))
    t: Trainer | None = ss.get(key)
    if t is None or ss.get(key + "_token") != token:
        if t is not None and ss.get(key + "_token", (None,))[:2] != token[:2]:
            ss[key + "_reset_note"] = "The data or the architecture changed: training was reset."
        t = trainer_from_config(cfg, *get_data(cfg), dtype=LIVE_DTYPE)
        ss[key] = t
        ss[key + "_token"] = token
        ss["playing"] = False
    if t.learning_rate != cfg.alpha:
        t.set_learning_rate(cfg.alpha)
    return t


# ---- play ----------------------------------------------------------------------------
#
# Heavy parts take turns: ``paced(live_view)`` wraps the Playground's fragment (and
# ``paced(tab)`` the open tab) so that each first waits for its session's fair turn in the
# process-wide pacer (``playground.pacing``), and ``iterations_for_frame`` trains only what
# the pacer allows when many students play at once. NN_PLAYGROUND_PACING=off turns it off (for
# comparisons); ``slots=2,headroom=0.2`` style values tune it.


def _pacer_from_env(value: str | None) -> FramePacer | None:
    value = (value or "on").strip().lower()
    if value in ("off", "0", "no", "false"):
        return None
    opts: dict[str, float] = {}
    if value not in ("on", "1", "yes", "true"):
        for part in value.split(","):
            k, _, v = part.partition("=")
            if k.strip() in ("slots", "headroom", "min_fps", "half_life", "gain"):
                opts[k.strip()] = float(v)
    if "slots" in opts:
        opts["slots"] = int(opts["slots"])
    return FramePacer(**opts)


@st.cache_resource(show_spinner=False)
def _process_pacer(setting: str | None) -> FramePacer | None:
    """One pacer for the whole process. Held by Streamlit's resource cache, not by this
    module, so that it survives the module being re-imported (file watcher)."""
    return _pacer_from_env(setting)


def pacer() -> FramePacer | None:
    """The process-wide pacer, or None when NN_PLAYGROUND_PACING=off."""
    return _process_pacer(os.environ.get("NN_PLAYGROUND_PACING"))


_turn = threading.local()  # the frame's Grant and its training seconds, per script thread


def _session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"


def _stop_or_rerun_check():
    """Streamlit's own test for "this run should end" (Pause, Stop, page change): it
    raises the exception that ends the run. None if this Streamlit does not have it."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import (
            get_run_yield_check,
        )
    except ImportError:  # pragma: no cover - other Streamlit versions
        return None
    return get_run_yield_check()


def paced(fn):
    """Wrap a heavy part of the page (the live fragment, the open tab) so that it waits for
    its fair turn among all the sessions of this process and is charged the CPU time it
    used. A live frame (a fragment run) waits behind clicks (full runs) and behind
    sessions that used less of the server; nested calls pass straight through."""

    @functools.wraps(fn)
    def turn(*args, **kwargs):
        p = pacer()
        if p is None or getattr(_turn, "grant", None) is not None:
            return fn(*args, **kwargs)
        ctx = get_script_run_ctx()
        frame = bool(ctx is not None and ctx.fragment_ids_this_run)
        session = _session_id()
        grant = p.acquire(session, check=_stop_or_rerun_check(), priority=0 if frame else 1,
                          max_wait=10 * FRAME_SECONDS + 8)
        if frame:
            grant.budget = p.training_budget(session, FRAME_BUDGET)
        _turn.grant, _turn.training = grant, 0.0
        t0 = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            p.release(grant, cpu=time.thread_time() - t0, training=_turn.training)
            _turn.grant = None

    return turn


def iterations_for_frame(trainer: Trainer, speed: str) -> int:
    """How many iterations one frame of Play trains: the speed's rate × the frame time,
    capped so that training takes at most FRAME_BUDGET seconds of the frame, or less when
    the pacer says the server is shared by many (see ``paced``)."""
    per_it = trainer.seconds_per_iteration
    if not np.isfinite(per_it) or per_it <= 0:
        per_it = 2e-4
    grant = getattr(_turn, "grant", None)
    seconds = FRAME_BUDGET if grant is None else min(FRAME_BUDGET, grant.budget)
    budget = max(1, int(seconds / per_it))
    rate = SPEED_RATES.get(speed)
    if rate is None:
        return budget
    # The speed is a rate in iterations per second: a frame trains for the time that has
    # really passed since the last one (frames come later than FRAME_SECONDS when the
    # browser or the server is busy), up to a second's worth.
    now = time.perf_counter()
    last = st.session_state.get("_last_frame_at")
    st.session_state["_last_frame_at"] = now
    elapsed = FRAME_SECONDS if last is None else min(max(now - last, FRAME_SECONDS), 1.0)
    return max(1, min(budget, int(rate * elapsed)))


def train_frame(trainer: Trainer, cfg: Config, n: int) -> None:
    """Train one frame and stop playing on divergence or a stop condition."""
    t0 = time.perf_counter()
    c0 = time.thread_time()
    trainer.step(n, stop_cost=cfg.stop_cost, stop_iterations=cfg.stop_iterations)
    st.session_state["frame_seconds"] = time.perf_counter() - t0
    if getattr(_turn, "grant", None) is not None:
        _turn.training += time.thread_time() - c0
    if trainer.diverged or trainer.stopped_reason:
        st.session_state["playing"] = False


def status_badge(trainer: Trainer) -> None:
    if trainer.diverged:
        st.badge("diverged", icon=":material/warning:", color="red")
    elif st.session_state.get("playing"):
        st.badge("training", icon=":material/play_arrow:", color="green")
    elif trainer.iteration == 0:
        st.badge("ready", icon=":material/radio_button_unchecked:", color="gray")
    else:
        st.badge("paused", icon=":material/pause:", color="blue")


def divergence_message(trainer: Trainer) -> str:
    return (f"Training diverged at iteration {trainer.diverged_at:,}: {trainer.diverged_reason}, "
            f"so the steps overshoot instead of going downhill. Showing the last good state "
            f"(iteration {trainer.iteration:,}). Try a smaller learning rate α, then Reset.")
