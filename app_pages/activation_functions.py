"""Activation functions: g(z), g'(z), where they saturate, and what each is used for."""

import numpy as np
import pandas as pd
import streamlit as st

from playground.core.diagnostics import SATURATION_THRESHOLD
from playground.core.nn import ACTIVATIONS
from playground.figures import alt_text as figures_alt
from playground.figures.activations import CURVE_POINTS, make_activation_curves_figure
from playground.lab import compare as cmp
from playground.ui import live_chart as ui_chart
from playground.ui import session as ui

Z_LIMIT = 20
FORMULAS_PER_ROW = 3
MIN_FORMULA_WIDTH = 60  # characters of LaTeX: the narrowest card's share
DEFAULTS = {"act_w_z_range": (-6.0, 6.0), "act_w_shade": True}

ss = st.session_state
ui.restore_widgets(DEFAULTS, "act_settings")

st.title("Activation functions")
st.markdown(
    "Each hidden layer computes A[l] = g[l]\\(Z[l]), and backward propagation multiplies by "
    "its derivative: dZ[l] = dA[l] * g'[l]\\(Z[l]). Where g'(z) is nearly 0 (shaded: "
    f"|g'(z)| < {SATURATION_THRESHOLD:g}) a unit is **saturated**: it passes almost no "
    "gradient back, so its weights barely move. A leaky ReLU's slope 0.01 for z < 0 is its "
    "leak, there by design so that the unit keeps learning: it is not shaded. "
    "Solid: g(z); dashed: g'(z).")


@st.cache_data(show_spinner=False)
def table_rows():
    return cmp.activation_table_rows()


with st.container(horizontal=True, vertical_alignment="bottom"):
    st.slider("Range of z", -float(Z_LIMIT), float(Z_LIMIT), step=0.5, key="act_w_z_range",
              help="Widen it to see sigmoid and tanh flatten out; narrow it to see the kink "
                   "of ReLU at 0.", width=520)
    st.toggle(f"Shade |g'| < {SATURATION_THRESHOLD:g}", key="act_w_shade")
ui.remember_widgets(DEFAULTS, "act_settings")

z_min, z_max = ss["act_w_z_range"]
if z_max - z_min < 0.5:  # the two handles on top of each other
    z_min, z_max = z_min - 0.5, z_max + 0.5
    st.caption(f"The range was too narrow to draw: showing z from {z_min:g} to {z_max:g}.")
z_points = np.linspace(z_min, z_max, CURVE_POINTS)  # the figure's own points
ui_chart.live_chart(make_activation_curves_figure(
    list(ACTIVATIONS), z_min=z_min, z_max=z_max, shade_saturation=bool(ss["act_w_shade"]),
    uirevision=f"act-{z_min}-{z_max}"), key="act_curves",
    alt=figures_alt.activation_curves_alt(
        {ACTIVATIONS[n].label: ACTIVATIONS[n].dg(z_points) for n in ACTIVATIONS}, z_points,
        threshold=SATURATION_THRESHOLD))
st.caption("Curves beyond ±3 leave the plot (ReLU, linear grow without bound) so that g'(z) "
           "stays readable.")

# ---- formulas --------------------------------------------------------------------------

st.header("Formulas", anchor=False)
names = list(ACTIVATIONS)
for start in range(0, len(names), FORMULAS_PER_ROW):
    row = names[start:start + FORMULAS_PER_ROW]
    # Long formulas (GELU's g') get a wider card, so that nothing is cut off.
    widths = [max(MIN_FORMULA_WIDTH, len(ACTIVATIONS[n].latex), len(ACTIVATIONS[n].dlatex))
              for n in row]
    widths += [MIN_FORMULA_WIDTH] * (FORMULAS_PER_ROW - len(row))
    cols = st.columns(widths, border=True)
    for col, name in zip(cols, row, strict=False):
        act = ACTIVATIONS[name]
        with col:
            st.markdown(f"**{act.label}**")
            st.latex(act.latex)
            st.latex(act.dlatex)
st.caption("At z = 0, where ReLU and leaky ReLU have a kink, g'(0) is taken from the right "
           "branch of the code (ReLU: 0, leaky ReLU: 0.01); the course lets us pick either. "
           "GELU is the tanh approximation most libraries ship, with "
           r"t = tanh(√(2/π)(z + 0.044715 z³)).")

# ---- comparison table ------------------------------------------------------------------

st.header("How they compare", anchor=False)
rows = pd.DataFrame(table_rows()).set_index("activation")
rows.index.name = None
st.table(rows)
st.caption("Zero-centred? yes: g is odd, its outputs balance around 0 (tanh); partly: "
           "g(0) = 0 and some outputs are negative; no: outputs are never negative, or "
           "g(0) ≠ 0. g'(−10) is the gradient far to the left: 0 means a unit stuck there "
           "never learns. Every number in this table is computed from the same code the "
           "networks run (playground.core.nn.ACTIVATIONS), over z ∈ [−50, 50]; \"∞\" means g "
           "keeps growing beyond it. In short, as in the course: sigmoid for the binary "
           "output layer; tanh usually beats sigmoid in hidden layers (zero-centred, "
           "steeper); ReLU is the default for hidden layers; leaky ReLU avoids dead units.")
