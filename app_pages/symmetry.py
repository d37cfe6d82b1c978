"""Symmetry breaking: why zero initialization fails and how randomness breaks the tie."""

import numpy as np
import streamlit as st

from playground.core import text as fmt
from playground.core.datasets import DATASETS
from playground.core.diagnostics import DISTINCT_TOL, grid_activations
from playground.core.nn import ACTIVATIONS
from playground.figures import alt_text as figures_alt
from playground.figures import symmetry as figsym
from playground.figures.network import make_network_figure
from playground.figures.series import make_series_figure
from playground.figures.symmetry import (
    make_compact_boundary_figure,
    make_symmetry_history_figure,
    make_unit_rows_figure,
)
from playground.figures.units import make_unit_maps_figure
from playground.lab import predictions
from playground.lab import symmetry as S
from playground.ui import landscape_view as ui_landscape
from playground.ui import live_chart as ui_chart
from playground.ui import predict as ui_predict
from playground.ui import session as ui
from playground.ui import style as ui_style
from playground.ui.live import LiveFrame, LiveLoop, Lockstep

# Exact symmetry needs every row of a matrix product rounded alike; float64 keeps the
# clones of this page's layer sizes intact far more often than float32 (measured: see
# playground.lab.symmetry). These networks are small, so float64 costs little here.
DTYPE = np.float64
N_SAMPLES, TEST_FRACTION, DATA_SEED = 400, 0.2, 0
BOUNDARY_RESOLUTION = 40  # coarse: redrawn every frame of Play, three times
UNIT_MAP_RESOLUTION = 60
# By number of columns. The square plane (figures_symmetry.compact_plane) fills its
# column's width and sits at the top of its figure: three columns (252 px wide at 1280 px
# with the sidebar) give ~220 px planes starting above 420 px, whole above the fold of a
# 1280 x 720 projector; where columns are wider (1920 px) the height sets the size.
BOUNDARY_HEIGHTS = {1: 400, 2: 380, 3: 300}
HISTORY_HEIGHT = 330
MAX_LAYERS, MAX_UNITS = 3, 16
STEPS = (1, 10, 100, 1000)
NOISE_SIZES = (1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)
# The columns' own colours, not the class colours (orange y = 0, blue y = 1).
COLORS = figsym.INIT_PALETTE
SWATCHES = figsym.INIT_SWATCHES  # the same colours by Streamlit's names, for the headings
DIAGRAM_MODES = ("weights W[l]", "gradients dW[l]")
DEFAULTS = {
    "sym_w_dataset": "flower", "sym_w_layers": 1, "sym_w_units": 4,
    "sym_w_activation": "tanh", "sym_w_choices": list(S.DEFAULT_CHOICES),
    "sym_w_c": S.DEFAULT_C, "sym_w_seed": 1, "sym_w_alpha": 1.2, "sym_w_steps": 100,
    "sym_w_speed": "normal", "sym_w_noise": 1e-3, "sym_w_zero_b": False,
    "sym_w_diagram": DIAGRAM_MODES[0], "sym_w_log_symmetry": False, "sym_w_chart_layer": 1,
}

ss = st.session_state
ui.restore_widgets(DEFAULTS, "sym_settings")
ss.setdefault("sym_playing", False)

# The colour key of the three boundaries sits beside the title (it stacks under it on a
# phone): one line less above the boundaries on a 1280 x 720 projector.
# (Below 1024 px the two stack: ui_style, st-key-sym_title_row.) A link with hide= is a
# lesson projected in class: the classroom's larger text, as on the Playground.
ui_style.classroom(bool(st.query_params.get("hide")))
with st.container(key="sym_title_row"):
    title_col, key_col = st.columns([2, 3], vertical_alignment="center")
title_col.title("Symmetry breaking", anchor=False)
key_col.markdown(":orange[●] y = 0 · :blue[●] y = 1 · background: ŷ, from orange (0) "
                 "through white (0.5) to blue (1) · black line: the boundary ŷ = 0.5 · "
                 "axes: x₁ across, x₂ up")
# The explanation folds away, so that on a 1280 x 720 projector the three boundaries start
# near the top; each column's verdict says what its own numbers show.
with st.expander("Why W = 0 cannot learn, and why a constant c learns as one unit",
                 icon=":material/menu_book:"):
    st.markdown(
        "With **W = 0** and tanh, every hidden unit outputs g(0) = 0, so "
        "dW[l] = (1/m)·dZ[l]·A[l−1]ᵀ = 0 and dA[l−1] = W[l]ᵀ·dZ[l] = 0: no weight ever moves, "
        "only b[L] can learn, and ŷ = σ(b[L]) is one flat colour with no boundary. "
        "With a **constant c** every unit learns, but all units of a layer get the same "
        "gradient and stay clones: the layer acts as one unit. **Random × 0.01** makes every "
        "unit different from the start, and they learn different things.")


def load_data(name: str):
    return ui.generated_split(name, N_SAMPLES, None, DATA_SEED, TEST_FRACTION)


# ---- sidebar ---------------------------------------------------------------------------

sb = st.sidebar
sb.subheader("Data", divider="gray")
sb.selectbox("Dataset", list(DATASETS), key="sym_w_dataset",
             format_func=lambda n: DATASETS[n].label,
             help="Changing the data rebuilds every network.")
sb.caption(DATASETS[ss["sym_w_dataset"]].description)

sb.subheader("Network", divider="gray")
sb.slider("Hidden layers", 1, MAX_LAYERS, key="sym_w_layers",
          help="Changing the architecture rebuilds every network.")
sb.slider("Units per hidden layer n[l]", 1, MAX_UNITS, key="sym_w_units")
sb.selectbox("Activation g of the hidden layers", list(ACTIVATIONS), key="sym_w_activation",
             format_func=ui.ACTIVATION_LABELS.get,
             help="The output layer is always the sigmoid σ.")
hidden = (int(ss["sym_w_units"]),) * int(ss["sym_w_layers"])
activation = ss["sym_w_activation"]
arch = " → ".join(str(n) for n in (2, *hidden, 1))
sb.markdown(f"**Architecture** `{arch}` · {ui.ACTIVATION_LABELS[activation]} · output σ")

sb.subheader("Initializations", divider="gray")
sb.multiselect("Compare (up to 3)", list(S.INIT_CHOICES), key="sym_w_choices",
               max_selections=S.MAX_COLUMNS,
               format_func=lambda k: S.choice_label(k, ss["sym_w_c"]),
               help="One column each. Biases b[l] always start at 0.")
sb.number_input("Constant c", -5.0, 5.0, step=0.1, format="%.2f", key="sym_w_c",
                help="constant c: every entry of every W[l] starts at c.")
sb.number_input("Weight seed", 0, 2**31 - 1, step=1, key="sym_w_seed",
                help="The seed of the random initializations (random, Xavier, He).")

sb.subheader("Training", divider="gray")
sb.select_slider("Learning rate α", ui.ALPHAS, key="sym_w_alpha",
                 help="Changing α keeps the networks where they are.")
sb.selectbox("Iterations per Step", STEPS, key="sym_w_steps", format_func="{:,}".format)
sb.selectbox("Play speed", list(ui.SPEED_LABELS), key="sym_w_speed",
             format_func=ui.SPEED_LABELS.get)

sb.subheader("Breaking the symmetry", divider="gray")
sb.select_slider("Noise size", NOISE_SIZES, key="sym_w_noise", format_func="{:.0e}".format,
                 help="The standard deviation of the Gaussian noise that “Break symmetry” "
                      "adds to every W[l] of a stuck network (seeded).")
sb.toggle("Zero biases only", key="sym_w_zero_b",
          help="Every column starts with b[l] = 0: our initialization never draws biases. "
               "Turn on to see the check for each network and its biases at iteration 0: "
               "with random W, zero b is harmless.")

ss["sym_settings"] = {k: ss[k] for k in DEFAULTS}
choices = tuple(ss["sym_w_choices"])
c = float(ss["sym_w_c"])
alpha = float(ss["sym_w_alpha"])
steps = int(ss["sym_w_steps"])
noise = float(ss["sym_w_noise"])

if not choices:
    st.info("Choose one to three initializations in the sidebar to compare them.",
            icon=":material/arrow_back:")
    st.stop()

g0 = S.activation_zero_value(activation)
activation_slot = st.empty()  # always there, so the elements below keep their places
if activation != "tanh":
    activation_slot.caption(
        f"Your hidden activation is {ui.ACTIVATION_LABELS[activation]}, with g(0) = {g0:.4g}"
        + ("" if g0 == 0 else f": with W = 0 its units output {g0:.4g}, not 0")
        + ". Each column below says what its numbers do, whatever the activation.")

# ---- the networks ------------------------------------------------------------------------

X_train, Y_train, X_test, Y_test = load_data(ss["sym_w_dataset"])
token = (ss["sym_w_dataset"], hidden, activation, choices, c, int(ss["sym_w_seed"]))
group: S.LockstepGroup | None = ss.get("sym_group")
if group is None or ss.get("sym_token") != token:
    if group is not None:
        ss["sym_reset_note"] = ("The data, the network or the initializations changed: "
                                "every network was rebuilt and starts again at iteration 0.")
    group = S.LockstepGroup(X_train, Y_train, X_test, Y_test, hidden=hidden,
                            activation=activation, choices=choices, c=c,
                            seed=int(ss["sym_w_seed"]), alpha=alpha, dtype=DTYPE)
    ss["sym_group"], ss["sym_token"] = group, token
    ss["sym_playing"] = False
group.set_learning_rate(alpha)

note = ss.pop("sym_reset_note", None)
note_slot = st.empty()  # always there, so the elements below keep their places
if note:
    st.toast(note, icon=":material/restart_alt:")
    note_slot.caption(note)

X_all = np.hstack([X_train, X_test])
grid = ui.cached_grid(X_all, BOUNDARY_RESOLUTION)
unit_grid = ui.cached_grid(X_all, UNIT_MAP_RESOLUTION)


# ---- run controls ------------------------------------------------------------------------

def _reset():
    ss["sym_group"].reset()
    ss["sym_playing"] = False


def _step():
    ss["sym_playing"] = False
    ss["sym_group"].step(int(ss["sym_w_steps"]))


LIVE_CHARTS = tuple(f"sym_boundary_{i}" for i in range(len(choices))) + (
    "sym_cost", "sym_distinct", "sym_symmetry")  # a frame is drawn once all of them are
# Play: the networks train together, one frame at a time, through the server's
# turnstile, as on the Playground (playground.ui.live).
LOOP = LiveLoop("symmetry", Lockstep(group), playing_key="sym_playing", charts=LIVE_CHARTS,
                speed=ss["sym_w_speed"])


def _break(column: int, breaks_before: int):
    group = ss["sym_group"]
    if column < len(group) and len(group.breaks[column]) == breaks_before:
        group.break_symmetry(column, float(ss["sym_w_noise"]))
    st.rerun()  # from inside the live part: redraw the whole page, matrices included


ui.sticky_run_controls()  # on a phone the row stays on screen while the charts scroll
with st.container(horizontal=True, vertical_alignment="center", key="run_controls"):
    st.button("Reset", icon=":material/restart_alt:", on_click=_reset, key="sym_reset",
              help="Every network back to its initial weights; added noise is forgotten.")
    st.button(f"Step ×{steps:,}", icon=":material/skip_next:", on_click=_step,
              key="sym_step", disabled=group.all_diverged,
              help="Train every network the same number of iterations.")
    LOOP.play_button(key="sym_play")
    st.caption(f"{len(group)} networks `{arch}`, {ui.ACTIVATION_LABELS[activation]}, "
               f"α = {alpha:g}, on the same {X_train.shape[1]} training points, "
               "trained together.")

# Predict, then run: the constant-c column's units at iteration 1,000, asked and judged in
# the live part under the boundaries (which stay where a projector shows them whole).
QUESTION = predictions.SYMMETRY_QUESTION
ASK = ui_predict.enabled()
ASKED_COLUMN = choices.index("constant") if "constant" in choices and max(hidden) > 1 else None


def predict_block(trainers) -> None:
    """The question, then its verdict from the constant-c column's numbers once the
    networks are at iteration 1,000 (or that column diverged)."""
    there = ASKED_COLUMN is not None and predictions.reached(
        QUESTION, group.iteration, trainers[ASKED_COLUMN].diverged)
    ui_predict.block(
        QUESTION, predictions.measure(trainers[ASKED_COLUMN]) if there else None,
        locked=group.iteration >= QUESTION.iteration, horizontal=True,
        waiting=f"At iteration {fmt.count(QUESTION.iteration)} the page says whether it "
                "held, from the constant-c column's numbers." if ASKED_COLUMN is not None
        else "",
        note="" if ASKED_COLUMN is not None else
        "The question is about the “constant c” column with 2 or more units per layer: "
        "add it in the sidebar to check your answer.")


# ---- the live part: trains and redraws while playing -----------------------------------

def _column_title(i: int) -> str:
    return f":{SWATCHES[i % len(SWATCHES)]}[●] {group.labels[i]}"


def live_view(frame: LiveFrame):
    """The live part, drawn after the loop trained this frame (playground.ui.live)."""
    with st.container(horizontal=True, vertical_alignment="center"):
        frame.badge()
        st.markdown(f"**Iteration {group.iteration:,}**")
        frame.shown()  # the iteration is on the page: Pause from now on keeps it

    trainers = group.trainers
    P = [grid_activations(grid, t.parameters, t.activations, t.features)[-1][0]
         for t in trainers]
    states = [S.trainer_state(t, p) for t, p in zip(trainers, P, strict=True)]
    verdicts = [S.verdict(s, t.L) for s, t in zip(states, trainers, strict=True)]
    n_cols = len(trainers)

    # One container per initialization: its heading, numbers, boundary and verdict stay
    # together when the columns stack (a phone). The parts of equal height come first
    # (heading, metrics, boundary), so the boundaries line up side by side; the texts of
    # different lengths (the verdict, the notes) follow under each boundary.
    for i, col in enumerate(st.columns(n_cols, gap="medium")):
        t, state, v = trainers[i], states[i], verdicts[i]
        with col, st.container(key=f"sym_col_{i}"):
            st.header(_column_title(i), anchor=False)
            m = t.metrics()
            # On one line in a 252 px column (1280 px with the sidebar: ui_style makes the
            # labels and values smaller there); wraps only where that is too narrow.
            with st.container(horizontal=True, wrap=True, gap="xsmall"):
                st.metric("Distinct units", S.distinct_text(state), width="content",
                          help=f"Per hidden layer: units whose rows of [W[l] | b[l]] differ "
                               f"by more than {DISTINCT_TOL:g}, out of n[l].")
                st.metric("Train accuracy", f"{m.train_accuracy:.1%}", width="content")
                st.metric("Cost J", f"{m.train_cost:.4f}" if abs(m.train_cost) < 1e3
                          else f"{m.train_cost:.3g}", width="content")
            fig = make_compact_boundary_figure(grid, P[i], t.X_train_raw, t.Y_train,
                                               height=BOUNDARY_HEIGHTS[n_cols],
                                               uirevision=f"sym-{i}")
            frame.chart(fig, key=f"sym_boundary_{i}", config={"displayModeBar": False},
                        alt=figures_alt.boundary_alt(
                            fig, iteration=group.iteration, train_accuracy=m.train_accuracy,
                            title=f"{group.labels[i]}: decision boundary"))
            text, color, icon = S.BADGES[v.kind]
            if t.diverged:
                st.badge(text, icon=icon, color=color)
                st.error(ui.divergence_message(t), icon=":material/warning:")
            else:
                st.markdown(f":{color}-badge[{icon} {text}] **{v.headline}**")
                if v.details:
                    st.caption("; ".join(v.details) + ".")
            if state.breakable:
                st.button("Break symmetry", key=f"sym_break_{i}", on_click=_break,
                          args=(i, len(group.breaks[i])),
                          icon=":material/scatter_plot:",
                          help=f"Add Gaussian noise × {noise:g} (seeded) to every W[l] of "
                               "this network, then keep training.")
            elif group.breaks[i]:
                its = ", ".join(f"{it:,}" for it, _ in group.breaks[i])
                st.caption(f"Noise added at iteration {its}.")
            h = t.history()
            start = tuple(int(d) for d in h["distinct"][0]) if len(h["iteration"]) else ()
            units = tuple(s.units for s in states[i].layers)
            now = tuple(s.distinct for s in states[i].layers)
            if start and S.split_by_rounding(start, now, units, len(group.breaks[i])):
                st.info(S.ROUNDING_NOTE, icon=":material/calculate:")
            if ss["sym_w_zero_b"]:
                ok, text = S.bias_note(t.initial_parameters)
                st.info(text, icon=":material/exposure_zero:" if ok else ":material/info:")

    if ASK:
        predict_block(trainers)
    with st.container(horizontal=True, vertical_alignment="center"):
        n_hidden = trainers[0].L - 1
        layer = 1
        if n_hidden > 1:
            if ss.get("sym_w_chart_layer") not in range(1, n_hidden + 1):
                ss["sym_w_chart_layer"] = 1
            layer = st.segmented_control(
                "Hidden layer of the two symmetry charts", list(range(1, n_hidden + 1)),
                key="sym_w_chart_layer", format_func=lambda l: f"layer {l}",
                required=True) or 1
        log_y = st.toggle("Log scale", key="sym_w_log_symmetry",
                          help="For the cost and the symmetry measure: shows the split "
                               "growing from the noise size, and keeps a diverging network "
                               "from flattening the other curves. Exact zeros cannot be drawn "
                               "on a log scale.")
    c1, c2, c3 = st.columns(3, gap="medium")
    events = S.break_events(group, COLORS)
    suffix = f" (layer {layer})" if n_hidden > 1 else ""
    with c1:
        st.header("Cost J", anchor=False)
        cost_series = S.history_series(group, "train_cost", COLORS)
        frame.chart(make_series_figure(
            cost_series, y_title="cost J", log_y=log_y,
            height=HISTORY_HEIGHT), key="sym_cost", config={"displayModeBar": False},
            alt=figures_alt.series_alt("Cost J per initialization", cost_series,
                                       iteration=group.iteration))
    with c2:
        st.header("Distinct units" + suffix, anchor=False)
        distinct_series = S.history_series(group, "distinct", COLORS, layer)
        frame.chart(make_symmetry_history_figure(
            distinct_series, y_title="distinct units",
            events=events, integer_y=True, y_max=max(hidden), height=HISTORY_HEIGHT),
            key="sym_distinct", config={"displayModeBar": False},
            alt=figures_alt.series_alt("Distinct units" + suffix, distinct_series,
                                       iteration=group.iteration, fmt=lambda v: f"{v:.0f}"))
    with c3:
        st.header("Symmetry measure" + suffix, anchor=False)
        symmetry_series = S.history_series(group, "symmetry", COLORS, layer)
        fig = make_symmetry_history_figure(
            symmetry_series,
            y_title="RMS distance from the mean unit", events=events, log_y=log_y,
            height=HISTORY_HEIGHT)
        frame.chart(fig, key="sym_symmetry", config={"displayModeBar": False},
                    alt=figures_alt.series_alt(
                        "Symmetry measure (RMS distance from the mean unit)" + suffix,
                        symmetry_series, iteration=group.iteration))
        not_drawn = fig.layout.meta["not_drawn"] if fig.layout.meta else []
        if not_drawn:
            st.caption("Exactly 0, so not drawn on a log scale: " + ", ".join(not_drawn)
                       + ".")
    st.caption("Distinct units: rows of [W[l] | b[l]] that differ by more than "
               f"{DISTINCT_TOL:g}. Symmetry measure: the RMS distance of the units' rows "
               "from their mean row, exactly 0 while they are clones. Dotted lines: noise "
               "added.")


LOOP.run(live_view)


# ---- views that update on Step, Pause, Reset and Break ------------------------------------

st.divider()
st.caption(f"Below: the networks at iteration {group.iteration:,}"
           + (" (these views wait for Pause: they are heavier than the ones above)."
              if ss["sym_playing"] else "."))
tabs = st.tabs(["W[l] and dW[l]", "Hidden units", "Network diagram"])
trainers = group.trainers
grads = [t.gradients() for t in trainers]

with tabs[0]:
    st.caption("One row per unit: its incoming weights, then its bias — the rows that "
               "“distinct units” compares. Clones have identical rows in [W | b] and in "
               "[dW | db], so every step moves them alike. Cells show 3 digits; hover for "
               "4. White is exactly 0.")
    for i, col in enumerate(st.columns(len(trainers), gap="medium")):
        t, g = trainers[i], grads[i]
        with col:
            st.markdown(f"**{_column_title(i)}**")
            for l in range(1, t.L + 1):
                ui_chart.live_chart(make_unit_rows_figure(
                    [("W", t.parameters[f"W{l}"], t.parameters[f"b{l}"]),
                     ("dW", g[f"dW{l}"], g[f"db{l}"])], layer=l, arrange="stack"),
                    key=f"sym_rows{l}_{i}", config={"displayModeBar": False},
                    alt=f"{group.labels[i]}: rows of [W[{l}] | b[{l}]] and [dW[{l}] | db[{l}]] "
                        f"at iteration {group.iteration:,}, one row per unit "
                        f"(n[{l}] = {t.parameters[f'W{l}'].shape[0]}).")
            if ss["sym_w_zero_b"]:
                p0 = t.initial_parameters
                st.markdown("At iteration 0 (b[1] = 0):")
                ui_chart.live_chart(make_unit_rows_figure([("W", p0["W1"], p0["b1"])], layer=1),
                                key=f"sym_rows_init_{i}", config={"displayModeBar": False},
                                alt=f"{group.labels[i]}: [W[1] | b[1]] at iteration 0.")

with tabs[1]:
    st.caption("Each small map is one hidden unit's activation a[l]ⱼ over the input plane. "
               "Clones draw identical maps; distinct units detect different things.")
    for i, col in enumerate(st.columns(len(trainers), gap="medium")):
        t = trainers[i]
        with col:
            st.markdown(f"**{_column_title(i)}**")
            acts = grid_activations(unit_grid, t.parameters, t.activations, t.features)
            maps = acts[1:-1]
            ui_chart.live_chart(make_unit_maps_figure(
                unit_grid, maps, first_layer=1,
                layer_titles=[f"layer {l}" for l in range(1, t.L)],
                max_cols=8), key=f"sym_units_{i}", config={"displayModeBar": False},
                alt=figures_alt.unit_maps_alt([a.shape[0] for a in maps],
                                              iteration=group.iteration,
                                              what=f"{group.labels[i]}: hidden units over "
                                                   "the input plane"))

with tabs[2]:
    mode = st.segmented_control("Colour and width by", DIAGRAM_MODES, key="sym_w_diagram",
                                required=True)
    gradients_mode = (mode or DIAGRAM_MODES[0]).startswith("gradients")
    for i, col in enumerate(st.columns(len(trainers), gap="medium")):
        t = trainers[i]
        with col:
            st.markdown(f"**{_column_title(i)}**")
            ui_chart.live_chart(make_network_figure(
                t.layer_dims, t.parameters, grads=grads[i],
                mode="gradients" if gradients_mode else "weights",
                activations=t.activations), key=f"sym_network_{i}",
                config={"displayModeBar": False},
                alt=f"{group.labels[i]}: " + figures_alt.network_alt(
                    t.layer_dims, t.activations, iteration=group.iteration,
                    mode="gradients" if gradients_mode else "weights"))


# ---- the cost landscape of one column (issue 15) ------------------------------------------


def landscape_card():
    with st.container(border=True, key="sym_landscape_card"):
        st.header("Cost landscape", anchor=False)
        column = st.selectbox("Network", range(len(trainers)), key="sym_landscape_column",
                              format_func=lambda i: group.labels[i],
                              help="Whose path to draw: each network has its own.")
        column = column if column is not None and column < len(trainers) else 0
        st.caption(f"J around {group.labels[column]}'s θ at iteration "
                   f"{fmt.count(group.iteration)}, "
                   "with the path its gradient descent took, projected onto the plane.")
        ui_landscape.landscape_view(trainers[column], key="sym_landscape", height=480)


landscape_card()
