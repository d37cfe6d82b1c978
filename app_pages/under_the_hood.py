"""Under the hood: the equations of the current network with its real shapes, the current
gradients, a gradient check, and the source of the code that ran."""

import numpy as np
import streamlit as st

from playground.core import text as fmt
from playground.core.nn import ACTIVATIONS
from playground.figures import alt_text as figures_alt
from playground.figures.series import make_series_figure
from playground.lab import hood
from playground.ui import live_chart as ui_chart
from playground.ui import session as ui

EPSILONS = (1e-7, 1e-6, 1e-5, 1e-4)
VERDICT_BOX = {"great": st.success, "check": st.warning, "bug": st.error,
               "kink": st.info, "resolution": st.info}
VERDICT_ICON = {"great": ":material/check_circle:", "check": ":material/search:",
                "bug": ":material/bug_report:", "kink": ":material/info:",
                "resolution": ":material/info:"}

st.title("Under the hood")
st.caption("The forward and backward propagation of the Playground's network, written in the "
           "course's notation with the real shapes, the gradients it has right now, a "
           "gradient check, and the very code that produced the plots.")

ss = st.session_state
trainer = ss.get("trainer")
if trainer is None:  # opened directly: the Playground's network from the URL or defaults
    trainer = ui.get_trainer(ui.current_config())
    ss["hood_built"] = id(trainer)
if ss.get("hood_built") == id(trainer) and trainer.iteration == 0:
    st.info("No network has been trained in this session yet: this is the Playground's "
            "current configuration at iteration 0.", icon=":material/info:")

L, dims, acts = trainer.L, trainer.layer_dims, trainer.activations
m, m_step = trainer.m, trainer.batch_size
metrics = trainer.metrics()
grads = trainer.gradients()

# ---- where we are ------------------------------------------------------------------------
arch = " → ".join(str(n) for n in dims)
gs = ", ".join(ACTIVATIONS[a].label for a in acts)
st.markdown(f"**Network** `{arch}` (L = {L}; g[1..{L}] = {gs}) · **m = {m:,}** training "
            f"examples, one per column of X.")
cols = st.columns(4)
cols[0].metric("Iteration", fmt.count(trainer.iteration))
cols[1].metric("Cost J", fmt.cost(metrics.train_cost))
cols[2].metric("Train accuracy", fmt.percent(metrics.train_accuracy))
cols[3].metric("Learning rate α", f"{trainer.current_learning_rate():g}")
if trainer.diverged:
    st.error(ui.divergence_message(trainer), icon=":material/warning:")
if not trainer.full_batch:
    st.info(f"Training uses mini-batches of {m_step}: in each step the equations below run "
            f"with m = {m_step} columns. The norms and the gradient check use all {m:,} "
            "training examples.", icon=":material/view_module:")

# ---- the equations -----------------------------------------------------------------------
st.header("One iteration of gradient descent, with its shapes", anchor=False)
plain = st.toggle("Plain text (as in notation.md)", key="hood_plain",
                  help="The same equations as monospaced text you can copy.")


def show(sections: list[hood.Section]) -> None:
    """One block per part, so that every = lines up; st.latex centres it."""
    if plain:
        st.code(hood.join_text(sections), language=None)
    else:
        st.latex(hood.join_latex(sections))


alpha = trainer.current_learning_rate()
left, right = st.columns(2, gap="large")
with left:
    st.markdown("### Forward propagation, l = 1 … L")
    show(hood.forward_sections(dims, acts, m_step))
    st.markdown("### Cost")
    show([hood.cost_section(m_step, L, trainer.regularization, trainer.lambd)])
with right:
    st.markdown("### Backward propagation, l = L … 1")
    show(hood.backward_sections(dims, acts, m_step, trainer.regularization, trainer.lambd))
    st.markdown(f"### Update, α = {alpha:g}")
    show([hood.update_section(dims, alpha)])
st.caption("Shapes are (rows, columns); m is the number of columns (examples). * is "
           "element-wise, · is the matrix product, and b[l] (n[l], 1) is added to every "
           "column (broadcasting). The trainer computes J from Z[L] in a stable form: the "
           "same number, finite even when ŷ is exactly 0 or 1.")

# ---- the gradients now -------------------------------------------------------------------
st.header("The gradients right now", anchor=False)
rows = hood.layer_numbers(trainer.parameters, grads, acts)
st.table({
    "layer l": [r.l for r in rows],
    "g[l]": [ACTIVATIONS[r.activation].label for r in rows],
    "W[l] shape": [str(r.W_shape) for r in rows],
    "‖W[l]‖": [f"{r.W_norm:.4g}" for r in rows],
    "‖dW[l]‖": [f"{r.dW_norm:.3e}" for r in rows],
    "‖db[l]‖": [f"{r.db_norm:.3e}" for r in rows],
})
st.caption("Frobenius norms on all training examples, at the current parameters. A ‖dW[l]‖ "
           "far smaller in early layers than in late ones is a vanishing gradient.")
history = trainer.history()
if len(history["iteration"]) > 1:
    norms = history["dW_norms"]
    series = [{"name": f"‖dW[{l}]‖", "x": history["iteration"], "y": norms[:, l - 1]}
              for l in range(1, L + 1)]
    finite = norms[np.isfinite(norms)]
    st.caption("‖dW[l]‖ of every layer over the iterations so far (log scale when all are "
               "above 0).")
    ui_chart.live_chart(make_series_figure(series, y_title="‖dW[l]‖",
                                           log_y=bool(finite.size and finite.min() > 0)),
                    key="hood_norms",
                    alt=figures_alt.series_alt("‖dW[l]‖ of each layer", series,
                                               iteration=int(history["iteration"][-1])))

# ---- gradient check ------------------------------------------------------------------------
st.header("Gradient check", anchor=False)
m_check = min(m, hood.GRADCHECK_MAX_EXAMPLES)
st.markdown(
    "Compares backpropagation's gradient with the two-sided finite differences "
    "(J(θ + ε) − J(θ − ε)) / 2ε, one parameter at a time, in float64: "
    "difference = ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖). "
    + (f"To keep it quick it uses the first {m_check} of the {m:,} training examples."
       if m_check < m else f"It uses all {m:,} training examples.")
    + (f" The {trainer.regularization} term (λ = {trainer.lambd:g}) is included."
       if trainer.regularization != "none" and trainer.lambd else ""))
with st.container(horizontal=True, vertical_alignment="bottom"):
    eps = st.select_slider("ε", EPSILONS, value=1e-7, key="hood_eps",
                           format_func=lambda e: f"{e:.0e}" + (" (course)" if e == 1e-7 else ""),
                           width=320)
    run = st.button("Gradient check", icon=":material/rule:", key="hood_gradcheck",
                    type="primary")
state_key = (id(trainer), trainer.iteration, eps)
if run:
    with st.spinner("Checking every parameter…"):
        ss["hood_check"] = (state_key, hood.run_gradient_check(
            trainer.X_train, trainer.Y_train, trainer.parameters, acts,
            regularization=trainer.regularization, lambd=trainer.lambd, epsilon=eps))
saved = ss.get("hood_check")
if saved and saved[0] == state_key:
    r = saved[1]
    c1, c2, c3 = st.columns(3)
    c1.metric("Relative difference", f"{r.diff:.2e}")
    c2.metric("Parameters checked", f"{r.n_parameters:,}",
              help=f"{2 * r.n_parameters:,} evaluations of J")
    c3.metric("Time", f"{r.seconds:.2f} s", help=f"on {r.m_used} examples")
    VERDICT_BOX[r.verdict.level](r.verdict.message, icon=VERDICT_ICON[r.verdict.level])
    st.caption("The course's reading: below 1e-7 great; 1e-7 to 1e-3 check; above 1e-3 "
               f"almost surely a bug. Round-off in J(θ ± ε) alone can account for up to about "
               f"{r.floor:.0e} here "
               f"(‖grad‖ = {r.grad_norm:.2e}, ε = {r.epsilon:.0e}).")
elif saved:
    st.caption("The network changed since the last check: run it again.")

# ---- the code ------------------------------------------------------------------------------
st.header("The code that ran", anchor=False)
st.caption("The Playground's plots come from these functions of "
           "`playground/core/propagation.py` and `playground/engine/trainer.py`, shown here "
           "straight from the running source.")
for title, src in hood.core_sources(acts):
    with st.expander(title, expanded=False):
        st.code(src, language="python", line_numbers=True)

st.page_link("app_pages/playground.py", label="Back to the Playground",
             icon=":material/play_circle:")
