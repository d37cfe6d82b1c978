"""Streamlit helpers shared by the pages: the one module of ``playground`` that imports
Streamlit.

It keeps the experiment's ``Config`` in session state, in step with the sidebar widgets
and the URL; builds the data (cached) and the ``Trainer`` (reset when the data or the
architecture change); and draws the controls every page shares. The math lives elsewhere.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from dataclasses import replace

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground.core import text as fmt
from playground.core.datasets import (
    DATASETS,
    MAX_ROWS,
    MIN_ROWS,
    DatasetError,
    load_csv,
    make_dataset,
    sample_csv,
    train_test_split,
)
from playground.core.diagnostics import Grid, make_grid
from playground.core.features import FEATURES
from playground.core.nn import ACTIVATIONS, INITIALIZATIONS
from playground.engine.trainer import FrameRing, Trainer, trainer_from_config
from playground.lab import config as C
from playground.lab import course
from playground.lab.config import Config
from playground.ui import live_chart as ui_chart
from playground.ui.pacing import FramePacer

LIVE_DTYPE = np.float32  # the live page trains in float32: same curves, faster
FRAME_SECONDS = 0.2  # Play redraws 5 times a second
FRAME_BUDGET = 0.09  # seconds of training per frame at "fast"
FRAME_CHUNK_SECONDS = 0.02  # a frame's training looks for Pause this often
# Play is driven by the browser: a frame trains only once the browser has drawn the one
# before (its live charts report the frame they drew, see ``start_frame``). Without that
# report for ACK_TIMEOUT seconds (a report lost; a browser that takes longer to draw a frame
# only waits), a frame trains anyway; the fragment's auto-rerun comes every ACK_HEARTBEAT
# seconds as a safety net.
ACK_TIMEOUT = 3.0
ACK_HEARTBEAT = 1.5
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

# ---- configuration, widgets and URL ------------------------------------------------------

_CFG = "config"
_URL = "url_synced"
_NOTICES = "config_notices"
_PENDING = "config_pending"  # a config set after the widgets were drawn: seeded next run
_SCALES = "init_scales"  # the remembered scale of random × scale and c of constant c
_ALPHAS = "extra_alphas"  # α values a link or a file carried that ALPHAS does not list
_LIFTED = "lifted_stops"  # stop conditions reached and lifted: {field: (value, source)}


def _scale_memory() -> dict[str, float]:
    """The scale of "random × scale" and the c of "constant c", each remembered on its
    own: switching to Xavier and back must not lose (or zero) either."""
    return st.session_state.setdefault(
        _SCALES, {m: INITIALIZATIONS[m].default_scale for m in C.SCALED_INITS})


def _widget_values(cfg: Config) -> dict:
    """The session-state values of the sidebar widgets for a config."""
    scales = _scale_memory()
    v = {
        "w_course": cfg.course, "w_dataset": cfg.dataset, "w_n_samples": cfg.n_samples,
        "w_noise": cfg.noise,
        "w_test_fraction": cfg.test_fraction, "w_data_seed": cfg.data_seed,
        "w_layers": len(cfg.hidden), "w_init": cfg.init,
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
    for m in C.SCALED_INITS:
        v[f"w_scale_{m}"] = float(scales[m])
    for i in range(C.MAX_HIDDEN_LAYERS):
        v[f"w_units_{i}"] = cfg.hidden[i] if i < len(cfg.hidden) else (
            cfg.hidden[-1] if cfg.hidden else 4)
        v[f"w_act_{i}"] = cfg.activations[i] if i < len(cfg.activations) else (
            cfg.activations[-1] if cfg.activations else "tanh")
    return v


def _adopt(cfg: Config) -> None:
    """Remember what a config brings from outside (a link, a file, a lesson): its scale
    for its initialization, and an α the slider does not list."""
    if cfg.uses_scale:
        _scale_memory()[cfg.init] = float(cfg.init_scale)
    if cfg.alpha not in ALPHAS:
        extra = st.session_state.setdefault(_ALPHAS, [])
        if cfg.alpha not in extra:
            extra.append(cfg.alpha)


def _seed_widgets(cfg: Config, *, force: bool) -> None:
    """Put the config's values into the widgets' keys. Only before the widgets are drawn
    in this run (Streamlit refuses a key written after): see ``set_config``."""
    for k, val in _widget_values(cfg).items():
        if force or k not in st.session_state:
            st.session_state[k] = val


def _query_dict() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params.keys()}


def current_config() -> Config:
    """The experiment's Config. A URL that differs from the last one this session wrote
    (a shared link, a lesson) is parsed and takes over, with notices for bad values; a
    config set by ``set_config`` in the last run reaches the widgets here, before they
    are drawn."""
    ss = st.session_state
    query = _query_dict()
    if _CFG not in ss or query != ss.get(_URL):
        if query or _CFG not in ss:
            cfg, notices = C.from_query(query)
            if cfg.dataset == C.UPLOAD and "upload_data" not in ss:
                notices.append("the link names an uploaded CSV, which a link cannot carry: "
                               "showing the flower instead")
                cfg = replace(cfg, dataset="flower")
            ss[_CFG] = cfg
            ss[_NOTICES] = notices
            ss[_PENDING] = True
            ss.pop(_LIFTED, None)  # a new experiment brings its own stops
            _adopt(cfg)
    if ss.pop(_PENDING, False):
        _seed_widgets(ss[_CFG], force=True)
    _lift_reached_stop()
    for k in _PAGE_WIDGETS:
        ss.setdefault(k, _widget_values(ss[_CFG])[k])
    return ss[_CFG]


def set_config(cfg: Config, *, note: str = "") -> None:
    """Make ``cfg`` current. Safe anywhere: in a callback, or in the script after the
    widgets were drawn (then call ``st.rerun()``): the widgets take its values at the top
    of the next run, before they are drawn. ``note`` says why, if training resets."""
    ss = st.session_state
    if _CFG not in ss or C.reset_changes(ss[_CFG], cfg):
        ss.pop(_LIFTED, None)  # a new experiment brings its own stops
    ss[_CFG] = cfg
    ss[_PENDING] = True
    _adopt(cfg)
    if note:
        ss["config_change_note"] = note


def config_now() -> Config:
    """The current Config, for callbacks (they run before the page's own ``cfg``)."""
    return st.session_state[_CFG]


def _lift_reached_stop() -> None:
    """A stop condition the trainer reached (a lesson's "stop after 10,000 iterations")
    is lifted for the rest of this run, so that Play and Step continue past it; the badge
    and ``stop_hint`` say so, and Reset puts the stop back (``restore_stops``)."""
    ss = st.session_state
    t: Trainer | None = ss.get("trainer")
    cfg: Config = ss[_CFG]
    if t is None or not t.stopped_reason or t.diverged:
        return
    lifted = ss.setdefault(_LIFTED, {})
    if cfg.stop_iterations and t.iteration >= cfg.stop_iterations:
        field, value = "stop_iterations", cfg.stop_iterations
    elif cfg.stop_cost and t.stopped_reason.startswith("the cost"):
        field, value = "stop_cost", cfg.stop_cost
    else:
        return
    source = "the lesson's stop" if _is_lesson_stop(cfg, field) else "your stop"
    lifted[field] = (value, source)
    ss[_CFG] = cfg = replace(cfg, **{field: type(value)(0)})
    ss[f"w_{field}"] = getattr(cfg, field)  # before the widget is drawn in this run


def _is_lesson_stop(cfg: Config, field: str) -> bool:
    """Whether the stop is the one a lesson set: some lesson's config has the same data,
    network and stop."""
    from playground.lab.lessons import LESSONS  # lessons import the core only, not ui

    value = getattr(cfg, field)
    return any(v.config.data_key() == cfg.data_key()
               and v.config.network_key() == cfg.network_key()
               and getattr(v.config, field) == value
               for lesson in LESSONS for v in lesson.variants)


def lifted_stop(field: str = "stop_iterations") -> tuple | None:
    """``(value, source)`` of a stop that was reached and lifted in this run, or None."""
    return (st.session_state.get(_LIFTED) or {}).get(field)


def stop_hint(trainer: Trainer) -> str:
    """What to do at a reached stop, said beside the badge that names it (in the page's
    flow: a toast would cover the run-control row under it): empty unless the trainer
    stopped on a stop that was lifted."""
    if trainer.diverged or not trainer.stopped_reason:
        return ""
    if not any(lifted_stop(f) for f in ("stop_iterations", "stop_cost")):
        return ""
    return "Play or Step continues past it (the stop is lifted for this run); Reset puts it back."


def restore_stops() -> None:
    """Reset: the stops lifted while training come back (call it in a callback)."""
    ss = st.session_state
    lifted = ss.pop(_LIFTED, None)
    if lifted and _CFG in ss:
        ss[_CFG] = replace(ss[_CFG], **{f: v for f, (v, _) in lifted.items()})
        ss[_PENDING] = True


def pop_notes() -> list[tuple[str, str]]:
    """The one-time messages of this run, as (text, icon): a reset and why, a setting that
    applies from the next iteration (a reached stop is said beside the badge instead: see
    ``stop_hint``)."""
    ss = st.session_state
    out = []
    for key, icon in (("trainer_reset_note", ":material/restart_alt:"),
                      ("trainer_live_note", ":material/tune:")):
        text = ss.pop(key, None)
        if text:
            out.append((text, icon))
    return out


def sync_url(cfg: Config) -> None:
    """Write the config into the URL (only the fields that differ from the defaults)."""
    query = cfg.to_query()
    # The pages' own parameters (?predict=off) are not the experiment's: they stay.
    query.update({k: v for k, v in _query_dict().items() if k in C.PAGE_PARAMS})
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
    changes: dict = {}
    # Every widget's key holds the config's value before it is drawn. Keys of widgets not
    # drawn in this run are removed at its end: a key that outlives its widget would make
    # the browser show the widget's default (0) when it comes back, and send that back.
    _seed_widgets(cfg, force=False)
    drawn = ss["_drawn_widgets"] = set()

    if not hidden(cfg, "data"):
        changes.update(_data_controls())
    if not hidden(cfg, "network"):
        changes.update(_network_controls())
    if not hidden(cfg, "features"):
        changes.update(_feature_controls(cfg))
    arch = " → ".join(str(n) for n in [len(changes.get("features", cfg.features)),
                                        *changes.get("hidden", cfg.hidden), 1])
    st.sidebar.markdown(f"**Architecture** `{arch}` · output σ")
    if not hidden(cfg, "initialization"):
        changes.update(_initialization_controls())
    if not hidden(cfg, "training"):
        changes.update(_training_controls(show_reg=not hidden(cfg, "regularization")))

    try:
        new = cfg.replace(**changes)
    except ValueError as e:
        st.sidebar.error(f"That setting is not valid: {e}")
        new = cfg
    st.session_state[_CFG] = new
    for k in _widget_values(new):
        if k not in drawn and k not in _PAGE_WIDGETS:
            ss.pop(k, None)
    return new


def _data_controls() -> dict:
    """The Data section (and the CSV upload); returns the config fields it sets."""
    ss = st.session_state
    sb = st.sidebar
    sb.subheader("Data", divider="gray")
    sb.selectbox("Course notebook", [course.NO_COURSE, *course.NOTEBOOKS], key=_k("w_course"),
                 on_change=_course_changed, format_func=_course_label,
                 help="Run an assignment's notebook as it is: its data, its initial weights "
                      "(np.random.seed, then randn), its network and α, in float64, full "
                      "batch. Next to the cost chart: the lines the notebook printed, "
                      "computed from this run.")
    notebook = ss["w_course"] != course.NO_COURSE  # its data: the widgets show, not set
    if notebook:
        sb.caption(f"The notebook's own data: {course.NOTEBOOKS[ss['w_course']].data}.")
    names = [*DATASETS, C.UPLOAD] if "upload_data" in ss else list(DATASETS)
    if ss.get("w_dataset") not in names:
        ss["w_dataset"] = "flower"
    sb.selectbox("Dataset", names, key=_k("w_dataset"), on_change=_dataset_changed,
                 format_func=lambda n: "your CSV" if n == C.UPLOAD else DATASETS[n].label,
                 disabled=notebook,
                 help="The toy 2-D problem: two classes of points in the (x₁, x₂) plane. "
                      "Changing the data resets training.")
    if ss["w_dataset"] == C.UPLOAD:
        sb.caption(f"Your CSV: {ss['upload_data'][0].shape[1]} points.")
    else:
        if not notebook:
            sb.caption(DATASETS[ss["w_dataset"]].description)
        sb.slider("Number of points m", *C.N_SAMPLES_RANGE, step=10, key=_k("w_n_samples"),
                  disabled=notebook, help="How many examples to generate (train + test).")
        sb.slider("Noise", *C.NOISE_RANGE, step=0.05, key=_k("w_noise"), disabled=notebook,
                  help="How much the classes blur into each other.")
        sb.number_input("Data seed", *C.SEED_RANGE, step=1, key=_k("w_data_seed"),
                        disabled=notebook, help="Same seed, same points.")
    sb.slider("Test fraction", *C.TEST_FRACTION_RANGE, step=0.05, key=_k("w_test_fraction"),
              disabled=notebook,
              help="Share of the points held out to measure generalization.")
    changes = dict(course=ss["w_course"], dataset=ss["w_dataset"], n_samples=ss["w_n_samples"],
                   noise=round(float(ss["w_noise"]), 4), data_seed=int(ss["w_data_seed"]),
                   test_fraction=round(float(ss["w_test_fraction"]), 4))
    upload_controls()
    return changes


def _network_controls() -> dict:
    """The Network section: hidden layers, their units and activations."""
    ss = st.session_state
    sb = st.sidebar
    sb.subheader("Network", divider="gray")
    sb.slider("Hidden layers", 0, C.MAX_HIDDEN_LAYERS, key=_k("w_layers"),
              help="0 hidden layers is logistic regression: ŷ = σ(W[1]·X + b[1]). "
                   "Changing the architecture resets training.")
    n_layers = ss["w_layers"]
    if n_layers == 0:
        sb.info("No hidden layer: this is logistic regression, a straight boundary.",
                icon=":material/linear_scale:")
    sb.checkbox("Same activation for all layers", key=_k("w_same_act"),
                on_change=_same_activation_changed)
    if ss["w_same_act"] and n_layers:
        sb.selectbox("Activation g of hidden layers", list(ACTIVATIONS), key=_k("w_act_all"),
                     format_func=ACTIVATION_LABELS.get,
                     help="The output layer is always the sigmoid σ (binary output).")
    units, acts = [], []
    for i in range(n_layers):
        cols = sb.columns([1, 1]) if not ss["w_same_act"] else (sb, None)
        cols[0].number_input(f"Units n[{i + 1}]", 1, C.MAX_UNITS, step=1,
                             key=_k(f"w_units_{i}"), help="Units in this hidden layer (1–16).")
        if not ss["w_same_act"]:
            cols[1].selectbox(f"g[{i + 1}]", list(ACTIVATIONS), key=_k(f"w_act_{i}"),
                              format_func=ACTIVATION_LABELS.get)
        units.append(int(ss[f"w_units_{i}"]))
        acts.append(ss["w_act_all"] if ss["w_same_act"] else ss[f"w_act_{i}"])
    return dict(hidden=tuple(units), activations=tuple(acts))


def _feature_controls(cfg: Config) -> dict:
    """The Input features expander."""
    ss = st.session_state
    with st.sidebar.expander("Input features", expanded=tuple(cfg.features) != ("x1", "x2")):
        st.multiselect("Features fed to the network", list(FEATURES), key=_k("w_features"),
                       format_func=lambda n: FEATURES[n].label,
                       help="n[0] is the number of selected features. x₁² and x₂² let "
                            "even logistic regression draw a circle.")
    feats = tuple(n for n in FEATURES if n in ss["w_features"]) or ("x1", "x2")
    return dict(features=feats)


def _initialization_controls() -> dict:
    """The Initialization section: the method, its scale (or c), the weight seed."""
    ss = st.session_state
    sb = st.sidebar
    sb.subheader("Initialization", divider="gray")
    sb.selectbox("Weights W[l]", list(INITIALIZATIONS), key=_k("w_init"),
                 format_func=INIT_LABELS.get,
                 help="Biases b[l] always start at 0. " + " ".join(
                     f"{m.label}: {m.description}" for m in INITIALIZATIONS.values()))
    scales = _scale_memory()
    init = ss["w_init"]
    if init in C.SCALED_INITS:
        # One widget (and one remembered value) per method: the scale of random and
        # the c of constant never overwrite each other, and survive Xavier or He.
        key = f"w_scale_{init}"
        sb.number_input("scale" if init == "random" else "c",
                        min_value=C.SCALE_RANGE[0], max_value=C.SCALE_RANGE[1],
                        step=0.01, format="%g", key=_k(key),
                        help="W = randn × scale (0.01 in the course)." if init == "random"
                        else "Every weight equals c (0.5 in the lesson).")
        scales[init] = float(ss[key])
    sb.number_input("Weight seed", *C.SEED_RANGE, step=1, key=_k("w_weight_seed"),
                    help="Same seed, same initial weights. Reset goes back to them.")
    # Xavier, He and zeros use no scale: the config keeps random's (the URL's default).
    return dict(init=init, init_scale=float(scales.get(init, scales["random"])),
                weight_seed=int(ss["w_weight_seed"]))


def _training_controls(show_reg: bool) -> dict:
    """The Training section: α, iterations per step, play speed, and the "More" expander
    (regularization if ``show_reg``, mini-batches, schedule, stop)."""
    ss = st.session_state
    sb = st.sidebar
    sb.subheader("Training", divider="gray")
    # A link's or a file's α the list lacks (0.5, say) joins the list: kept exactly.
    alphas = alpha_options(ss["w_alpha"])
    sb.select_slider("Learning rate α", alphas, key=_k("w_alpha"),
                     format_func=lambda a: f"{a:g}",
                     help="Step size of gradient descent: W := W − α·dW. Changing α "
                          "does not reset training.")
    sb.segmented_control("Iterations per step", C.STEPS_PER_CLICK,
                         key=_k("w_steps_per_click"), required=True,
                         help="How many iterations the Step button trains.")
    sb.segmented_control("Play speed", C.SPEEDS, key=_k("w_speed"), required=True,
                         format_func=lambda s: SPEED_LABELS[s].split(" (")[0],
                         help="; ".join(SPEED_LABELS.values()))
    changes = dict(alpha=float(ss["w_alpha"]),
                   steps_per_click=int(ss["w_steps_per_click"] or 10),
                   speed=ss["w_speed"] or "normal")
    more = ("More: regularization, mini-batches, schedule, stop" if show_reg
            else "More: mini-batches, schedule, stop")
    box = sb.expander(more, key="more_expander", on_change="rerun")
    if box.open:  # LAZY_EXPANDER
        with box:
            _more_training_controls(show_reg)
    if show_reg:
        changes.update(regularization=ss["w_regularization"], lambd=float(ss["w_lambd"]))
    changes.update(
        batch_size=int(ss["w_batch_size"]), schedule=ss["w_schedule"],
        decay_rate=float(ss["w_decay_rate"]), decay_steps=int(ss["w_decay_steps"]),
        stop_iterations=int(ss["w_stop_iterations"]), stop_cost=float(ss["w_stop_cost"]))
    return changes


def _more_training_controls(show_reg: bool) -> None:
    """The widgets inside the Training section's "More" expander."""
    ss = st.session_state
    st.caption("These apply from the next iteration: training goes on.")
    if show_reg:
        st.selectbox("Regularization", list(REG_LABELS), key=_k("w_regularization"),
                     help="L2 adds (λ/2m)·Σ‖W[l]‖² to J; L1 adds (λ/m)·Σ|W[l]|. "
                          "Biases are not regularized.")
        if ss["w_regularization"] != "none":
            st.number_input("λ", *C.LAMBDA_RANGE, step=0.01, format="%g",
                            key=_k("w_lambd"))
    st.number_input("Batch size (0 = full batch)", 0, 10_000, step=1,
                    key=_k("w_batch_size"),
                    help="Full batch is the course's gradient descent. A smaller "
                         "batch reshuffles the training set every epoch.")
    st.selectbox("Learning-rate schedule", list(SCHEDULE_LABELS), key=_k("w_schedule"),
                 format_func=SCHEDULE_LABELS.get)
    if ss["w_schedule"] != "constant":
        st.number_input("decay rate γ", 0.0, 10.0, step=0.05, key=_k("w_decay_rate"))
        st.number_input("decay steps s", 1, 1_000_000, step=100, key=_k("w_decay_steps"))
    st.number_input("Stop after iterations (0 = never)", 0, 10_000_000, step=100,
                    key=_k("w_stop_iterations"))
    st.number_input("Stop when cost J below (0 = never)", 0.0, 10.0, step=0.01,
                    format="%g", key=_k("w_stop_cost"))


_PAGE_WIDGETS = ("w_show_test", "w_discretize")  # drawn by the page, after the sidebar


def _k(key: str) -> str:
    """A sidebar widget's key, noted as drawn in this run (see ``sidebar_controls``)."""
    st.session_state["_drawn_widgets"].add(key)
    return key


def alpha_options(alpha: float | None = None) -> tuple[float, ...]:
    """The α slider's values: ALPHAS, and any α in range that a link, a file or a lesson
    brought (kept exactly, in order)."""
    extra = set(st.session_state.get(_ALPHAS, []))
    if alpha is not None and C.ALPHA_RANGE[0] <= alpha <= C.ALPHA_RANGE[1]:
        extra.add(float(alpha))
    return tuple(sorted(set(ALPHAS) | extra))


def _same_activation_changed() -> None:
    """Switching between one activation for all layers and one per layer keeps what the
    student sees: the common choice becomes every layer's, or the first layer's the common."""
    ss = st.session_state
    if ss.get("w_same_act"):
        ss["w_act_all"] = ss.get("w_act_0", ss.get("w_act_all", "tanh"))
    else:
        for i in range(C.MAX_HIDDEN_LAYERS):
            ss[f"w_act_{i}"] = ss.get("w_act_all", "tanh")


def _course_label(name: str) -> str:
    return ("off: the app's own data and weights" if name == course.NO_COURSE
            else course.NOTEBOOKS[name].label)


def _course_changed() -> None:
    """A course notebook brings its whole run: data, network, initialization, α and stop
    (the view settings stay); "off" keeps them, with the app's own data and weights."""
    name = st.session_state.get("w_course", course.NO_COURSE)
    old = config_now()
    if name == course.NO_COURSE:
        new = C.with_changes(old, course=name)
    else:
        new = C.with_changes(old, course=name, **course.notebook_settings(name),
                             **course.VIEW)
        # Its "random" is the notebook's: × 0.01, or × 10 in the initialization assignment.
        _scale_memory()["random"] = course.NOTEBOOKS[name].random_scale
    set_config(new, note=f"Course notebook: {_course_label(name)}.")


def _dataset_changed() -> None:
    """A new dataset brings its own natural noise level."""
    name = st.session_state.get("w_dataset")
    if name in DATASETS:
        st.session_state["w_noise"] = float(min(DATASETS[name].noise, C.NOISE_RANGE[1]))


def upload_controls() -> None:
    """Upload a CSV of two features and a 0/1 label; a bad file keeps the previous data."""
    box = st.sidebar.expander("Upload your own CSV", key="upload_expander", on_change="rerun")
    if not box.open:  # LAZY_EXPANDER
        return
    with box:
        st.markdown("Three columns: **x1, x2, label** (label 0 or 1), header optional, "
                    f"{MIN_ROWS} to {MAX_ROWS:,} rows.")
        st.download_button("Sample CSV", sample_csv, "sample.csv", "text/csv",
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


@st.cache_data(max_entries=4, show_spinner=False)
def notebook_split(name: str):
    """``(X_train, Y_train, X_test, Y_test)`` of a course notebook, as it loads them."""
    return course.notebook_data(name)


@st.cache_data(max_entries=64, show_spinner=False)
def generated_split(name: str, n_samples: int, noise: float | None, seed: int,
                    test_fraction: float):
    """``(X_train, Y_train, X_test, Y_test)`` of a generated dataset (cached; noise None:
    the dataset's own)."""
    X, Y = make_dataset(name, n_samples, noise, seed)
    return train_test_split(X, Y, test_fraction, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_grid(X_all: np.ndarray, resolution: int, dtype: str = "float32") -> Grid:
    """The square grid around the points ``X_all`` (2, m) on which the pages evaluate ŷ
    and the units (``diagnostics.make_grid``), cached for every page and session: the
    same data and resolution give the same grid. ``dtype`` by name (``"float32"``)."""
    return make_grid(X_all, resolution, dtype=np.dtype(dtype).type)


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
    if cfg.course != course.NO_COURSE:
        data = notebook_split(cfg.course)
    elif cfg.dataset == C.UPLOAD and "upload_data" in st.session_state:
        X, Y = st.session_state["upload_data"]
        data = train_test_split(X, Y, cfg.test_fraction, cfg.data_seed)
    else:
        data = generated_split(cfg.dataset, cfg.n_samples, cfg.noise, cfg.data_seed,
                               cfg.test_fraction)
    # Your points are training points (the tab says so), on a CSV as on generated data:
    # added after the split, never drawn into the test set.
    extra = st.session_state.get("user_points")
    if extra is not None and extra[0].shape[1]:
        Xtr, Ytr, Xte, Yte = data
        return np.hstack([Xtr, extra[0]]), np.hstack([Ytr, extra[1]]), Xte, Yte
    return data


def get_trainer(cfg: Config, *, key: str = "trainer") -> Trainer:
    """The session's Trainer for this config: rebuilt (and so reset, with a note that says
    what changed and why) when the data or the initial weights change; otherwise kept,
    with α, the regularization, the schedule and the batch size applied from its next
    iteration on."""
    ss = st.session_state
    n_user = 0 if ss.get("user_points") is None else ss["user_points"][0].shape[1]
    token = (cfg.data_key(), cfg.network_key(), n_user, ss.get("upload_token"))
    t: Trainer | None = ss.get(key)
    old: Config | None = ss.get(key + "_config")
    why = ss.pop("config_change_note", "")
    if t is None or ss.get(key + "_token") != token:
        if t is not None:
            ss[key + "_reset_note"] = reset_note(old, cfg, t.iteration, why, token,
                                                 ss.get(key + "_token"))
        t = (course.course_trainer(cfg, *get_data(cfg)) if cfg.course != course.NO_COURSE
             else trainer_from_config(cfg, *get_data(cfg), dtype=LIVE_DTYPE))
        ss[key] = t
        ss[key + "_token"] = token
        ss["playing"] = False
    else:
        applied = _apply_live_settings(t, cfg)
        if applied and t.iteration:
            shown = ", ".join(f"{C.FIELD_LABELS[f]} → " + (
                "full batch" if f == "batch_size" and not cfg.batch_size
                else _shown(getattr(cfg, f))) for f in applied)
            ss[key + "_live_note"] = (f"From iteration {t.iteration:,} on: {shown}. "
                                      "Training goes on, nothing was reset.")
    ss[key + "_config"] = cfg
    return t


def _apply_live_settings(t: Trainer, cfg: Config) -> list[str]:
    """Give the running trainer the settings it can take as they are; returns the config
    fields that changed (stop conditions are read at every step, nothing to set)."""
    applied = []
    if t.learning_rate != cfg.alpha:
        t.set_learning_rate(cfg.alpha)
        applied.append("alpha")
    if (t.regularization, t.lambd) != (cfg.regularization, cfg.lambd):
        applied += [f for f, a, b in (("regularization", t.regularization, cfg.regularization),
                                      ("lambd", t.lambd, cfg.lambd)) if a != b]
        t.set_regularization(cfg.regularization, cfg.lambd)
    if (t.schedule, t.decay_rate, t.decay_steps) != (cfg.schedule, cfg.decay_rate,
                                                     cfg.decay_steps):
        applied += [f for f, a, b in (("schedule", t.schedule, cfg.schedule),
                                      ("decay_rate", t.decay_rate, cfg.decay_rate),
                                      ("decay_steps", t.decay_steps, cfg.decay_steps))
                    if a != b]
        t.set_schedule(cfg.schedule, cfg.decay_rate, cfg.decay_steps)
    wanted = t.m if not cfg.batch_size or cfg.batch_size >= t.m else cfg.batch_size
    if t.batch_size != wanted:
        t.set_batch_size(cfg.batch_size)
        applied.append("batch_size")
    return applied


def _shown(v) -> str:
    if isinstance(v, str):
        return SCHEDULE_LABELS.get(v, REG_LABELS.get(v, v))
    if isinstance(v, int) and v == 0:
        return "0 (off)"
    return fmt.count(v) if isinstance(v, int) else f"{v:g}"


def _names(fields: list[str]) -> str:
    labels = [C.FIELD_LABELS[f] for f in fields]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def reset_note(old: Config | None, new: Config, iteration: int, why: str = "",
               token: tuple = (), old_token: tuple | None = None) -> str:
    """What a reset says: which setting changed, and why that needs new initial weights
    (new data, or another network or initialization)."""
    fields = C.reset_changes(old, new) if old is not None else []
    if "course" in fields:  # a notebook brings its data and network: one name says it
        fields = ["course"]
    lost = f" (it was at iteration {iteration:,})" if iteration else ""
    if fields:
        what = _names(fields)
        if any(f in C.DATA_FIELDS for f in fields):
            reason = "the weights were trained on the old data"
        elif fields == ["init"]:
            reason = (f"{INIT_LABELS[old.init]} → {INIT_LABELS[new.init]} draws new "
                      "initial weights")
        else:
            reason = "the network starts again from its new initial weights"
        text = f"{what[0].upper()}{what[1:]} changed: training was reset to iteration 0{lost}, " \
               f"because {reason}."
    elif old_token is not None and token[2:3] != old_token[2:3]:
        text = f"Your points changed the data: training was reset to iteration 0{lost}."
    elif old_token is not None and token[3:] != old_token[3:]:
        text = f"Your CSV is the new data: training was reset to iteration 0{lost}."
    else:
        text = f"Training restarts at iteration 0{lost}."
    return f"{why} {text}" if why else text


# ---- play ----------------------------------------------------------------------------
#
# Heavy parts take turns: ``paced`` wraps the live fragment of every page that plays
# (``playground.ui.live.LiveLoop.run``) and the Playground's open tab, so that each first
# waits for its session's fair turn in the process-wide pacer (``playground.ui.pacing``),
# and a frame trains only what the pacer allows when many students play at once
# (``frame_training_seconds``). NN_PLAYGROUND_PACING=off turns it off (for
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
        if getattr(_turn, "grant", None) is not None or getattr(_turn, "undo", None) is not None:
            return fn(*args, **kwargs)  # nested
        _wait_for_frame_time()
        if p is None:
            try:
                return _undo_unless_shown(fn, args, kwargs)
            finally:
                _frame_sent()
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
            # (the undo comes first: the next turn, maybe the click's run, sees its result)
            return _undo_unless_shown(fn, args, kwargs)
        finally:
            _frame_sent()
            p.release(grant, cpu=time.thread_time() - t0, training=_turn.training,
                      browser_bound=bool(getattr(_turn, "browser_bound", False)))
            _turn.grant, _turn.browser_bound = None, False

    return turn


# A frame of Play that Streamlit stops after it trained but before it showed the new
# iteration (Pause: with fast reruns the run of the click starts while this frame still
# runs, and the frame ends at its next Streamlit call) goes back to where it started: the
# browser never saw those iterations, so Pause keeps the state the student saw when
# clicking. ``frame_checkpoint`` (before training) and ``frame_shown`` (once the iteration
# is on the page) mark the frame; ``paced`` undoes it.


def frame_checkpoint(*trainers: Trainer) -> None:
    """Before a frame of Play trains ``trainers``: remember where they start."""
    if getattr(_turn, "undo", None) is not None:
        _turn.undo = [[t, t.checkpoint(), None] for t in trainers]


def frame_shown() -> None:
    """The frame's new state is on the page (or will be drawn by a rerun it asked for):
    a stop from now on keeps it."""
    if getattr(_turn, "undo", None):
        _turn.undo = []


def _note_frame_end() -> None:
    """After a frame's training: the state it reached, so that the undo leaves alone a
    trainer that something else changed meanwhile (a Step or Reset click's callback runs
    in the new run's thread)."""
    for entry in getattr(_turn, "undo", None) or ():
        entry[2] = (entry[0].iteration, entry[0].parameters)


def _undo_unless_shown(fn, args, kwargs):
    _turn.undo = []
    try:
        return fn(*args, **kwargs)
    except BaseException:
        for t, checkpoint, end in _turn.undo or ():
            if end is not None and end == (t.iteration, t.parameters):
                t.restore(checkpoint)
        raise
    finally:
        _turn.undo = None


def frame_training_seconds() -> float:
    """Seconds of training one frame of Play may use: FRAME_BUDGET, or less when the
    pacer says the server is shared by many (see ``paced``). The live loop's trainees
    size their frames by it (``playground.ui.live``)."""
    grant = getattr(_turn, "grant", None)
    return FRAME_BUDGET if grant is None else min(FRAME_BUDGET, grant.budget)


_STREAMLIT_CHECK = object()


def train_in_chunks(step, n: int, seconds_per_iteration: float, *, playing,
                    check=_STREAMLIT_CHECK, lock=None) -> int:
    """Train ``n`` iterations of one frame of Play with ``step(k)`` (returns the
    iterations it did) in chunks of about FRAME_CHUNK_SECONDS, so that Pause ends the
    frame within a chunk. Before each chunk: ``check()``, Streamlit's stop test, raises
    once the run of a click has started (with fast reruns that run starts in another
    thread while this frame still trains: the frame must not train on after the click),
    and ``playing()`` turns False once Pause's callback has run (``check`` defaults to
    Streamlit's test of the running script; None: no test). A step that does fewer
    than it was asked (divergence, a stop condition) ends the frame too. Every chunk is
    a whole ``step``: what Streamlit interrupts is never half a step. ``lock`` (the
    page's ``FrameRing.lock``) is held around each chunk's test and step, so that Pause's
    callback, which takes it too, finds the trainers between two chunks. Returns the
    iterations done."""
    if check is _STREAMLIT_CHECK:
        check = _stop_or_rerun_check()
    per_it = seconds_per_iteration
    if not np.isfinite(per_it) or per_it <= 0:
        per_it = 2e-4
    chunk = max(1, int(FRAME_CHUNK_SECONDS / per_it))
    done = 0
    c0 = time.thread_time()
    try:
        while done < n:
            with lock if lock is not None else contextlib.nullcontext():
                if check is not None:
                    check()
                if not playing():
                    break
                k = min(chunk, n - done)
                did = step(k)
            done += did
            if did < k:
                break
    finally:
        _note_frame_end()
        if getattr(_turn, "grant", None) is not None:
            _turn.training += time.thread_time() - c0
    return done


# ---- Pause where the student saw it ---------------------------------------------------
#
# While playing, the browser is behind the server: it draws the charts of a frame after it
# received them. Each run that plays sends a frame (``send_frame``: a serial number, and
# the trainers' checkpoints in the page's ``FrameRing``); the page's live charts report the
# serial of the frame they have all drawn (``ui_chart.live_chart(frame=, group=)``, a
# component state). Two uses:
#
# * a frame trains only once the browser drew the frame before (``start_frame``): the
#   server never races ahead of what students see, and a busy browser or server gets
#   fewer frames instead of a backlog;
# * Pause (``pause_at_drawn``, in the click's callback) puts the trainers back to the
#   frame the browser last drew: the page stops where the student pressed Pause.


def frame_ring(name: str) -> FrameRing:
    """The page's chain of frames sent while playing (kept in the session)."""
    ss = st.session_state
    key = f"_frame_ring_{name}"
    if not isinstance(ss.get(key), FrameRing):
        ss[key] = FrameRing()
    return ss[key]


def new_frame_serial() -> int:
    """A frame's serial: increasing within the session, and milliseconds of the wall clock
    so that it keeps increasing for a browser tab whose session was renewed (the tab
    remembers the largest serial it reported)."""
    ss = st.session_state
    serial = max(int(time.time() * 1000), int(ss.get("_frame_serial", 0)) + 1)
    ss["_frame_serial"] = serial
    return serial


def drawn_frame(keys) -> int | None:
    """The newest frame that the browser has drawn in every live chart of ``keys`` (the
    charts' reported state), or None when none reported."""
    best = None
    for key in keys:
        try:
            value = st.session_state[key]["drawn"]
        except (KeyError, TypeError, AttributeError):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            best = int(value) if best is None else max(best, int(value))
    return best


def start_frame(ring: FrameRing, keys) -> bool:
    """Whether this run of a playing page trains a new frame: yes once the browser drew
    the frame sent last (or none was sent since Play, or the charts cannot report, or
    none came for ACK_TIMEOUT seconds). No: the run shows the same state again."""
    now = time.monotonic()
    ready = (ring.sent is None or not ui_chart.reports_drawn()
             or (drawn_frame(keys) or 0) >= ring.sent
             or now - ring.sent_at >= ACK_TIMEOUT)
    # The pacer scales training by the frame rates sessions get: a rate set by a browser
    # that draws slowly says nothing about the server (``paced``).
    _turn.browser_bound = not ready or (ring.sent is not None
                                        and now - ring.sent_at > FRAME_SECONDS)
    if ready:
        st.session_state["_next_frame_at"] = now + FRAME_SECONDS
    return ready


def send_frame(ring: FrameRing, trainers) -> int:
    """The trained frame is about to be drawn: its serial, with the trainers' checkpoints
    kept in ``ring``. Pass the serial to the live charts (``frame=``)."""
    serial = new_frame_serial()
    ring.push(serial, trainers)
    _turn.sent_ring = ring  # ``paced`` dates the frame when the run has sent it all
    return serial


def _frame_sent() -> None:
    """End of a run of ``paced``: a frame it sent (``send_frame``) is dated now, when all
    its charts are on their way, so that waiting for the browser counts from there."""
    ring = getattr(_turn, "sent_ring", None)
    _turn.sent_ring = None
    if ring is not None:
        ring.sent_at = time.monotonic()


def play_rerun_every(playing: bool) -> float | None:
    """The live fragment's ``run_every``: while playing, frames follow the charts' reports
    (with a heartbeat); where charts cannot report, every FRAME_SECONDS."""
    if not playing:
        return None
    return ACK_HEARTBEAT if ui_chart.reports_drawn() else FRAME_SECONDS


def _wait_for_frame_time() -> None:
    """Before a fragment run: frames come at most every FRAME_SECONDS (a browser that
    draws fast reports sooner). Waits in slices that end at a click (Streamlit's stop
    test)."""
    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run:
        return
    check = _stop_or_rerun_check()
    until = float(st.session_state.get("_next_frame_at", 0.0))
    while (left := until - time.monotonic()) > 0:
        if check is not None:
            check()
        time.sleep(min(left, 0.01))


def pause_at_drawn(ring: FrameRing, keys, playing_key: str) -> int | None:
    """Pause's callback: stop playing and put the trainers back to the frame the browser
    drew last. Returns the iteration it went back to, or None when it stayed (nothing
    drawn was kept, or a click other than Play moved the trainers since)."""
    with ring.lock:  # between two chunks of a frame that may still be training
        st.session_state[playing_key] = False
        return ring.rewind(drawn_frame(keys))


def play_started(ring: FrameRing) -> None:
    """Play's callback: the first frame trains at once."""
    with ring.lock:
        ring.sent = None
    st.session_state.pop("_next_frame_at", None)


def stop_label(trainer: Trainer) -> str:
    """What the badge says when training stopped on a stop condition, e.g. "stopped at
    10,000 (the lesson's stop)"; empty when it did not."""
    if not trainer.stopped_reason:
        return ""
    for field in ("stop_iterations", "stop_cost"):
        lifted = lifted_stop(field)
        if lifted:
            value, source = lifted
            if field == "stop_iterations" and trainer.iteration >= value:
                return f"stopped at {value:,} ({source})"
            if field == "stop_cost" and trainer.stopped_reason.startswith("the cost"):
                return f"stopped: J below {value:g} ({source})"
    return f"stopped: {trainer.stopped_reason}"


# On a narrow screen (a phone) the page is one column: the charts a student scrolls down
# to watch while playing would take Pause out of view. The run-control row (a container
# keyed "run_controls", in the wrapper Streamlit puts around it) sticks under Streamlit's
# header instead, on an opaque background.
RUN_CONTROLS_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stLayoutWrapper"]:has(> .st-key-run_controls) {
    position: sticky; top: 3.75rem; z-index: 99;
    background: var(--st-background-color, #ffffff);
    padding: 0.375rem 0; box-shadow: 0 6px 6px -6px rgba(0, 0, 0, 0.25);
  }
}
</style>"""


def sticky_run_controls() -> None:
    """Make the page's run-control row (``st.container(key="run_controls")``) stay on
    screen on a phone (see RUN_CONTROLS_CSS)."""
    st.html(RUN_CONTROLS_CSS)


def status_badge(playing: bool, iteration: int, *, diverged: bool = False,
                 stopped: str = "") -> None:
    """The status of a page that plays, as one badge: diverged, training, the stop reached
    (``stop_label``), ready (iteration 0) or paused. Shared by the pages that play (see
    ``playground.ui.live.LiveFrame.badge``)."""
    if diverged:
        st.badge("diverged", icon=":material/warning:", color="red")
    elif playing:
        st.badge("training", icon=":material/play_arrow:", color="green")
    elif stopped:
        st.badge(stopped, icon=":material/flag:", color="orange")
    elif iteration == 0:
        st.badge("ready", icon=":material/radio_button_unchecked:", color="gray")
    else:
        st.badge("paused", icon=":material/pause:", color="blue")


def divergence_message(trainer: Trainer) -> str:
    return (f"Training diverged at iteration {trainer.diverged_at:,}: {trainer.diverged_reason}, "
            f"so the steps overshoot instead of going downhill. Showing the last good state "
            f"(iteration {trainer.iteration:,}). Try a smaller learning rate α, then Reset.")
