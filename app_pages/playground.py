"""Playground: build a network, train it live, watch it learn."""

import io
import json

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from playground.core import text as fmt
from playground.core.diagnostics import (
    DISTINCT_TOL,
    distinct_units_lines,
    grid_activations,
)
from playground.core.features import FEATURES
from playground.core.nn import ACTIVATIONS
from playground.engine.trainer import learning_rate_at
from playground.figures import alt_text as figures_alt
from playground.figures.activations import make_activations_at_work_figure
from playground.figures.boundary import decision_boundary_spec
from playground.figures.matrix import make_confusion_figure
from playground.figures.network import make_network_figure
from playground.figures.series import cost_spec, make_series_figure
from playground.figures.units import make_unit_figure, make_unit_maps_figure
from playground.lab import config as C
from playground.lab.config import from_json
from playground.ui import click_plane as ui_click
from playground.ui import course as ui_course
from playground.ui import landscape_view as ui_landscape
from playground.ui import live_chart as ui_chart
from playground.ui import notebook as ui_notebook
from playground.ui import predict as ui_predict
from playground.ui import session as ui
from playground.ui import style as ui_style
from playground.ui.live import LiveFrame, LiveLoop, OneTrainer

GRID_RESOLUTION = 50
# Both fit below the page's header on a 1280 x 720 projector.
BOUNDARY_HEIGHT = 440
COST_HEIGHT = 440

# A compact header, so that the boundary and the cost start above the fold of a
# 1280 x 720 projector: the how-to sentence is the title's help.
st.title("Playground", anchor=False,
         help="Choose the data, the layers, the activations, the initialization and α in "
              "the sidebar, then Step or Play and watch gradient descent fit the boundary.")

cfg = ui.current_config()
ui_style.classroom(bool(cfg.hide))
ui.show_notices()
ui_predict.enabled()  # ?predict=off: a teacher's demo without the lessons' questions
cfg = ui.sidebar_controls(cfg)
ui.sync_url(cfg)
trainer = ui.get_trainer(cfg)
ss = st.session_state
ss.setdefault("playing", False)
# STEP: the Step button's request (see _step), on the trainer of this run's settings.
if ss.pop("step_requested", False) and not trainer.diverged:
    trainer.step(cfg.steps_per_click, stop_cost=cfg.stop_cost,
                 stop_iterations=cfg.stop_iterations)
    if trainer.stopped_reason:
        st.rerun()  # the stop is named and lifted at the top of a run, before the widgets


# What changed and why: a reset (naming the setting), a setting that applies from the next
# iteration, a stop reached. Said once, as it happens.
for text, icon in ui.pop_notes():
    st.toast(text, icon=icon)


grid = ui.cached_grid(np.hstack([trainer.X_train_raw, trainer.X_test_raw]), GRID_RESOLUTION)


# ---- run controls ---------------------------------------------------------------------

def _reset():
    trainer.reset()
    ui.restore_stops()  # a lesson's stop lifted to go on past it comes back
    ss["playing"] = False


LIVE_CHARTS = ("boundary", "cost")  # the live part's charts: a frame is drawn once both are
# Play: one frame at a time, through the server's turnstile (playground.ui.live).
LOOP = LiveLoop("playground", OneTrainer(trainer, cfg.stop_cost, cfg.stop_iterations),
                playing_key="playing", charts=LIVE_CHARTS, speed=cfg.speed)


def _step(token: int):
    # Callbacks must be idempotent: while a fragment is auto-rerunning, Streamlit can
    # deliver one click twice. The token (a counter bumped per full run) lets a click
    # act once.
    if ss.get("step_token_done") == token:
        return
    ss["step_token_done"] = token
    ss["playing"] = False
    # Only the request: a value typed in the sidebar arrives in the same run as this click,
    # and this callback still sees the last run's trainer. The step is taken after this
    # run's config and trainer are built (STEP below).
    ss["step_requested"] = True


def _new_seed():
    ss["w_weight_seed"] = int(cfg.weight_seed) + 1
    ss["playing"] = False


ui.sticky_run_controls()  # on a phone the row stays on screen while the charts scroll
with st.container(horizontal=True, vertical_alignment="center", key="run_controls"):
    st.button("Reset", icon=":material/restart_alt:", on_click=_reset,
              help="Back to exactly the initial weights of this seed.")
    st.button(f"Step ×{cfg.steps_per_click:,}", icon=":material/skip_next:", on_click=_step,
              args=(LOOP.token,), disabled=trainer.diverged)
    LOOP.play_button(key="play_button")
    st.button("New seed", icon=":material/casino:", on_click=_new_seed,
              help="Draw new initial weights (weight seed + 1) and reset.")
    # Short labels keep the row on one line at 1280 px (a projector): the charts start
    # higher. The help says the rest.
    st.toggle("Test points", key="w_show_test",
              help="Show the held-out test points (diamonds) and the test cost.")
    st.toggle("Discretize", key="w_discretize",
              help="Draw the two predicted classes as flat colours instead of ŷ.")
    st.toggle("Log cost", key="log_cost", help="Draw the cost on a log scale.")


# ---- the live part: trains and redraws while playing -------------------------------------

def live_view(frame: LiveFrame):
    """The live part, drawn after the loop trained this frame (playground.ui.live)."""
    metrics = trainer.metrics()
    # The status on a line of its own, whole ("stopped at 10,000 (the lesson's stop)"),
    # with what to do next; a toast would cover the run controls under it.
    hint = "" if frame.playing else ui.stop_hint(trainer)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        frame.badge()
        if hint:
            st.markdown(hint)
    # The read-outs in one row, their values level. One horizontal container rather than
    # six columns: every element is a message to the browser, every frame, for every
    # student.
    with st.container(horizontal=True, gap="medium"):
        st.metric("Iteration", fmt.count(trainer.iteration),
                  help="Gradient-descent steps so far" + (
                      f" ({trainer.epoch:,.1f} epochs of mini-batches)"
                      if not trainer.full_batch else ""))
        frame.shown()  # the iteration is on the page: Pause from now on keeps it
        st.metric("Train cost J", fmt.cost(metrics.train_cost))
        st.metric("Test cost", "—" if np.isnan(metrics.test_cost) else fmt.cost(metrics.test_cost))
        st.metric("Train accuracy", fmt.percent(metrics.train_accuracy))
        st.metric("Test accuracy", fmt.percent(metrics.test_accuracy))
        ms = trainer.seconds_per_iteration * 1e3
        st.metric("ms / iteration", "—" if not np.isfinite(ms) else f"{ms:.3f}",
                  help="Wall-clock time of one training iteration in the last step.")
    if trainer.diverged:
        st.error(ui.divergence_message(trainer), icon=":material/warning:")

    left, right = st.columns([1.1, 1])
    P = grid_activations(grid, trainer.parameters, trainer.activations, trainer.features)[-1][0]
    with left:
        st.header("Decision boundary", anchor=False)
        fig = decision_boundary_spec(
            grid, P, trainer.X_train_raw, trainer.Y_train, trainer.X_test_raw, trainer.Y_test,
            discretize=cfg.discretize, show_test=cfg.show_test, height=BOUNDARY_HEIGHT)
        frame.chart(fig, key="boundary", config={"displayModeBar": False},
                    alt=figures_alt.boundary_alt(fig, iteration=trainer.iteration,
                                                 train_accuracy=metrics.train_accuracy,
                                                 test_accuracy=metrics.test_accuracy))
    with right:
        st.header("Cost versus iterations", anchor=False)
        history = trainer.history()
        fig = cost_spec(history, log_y=ss.get("log_cost", False),
                        show_test=cfg.show_test,
                        show_data_term=cfg.regularization != "none",
                        height=COST_HEIGHT)
        frame.chart(fig, key="cost", config={"displayModeBar": False},
                    alt=figures_alt.cost_alt(history, iteration=trainer.iteration))
        if cfg.course != C.NO_COURSE:  # the lines the course notebook printed
            user = ss.get("user_points")
            ui_course.printout(trainer, cfg, 0 if user is None else user[0].shape[1])


LOOP.run(live_view)

# A lesson's run asks its question and judges it at the lesson's iteration: under the
# charts, which stay above the fold on a 1280 x 720 projector (the lesson's card asked it
# before the run; here it is the reminder and, at the stop, the verdict).
ui_predict.playground_block(cfg, trainer)


# ---- views that update on Step, Pause and Reset ------------------------------------------

feature_labels = [FEATURES[f].label for f in trainer.features]


def network_tab():
    mode = st.segmented_control("Colour and width by", ["weights W[l]", "gradients dW[l]"],
                                default="weights W[l]", key="diagram_mode", required=True)
    ui_chart.live_chart(make_network_figure(
        trainer.layer_dims, trainer.parameters, grads=trainer.gradients(),
        mode="gradients" if mode.startswith("gradients") else "weights",
        activations=trainer.activations, input_labels=feature_labels), key="network",
        alt=figures_alt.network_alt(trainer.layer_dims, trainer.activations,
                                    iteration=trainer.iteration, mode=mode))
    lines = distinct_units_lines(trainer.parameters)
    if lines:
        st.markdown(f"**Distinct units at iteration {trainer.iteration:,}**: "
                    + "; ".join(lines) + ".",
                    help="Counted from the weights: units whose rows of [W[l] | b[l]] are "
                         f"equal (within {DISTINCT_TOL:g}) are clones. Clones compute the "
                         "same function and get the same gradient, so they stay clones.")
    with st.expander("Edit a weight or a bias"):
        c1, c2, c3, c4 = st.columns(4)
        layer = c1.selectbox("Layer l", range(1, trainer.L + 1), key="edit_layer")
        kind = c2.selectbox("Parameter", ["W", "b"], key="edit_kind")
        arr = trainer.parameters[f"{kind}{layer}"]
        row = c3.selectbox("Unit j (row)", range(1, arr.shape[0] + 1), key="edit_row")
        col = c4.selectbox("Input k (column)", range(1, arr.shape[1] + 1), key="edit_col",
                           disabled=kind == "b")
        col = 1 if kind == "b" else col
        now = float(arr[row - 1, col - 1])
        label = f"{kind}[{layer}]{row},{col}" if kind == "W" else f"b[{layer}]{row}"
        value = st.number_input(f"New value of {label} (now {now:.4g})", value=now,
                                format="%.4f", key=f"edit_{label}_{trainer.iteration}")
        if st.button("Apply", key="edit_apply"):
            trainer.set_parameter(f"{kind}{layer}", (row - 1, col - 1), value)
            st.rerun()


def units_tab():
    acts = grid_activations(grid, trainer.parameters, trainer.activations, trainer.features)
    maps = acts[:-1]
    titles = ["inputs A[0]"] + [
        f"layer {l}: {ACTIVATIONS[trainer.activations[l - 1]].label}"
        for l in range(1, trainer.L)]
    unit_titles = [feature_labels] + [
        [f"a[{l}]{j + 1}" for j in range(acts[l].shape[0])] for l in range(1, trainer.L)]
    st.caption("Each small map is one unit's activation over the input plane: what that "
               "unit has learned to detect. Later layers combine earlier ones.")
    ui_chart.live_chart(make_unit_maps_figure(grid, maps, layer_titles=titles,
                                              unit_titles=unit_titles), key="units",
                        alt=figures_alt.unit_maps_alt(
                            [m.shape[0] for m in maps[1:]], iteration=trainer.iteration,
                            what=f"Inputs ({maps[0].shape[0]} maps) and hidden units over "
                                 "the input plane"))
    options = [(l, j) for l in range(len(maps)) for j in range(maps[l].shape[0])]
    pick = st.selectbox("Enlarge a unit", options, key="enlarge_unit",
                        format_func=lambda lj: unit_titles[lj[0]][lj[1]])
    if pick is not None and pick[0] < len(maps) and pick[1] < maps[pick[0]].shape[0]:
        l, j = pick
        left, _ = st.columns([1.1, 1])  # the square plane, not stretched across the page
        with left:
            ui_chart.live_chart(make_unit_figure(
                grid, maps[l][j], title=unit_titles[l][j], X_train=trainer.X_train_raw,
                Y_train=trainer.Y_train), key="unit_big",
                alt=f"Unit {unit_titles[l][j]} over the input plane at iteration "
                    f"{trainer.iteration:,}: from {float(maps[l][j].min()):.3g} to "
                    f"{float(maps[l][j].max()):.3g}.")


def activations_tab():
    if trainer.L == 1:
        st.info("Logistic regression has no hidden layer: add one to see its activations.")
        return
    caches = trainer.caches()
    st.caption("For each hidden layer: g(z) and g'(z), with the distribution of that layer's "
               "Z over the training data underneath. Mass where g' ≈ 0 means saturated units "
               "(sigmoid/tanh tails) or dead ReLUs: they barely learn.")
    ui_chart.live_chart(make_activations_at_work_figure(
        trainer.activations[:-1], [c.Z for c in caches[:-1]]), key="at_work",
        alt=f"Activations at work at iteration {trainer.iteration:,}: g(z) and g'(z) of "
            + ", ".join(f"layer {l} ({a})" for l, a in enumerate(trainer.activations[:-1], 1))
            + ", over the distribution of each layer's Z.")


def replay_tab():
    snaps = trainer.replay_points()  # the last stop is the current state
    if len(snaps) < 2:
        st.info("Train a little first: snapshots of the weights are recorded as it learns.")
        return
    its = [s[0] for s in snaps]
    it = st.select_slider("Iteration", its, value=its[-1], key="replay_it",
                          format_func=fmt.count)
    params = dict(snaps[its.index(it)][1])
    P = grid_activations(grid, params, trainer.activations, trainer.features)[-1][0]
    left, right = st.columns([1.1, 1])
    with left:
        ui_chart.live_chart(decision_boundary_spec(
            grid, P, trainer.X_train_raw, trainer.Y_train, trainer.X_test_raw, trainer.Y_test,
            discretize=cfg.discretize, show_test=cfg.show_test, height=BOUNDARY_HEIGHT),
            key="replay",
            alt=f"Replay: the decision boundary at iteration {it:,} of "
                f"{trainer.iteration:,} (snapshot {its.index(it) + 1} of {len(its)}).")
    with right:
        ui_chart.live_chart(cost_spec(
            trainer.history(), log_y=ss.get("log_cost", False), show_test=cfg.show_test,
            show_data_term=cfg.regularization != "none", height=COST_HEIGHT,
            mark_iteration=it), key="replay_cost",
            alt=figures_alt.cost_alt(trainer.history(), iteration=trainer.iteration)
            + f" A line marks iteration {it:,}.")
    st.caption(f"{len(snaps) - 1} snapshots, thinned as training goes on so memory stays "
               f"bounded, then the current state (iteration {trainer.iteration:,}).")


def confusion_tab():
    c1, c2 = st.columns(2)
    for col, name, X, Y in ((c1, "train", trainer.X_train_raw, trainer.Y_train),
                            (c2, "test", trainer.X_test_raw, trainer.Y_test)):
        with col:
            if X.shape[1] == 0:
                st.info("No test set (test fraction 0).")
                continue
            Yhat = (trainer.predict_proba(X) > 0.5).astype(float)
            ui_chart.live_chart(make_confusion_figure(Y, Yhat, title=f"{name} set"),
                            key=f"confusion_{name}",
                            alt=f"Confusion matrix of the {name} set at iteration "
                                f"{trainer.iteration:,}: "
                                f"{int(((Yhat > 0.5) == (Y > 0.5)).sum()):,} of {Y.size:,} "
                                "points predicted right.")


def learning_rate_tab():
    its = np.linspace(0, max(trainer.iteration, cfg.decay_steps * 3, 100), 200)
    alphas = learning_rate_at(its, cfg.alpha, cfg.schedule, cfg.decay_rate, cfg.decay_steps)
    ui_chart.live_chart(make_series_figure(
        [{"name": "α(t)", "x": its, "y": alphas}], y_title="learning rate α"), key="lr",
        alt=f"Learning rate α over iterations 0 to {int(its[-1]):,}, from {alphas[0]:.4g} "
            f"to {alphas[-1]:.4g}; at iteration {trainer.iteration:,} α = "
            f"{trainer.current_learning_rate():.4g}.")
    st.caption(f"Schedule: {ui.SCHEDULE_LABELS[cfg.schedule]}. Now α = "
               f"{trainer.current_learning_rate():.4g}. Set it under Training → More.")


def landscape_tab():
    st.caption("J over a plane of weight space through θ now, and the path gradient "
               "descent took to get here, projected onto the plane. Try W = 0, a constant "
               "c, or a large α (5, with the zoom on the last 16 iterations) and compare "
               "the paths.")
    ui_landscape.landscape_view(trainer, key="landscape")


MAX_LISTED_POINTS = 12  # the newest points listed by their coordinates


def _add_clicked_point(x: float, y: float):
    # Runs in the click's callback, before the page: this run's trainer sees the point.
    label = int(ss.get("new_point_class", 1))
    ss["user_points"] = ui_click.add_point(ss.get("user_points"), x, y, label)
    ss["playing"] = False
    # ui.get_trainer says what this changes ("... training restarts at iteration 0"), after
    # this, in one notice.
    ss["config_change_note"] = f"Added a point at ({x:.3f}, {y:.3f}), class y = {label}."


def _remove_points(last_only: bool):
    user = ss.get("user_points")
    if user is None:
        return
    k = user[0].shape[1]
    if last_only and k > 1:
        ss["user_points"] = (user[0][:, :-1], user[1][:, :-1])
        x, y = user[0][:, -1]
        what = f"Removed your point at ({x:.3f}, {y:.3f})"
    else:
        ss["user_points"] = None
        what = f"Removed your {k} point{'s' if k != 1 else ''}"
    ss["playing"] = False
    ss["config_change_note"] = what + "."


def _points_fallback(fig: dict, user):
    """Where the click component cannot load plotly.js: st.plotly_chart's selection, with
    an invisible point at every grid node so that empty parts of the plane answer too."""
    fig["data"].append({"type": "scatter", "x": grid.X[0], "y": grid.X[1], "mode": "markers",
                        "name": "grid", "showlegend": False, "hoverinfo": "skip",
                        "marker": {"opacity": 0, "size": 6}})
    n_user = 0 if user is None else user[0].shape[1]
    event = st.plotly_chart(go.Figure(fig), key=f"add_points_{n_user}", on_select="rerun",
                            selection_mode="points", config={"displayModeBar": False})
    st.caption(f"Clicks snap to the nearest node of a {GRID_RESOLUTION} × {GRID_RESOLUTION} "
               "grid on this server (plotly.js cannot be served to the click component).")
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points:
        token = np.array([[p["x"], p["y"]] for p in points], dtype=float).tobytes()
        if ss.get("last_click") != token:
            ss["last_click"] = token
            p = points[-1]
            _add_clicked_point(float(p["x"]), float(p["y"]))
            st.rerun()


def points_tab():
    st.markdown("Click anywhere on the plane to add a training point of the chosen class "
                "exactly there. Adding points changes the data, so training restarts from "
                "the initial weights.")
    c2, c1 = st.columns([1.1, 1])  # the plane where the boundary above is, controls right
    c1.radio("Class of new points", [1, 0], key="new_point_class", horizontal=True,
             format_func=lambda y: f"y = {y}")
    user = ss.get("user_points")
    n_user = 0 if user is None else user[0].shape[1]
    c1.metric("Your points", n_user)
    with c1.container(horizontal=True):
        st.button("Remove the last", disabled=n_user == 0, icon=":material/undo:",
                  on_click=_remove_points, args=(True,), key="points_remove_last")
        st.button("Clear my points", disabled=n_user == 0, icon=":material/delete:",
                  on_click=_remove_points, args=(False,), key="points_clear")
    if n_user:
        Xu, Yu = user
        first = max(0, n_user - MAX_LISTED_POINTS)
        items = [f"{i + 1}. ({Xu[0, i]:.3f}, {Xu[1, i]:.3f}) → y = {int(Yu[0, i])}"
                 for i in range(first, n_user)]
        older = f"{first} older not listed; the newest:\n\n" if first else ""
        c1.markdown("**Your points (x₁, x₂ → class)**\n\n" + older + "\n".join(items))
    P = grid_activations(grid, trainer.parameters, trainer.activations, trainer.features)[-1][0]
    fig = decision_boundary_spec(
        grid, P, trainer.X_train_raw, trainer.Y_train, show_test=False, height=BOUNDARY_HEIGHT,
        user_points=user, uirevision="add-points")
    fig["layout"]["dragmode"] = False  # every click adds a point; no zoom box
    with c2:
        if not ui_click.click_plane(fig, key="add_points_plane", on_click=_add_clicked_point):
            _points_fallback(fig, user)


# Configurations change in callbacks: they run before the sidebar's widgets are drawn,
# which then show the new values (a widget's key cannot be written after it is drawn).

def _load_config():
    """A loaded JSON file becomes the configuration; a bad one says why and changes
    nothing."""
    up = ss.get("load_config")
    ss.pop("load_config_error", None)
    ss.pop("load_config_done", None)
    if up is None:
        return
    try:
        new_cfg = from_json(up.getvalue())
    except ValueError as e:
        ss["load_config_error"] = f"{up.name} was not loaded: {e}. Nothing was changed."
        return
    ui.set_config(new_cfg, note=f"Loaded {up.name}.")
    ss["load_config_done"] = (f"Loaded {up.name}: {new_cfg.architecture} on "
                              f"{new_cfg.dataset}, α = {new_cfg.alpha:g}.")


def _apply_hide():
    ui.set_config(ui.config_now().replace(hide=tuple(ss.get("classroom_hide") or ())))


def _show_all():
    ui.set_config(ui.config_now().replace(hide=()))


def export_tab():
    st.markdown("The link in the address bar opens this exact experiment: share it. "
                "Or download the configuration, the trained parameters, the history, or the "
                "whole run as a notebook.")
    c1, c2, c3 = st.columns(3)
    c1.download_button("Configuration (JSON)", cfg.to_json(), "nn-playground-config.json",
                       "application/json", icon=":material/settings:", on_click="ignore")
    buf = io.BytesIO()
    np.savez(buf, **{k: np.asarray(v) for k, v in trainer.parameters.items()})
    c2.download_button("Parameters (.npz)", buf.getvalue(), "parameters.npz",
                       "application/octet-stream", icon=":material/deployed_code:",
                       on_click="ignore")
    c3.download_button("History (CSV)", trainer.history_csv(), "history.csv", "text/csv",
                       icon=":material/table:", on_click="ignore")
    ui_notebook.download_button(cfg, trainer)
    st.caption("The notebook trains this run again in plain NumPy, in the course's notation, "
               "and its last cell checks that it gets the Playground's numbers.")
    st.file_uploader("Load a configuration (JSON)", type=["json"], key="load_config",
                     on_change=_load_config,
                     help="A file downloaded with the Configuration (JSON) button above.")
    if ss.get("load_config_error"):
        st.error(ss["load_config_error"], icon=":material/error:")
    elif ss.get("load_config_done"):
        st.success(ss["load_config_done"], icon=":material/check_circle:")

    st.header("Classroom mode", anchor=False)
    st.caption("Choose what to hide, then project or share the link: the page opens with only "
               "the rest, for a clean screen.")
    hide = st.multiselect("Hide", C.HIDEABLE, default=list(cfg.hide), key="classroom_hide")
    query = cfg.replace(hide=tuple(hide)).to_query()
    link = "?" + "&".join(f"{k}={v}" for k, v in query.items())
    base = str(getattr(st.context, "url", "") or "").split("?")[0]
    st.code(base + link, language=None)
    st.button("Apply to this page", icon=":material/visibility_off:", on_click=_apply_hide)
    with st.expander("Configuration as JSON"):
        st.code(json.dumps(cfg.to_dict(), indent=1), language="json")


TABS = {  # tab -> (builder, the classroom-mode section that hides it)
    "Network": (network_tab, "diagram"),
    "Hidden units": (units_tab, "units"),
    "Activations at work": (activations_tab, "activations"),
    "Replay": (replay_tab, "replay"),
    "Cost landscape": (landscape_tab, None),
    "Confusion matrix": (confusion_tab, None),
    "Learning rate": (learning_rate_tab, "training"),
    "Your points": (points_tab, "data"),
    "Share and export": (export_tab, "export"),
}
shown = [name for name, (_, section) in TABS.items() if section not in cfg.hide]
# Lazy tabs: only the open one is computed, so Step and Pause redraw quickly.
for name, tab in zip(shown, st.tabs(shown, key="view_tab", on_change="rerun"), strict=True):
    if tab.open:
        with tab:
            ui.paced(TABS[name][0])()

if cfg.hide:
    st.button("Show all controls", icon=":material/visibility:", on_click=_show_all,
              help=f"Classroom mode hides: {', '.join(cfg.hide)}")
