"""Initialization scale lab: does the signal keep its scale through the layers at
iteration 0? Z[l], A[l] and ||dW[l]|| per layer for several initializations."""

import numpy as np
import streamlit as st

from playground.core.datasets import DATASETS
from playground.core.nn import ACTIVATIONS
from playground.figures import alt_text as figures_alt
from playground.figures.init_lab import make_layer_box_figure, make_per_layer_figure
from playground.figures.theme import SERIES_PALETTE
from playground.lab import init_lab as lab
from playground.ui import live_chart as ui_chart
from playground.ui.session import MAIN_ACTIVATIONS

BOX_HEIGHT = 340
LINES_HEIGHT = 440
COLORS = {key: SERIES_PALETTE[i] for i, key in enumerate(lab.INIT_CHOICES)}
SOURCES = [lab.CLOUD, *DATASETS]

st.title("Initialization scale lab")
st.markdown(
    "At initialization b[l] = 0, so each layer computes Z[l] = W[l]·A[l−1]: the scale of "
    "W[l] multiplies the signal once per layer. **× 0.01** shrinks it layer by layer, and "
    "the gradients with it (vanishing); **× 1** makes Z[l] about √n[l−1] times larger, so "
    "tanh units sit in their flat tails (saturated, g′ ≈ 0) and ReLU signals grow. "
    "**Xavier** (× √(1/n[l−1])) keeps tanh's scale; **He** (× √(2/n[l−1])) makes up for the "
    "half of ReLU's inputs that are 0 and keeps ReLU's.")

# ---- controls -------------------------------------------------------------------------------
sb = st.sidebar
sb.subheader("Network at iteration 0", divider="gray")
depth = sb.slider("Hidden layers", 1, lab.MAX_DEPTH, 6, key="lab_depth")
width = sb.select_slider("Units per hidden layer n[l]", lab.WIDTHS, value=64, key="lab_width",
                         help="Wider layers give smoother statistics. (The Playground caps a "
                              "layer at 16 units; the lab goes wider.)")
activation = sb.selectbox("Activation g of hidden layers", MAIN_ACTIVATIONS, index=1,
                          key="lab_activation", format_func=lambda a: ACTIVATIONS[a].label,
                          help="The output layer is the sigmoid, as everywhere.")
choices = sb.pills("Initializations", list(lab.INIT_CHOICES), selection_mode="multi",
                   default=list(lab.INIT_CHOICES), key="lab_inits",
                   format_func=lambda k: lab.INIT_CHOICES[k].label)
sb.subheader("Input", divider="gray")
source = sb.selectbox("Input X", SOURCES, key="lab_source",
                      format_func=lambda s: "standard-normal cloud" if s == lab.CLOUD
                      else DATASETS[s].label,
                      help=f"The cloud: {lab.CLOUD_POINTS:,} points of N(0, 1) in 2 dimensions. "
                           f"A data set: {lab.DATASET_POINTS} of its points, not rescaled.")
seed = sb.number_input("Seed", 0, 10_000, 0, step=1, key="lab_seed",
                       help="Draws the weights (and the cloud).")


@st.cache_data(max_entries=16, show_spinner=False)
def inputs(source: str, seed: int):
    return lab.lab_inputs(source, seed)


X, Y = inputs(source, int(seed))
if source == lab.CLOUD:
    st.caption(f"Input: {X.shape[1]:,} points of a standard-normal cloud in 2 dimensions "
               "(labels y = 1 where x₁·x₂ > 0, needed only for the gradients). "
               f"Network: 2 → {' → '.join([str(width)] * depth)} → 1, "
               f"{ACTIVATIONS[activation].label} hidden layers, σ output.")
else:
    st.caption(f"Input: the {DATASETS[source].label} data set, {X.shape[1]} points, "
               f"not rescaled. Network: 2 → {' → '.join([str(width)] * depth)} → 1, "
               f"{ACTIVATIONS[activation].label} hidden layers, σ output.")

if not choices:
    st.info("Pick at least one initialization in the sidebar.", icon=":material/tune:")
    st.stop()

reports = lab.run_lab(X, Y, depth, width, activation, choices, int(seed))

# ---- distributions per layer ----------------------------------------------------------------
st.header("Distribution of each hidden layer's values", anchor=False)
what = st.segmented_control("Show", ["A[l] = g(Z[l])", "Z[l] = W[l]·A[l−1]"],
                            default="A[l] = g(Z[l])", key="lab_what", required=True)
use_A = what.startswith("A")
st.caption("One box per layer: the middle half of the values, whiskers to the minimum and "
           "maximum. Each chart has its own y scale: read the tick labels.")
for start in range(0, len(reports), 2):
    for col, r in zip(st.columns(2, gap="large"), reports[start:start + 2], strict=False):
        with col:
            st.markdown(f"**{r.choice.label}** · `{r.choice.formula}`")
            fig = make_layer_box_figure(r.choice.label, r.hidden_A if use_A else r.hidden_Z,
                                        y_title="A[l]" if use_A else "Z[l]",
                                        color=COLORS[r.choice.key], height=BOX_HEIGHT)
            ui_chart.live_chart(fig, key=f"box_{r.choice.key}", config={"displayModeBar": False},
                                alt=figures_alt.layer_spread_alt(
                                    r.choice.label, r.hidden_A if use_A else r.hidden_Z,
                                    quantity="A" if use_A else "Z"))
            st.caption(lab.describe(r))

# ---- scale and gradients per layer ------------------------------------------------------------
c1, c2 = st.columns(2, gap="large")
with c1:
    st.header("Scale of the signal: std of A[l]", anchor=False)
    std_series = [{"name": r.choice.label, "x": np.arange(1, depth + 1), "y": r.std_A,
                   "color": COLORS[r.choice.key]} for r in reports]
    ui_chart.live_chart(make_per_layer_figure(
        std_series,
        y_title="std of A[l] (log scale)", x_title="hidden layer l", height=LINES_HEIGHT),
        key="lab_std", config={"displayModeBar": False},
        alt=figures_alt.per_layer_alt("Std of A[l] per hidden layer", std_series))
with c2:
    st.header("Gradients: ‖dW[l]‖", anchor=False)
    dw_series = [{"name": r.choice.label, "x": np.arange(1, r.L + 1), "y": r.dW_norms,
                  "color": COLORS[r.choice.key]} for r in reports]
    ui_chart.live_chart(make_per_layer_figure(
        dw_series,
        y_title="‖dW[l]‖ (log scale)", x_title=f"layer l (layer {depth + 1} is the output)",
        height=LINES_HEIGHT), key="lab_dw", config={"displayModeBar": False},
        alt=figures_alt.per_layer_alt("‖dW[l]‖ per layer at the first iteration", dw_series))
st.caption("‖dW[l]‖ = ‖(1/m)·dZ[l]·A[l−1]ᵀ‖ at the very first iteration: how much gradient "
           "descent can move each layer's weights. Many orders of magnitude between "
           "initializations, or between the first and the last layer, is the vanishing or "
           "exploding gradient.")
