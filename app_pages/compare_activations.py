"""Sigmoid vs tanh vs ReLU: the same network trained with each activation, over seeds."""

import dataclasses
import time

import numpy as np
import streamlit as st

from playground.core import text as fmt
from playground.core.datasets import DATASETS
from playground.core.diagnostics import SATURATION_THRESHOLD
from playground.core.nn import ACTIVATIONS, INITIALIZATIONS
from playground.figures import alt_text as figures_alt
from playground.figures import compare as figures_compare
from playground.figures.series import make_series_figure
from playground.figures.theme import SERIES_PALETTE
from playground.lab import compare as cmp
from playground.lab import predictions
from playground.ui import live_chart as ui_chart
from playground.ui import predict as ui_predict
from playground.ui import session as ui

N_SAMPLES, TEST_FRACTION, DATA_SEED = 400, 0.2, 0
DTYPE = np.float32  # the same curves as float64 here (checked), about twice as fast
GRID_RESOLUTION = 50
# By boundaries per row. The square plane fills its column's width (~260 px at 1280 px with
# the sidebar, three in a row) and sits at the top; where a column is wider (1920 px) the
# height sets the plane's size.
BOUNDARY_HEIGHTS = {3: 290, 4: 250}
SERIES_HEIGHT = 420
MAX_PER_ROW = 4  # decision boundaries side by side
MAX_KEPT_RUNS = 4  # finished runs kept in the session: going back to one is instant
ITERATION_CHOICES = (100, 250, 500, 1000, 2000, 3000, 5000, 7500, 10_000)
DEFAULTS = {
    "cmp_w_dataset": "flower",
    "cmp_w_layers": 2,
    "cmp_w_units": 8,
    "cmp_w_activations": list(cmp.DEFAULT_ACTIVATIONS),
    "cmp_w_init": "xavier",
    "cmp_w_scale": 0.01,
    "cmp_w_alpha": 0.6,
    "cmp_w_iterations": 3000,
    "cmp_w_seeds": 5,
    "cmp_w_threshold": 0.3,
    "cmp_w_log_cost": False,
}

ss = st.session_state
ui.restore_widgets(DEFAULTS, "cmp_settings")

st.title("Sigmoid vs tanh vs ReLU")
# The intro names the shown run's number of seeds: filled in once that run is known.
intro = st.empty()


def intro_text(n_seeds: int) -> str:
    seeds = "one random seed" if n_seeds == 1 else f"{n_seeds:,} random seeds"
    return (
        "The same network, the same data, the same initialization and the same α: only the "
        f"hidden activation g[l] changes, and each is trained from {seeds}. "
        "**tanh** usually beats **sigmoid** in hidden layers: it is zero-centred and four times "
        "steeper at 0 (g'(0) = 1 against 0.25), so dZ[l] = dA[l] * g'(Z[l]) stays larger. "
        "**ReLU** learns fast (g' = 1 for every z > 0) but a unit whose z ≤ 0 on every example "
        "is dead: g' = 0, so its weights stop moving. On its way back the gradient is "
        "multiplied by g'(Z[l]) at every hidden layer, and **sigmoid**'s g' is at most 0.25: "
        "the gradients tab measures, for the run below, how ||dW[1]|| compares with the last "
        "layer's at the start and as training goes on.")


def gradient_y_title(n_seeds: int) -> str:
    """The gradient charts' y title: a mean only where there are seeds to average."""
    return "||dW[l]|| " + ("(one seed)" if n_seeds == 1 else f"(mean over {n_seeds:,} seeds)")


def load_data(name: str):
    return ui.generated_split(name, N_SAMPLES, None, DATA_SEED, TEST_FRACTION)


@st.cache_resource(max_entries=2, show_spinner="Training the default comparison…")
def default_run(key: tuple, _settings: cmp.CompareSettings) -> cmp.ComparisonRun:
    """The comparison the page opens on, trained once per server: every first visit
    shows it at once. Nothing mutates a finished run, so sessions can share it."""
    return cmp.run_comparison(_settings, *load_data(_settings.dataset), dtype=DTYPE)


# ---- sidebar ---------------------------------------------------------------------------

sb = st.sidebar
sb.subheader("Data", divider="gray")
sb.selectbox("Dataset", list(DATASETS), key="cmp_w_dataset",
             format_func=lambda n: DATASETS[n].label)
sb.caption(f"{DATASETS[ss['cmp_w_dataset']].description} {N_SAMPLES} points, "
           f"{TEST_FRACTION:.0%} held out for testing.")

sb.subheader("Network", divider="gray")
sb.slider("Hidden layers", *cmp.HIDDEN_LAYERS_RANGE, key="cmp_w_layers",
          help="Every hidden layer uses the activation being compared; the output layer is "
               "always the sigmoid σ.")
sb.slider("Units per hidden layer n[l]", *cmp.UNITS_RANGE, key="cmp_w_units")
sb.multiselect("Activations to compare", list(ACTIVATIONS), key="cmp_w_activations",
               format_func=ui.ACTIVATION_LABELS.get,
               help="Each one gets the same network, data, initialization and α.")

sb.subheader("Initialization", divider="gray")
sb.selectbox("Weights W[l]", list(INITIALIZATIONS), key="cmp_w_init",
             format_func=ui.INIT_LABELS.get,
             help=" ".join(f"{m.label}: {m.description}" for m in INITIALIZATIONS.values()))
if ss["cmp_w_init"] in ("random", "constant"):
    sb.number_input("scale" if ss["cmp_w_init"] == "random" else "c", min_value=0.0,
                    max_value=100.0, step=0.01, format="%g", key="cmp_w_scale")

sb.subheader("Training", divider="gray")
if ss["cmp_w_alpha"] not in ui.ALPHAS:
    ss["cmp_w_alpha"] = min(ui.ALPHAS, key=lambda a: abs(np.log(a / ss["cmp_w_alpha"])))
sb.select_slider("Learning rate α", ui.ALPHAS, key="cmp_w_alpha", format_func=lambda a: f"{a:g}",
                 help="The same α for every network: W := W − α·dW.")
sb.select_slider("Iterations", ITERATION_CHOICES, key="cmp_w_iterations",
                 format_func=fmt.count)
sb.slider("Seeds per activation", *cmp.SEEDS_RANGE, key="cmp_w_seeds",
          help="Each seed draws different initial weights: the table shows the mean and the "
               "spread over seeds, the cost chart their range.")

sb.subheader("Read-outs", divider="gray")
sb.select_slider("Cost threshold", cmp.THRESHOLDS, key="cmp_w_threshold",
                 help="The table says at which iteration the cost J first fell below it. "
                      "Changing it needs no new run.")
sb.toggle("Log-scale cost", key="cmp_w_log_cost")

ui.remember_widgets(DEFAULTS, "cmp_settings")

settings = cmp.CompareSettings(
    dataset=ss["cmp_w_dataset"],
    hidden_layers=int(ss["cmp_w_layers"]),
    units=int(ss["cmp_w_units"]),
    activations=tuple(a for a in ss["cmp_w_activations"] if a in ACTIVATIONS),
    init=ss["cmp_w_init"],
    init_scale=float(ss["cmp_w_scale"]) if ss["cmp_w_init"] in ("random", "constant") else None,
    alpha=float(ss["cmp_w_alpha"]),
    iterations=int(ss["cmp_w_iterations"]),
    n_seeds=int(ss["cmp_w_seeds"]),
)
threshold = float(ss["cmp_w_threshold"])


# ---- running ---------------------------------------------------------------------------

runs: dict = ss.setdefault("cmp_runs", {})


def run(s: cmp.CompareSettings) -> None:
    """Train the comparison with a progress bar and a Stop button; keep it in the session.

    Stop works the Streamlit way: pressing it starts a new run of the script, which ends
    this one at its next progress update; the last finished comparison stays on show."""
    stop = st.empty()
    stop.button("Stop", icon=":material/stop:", key="cmp_stop",
                help="Abandon this comparison and keep showing the last finished one.")
    bar = st.progress(0.0, text="Training…")
    t0 = time.perf_counter()

    def progress(done: int, n: int) -> None:
        elapsed = time.perf_counter() - t0
        left = elapsed / max(done, 1) * (n - done)
        bar.progress(done / max(n, 1),
                     text=f"Training {s.n_networks} networks together: {done:,} / {n:,} "
                          f"iterations · about {left:.0f} s left")

    try:
        result = cmp.run_comparison(s, *load_data(s.dataset), callback=progress, dtype=DTYPE)
    except ValueError as e:
        st.error(f"These settings cannot be trained: {e}.", icon=":material/error:")
        return
    finally:
        bar.empty()
        stop.empty()
    runs.pop(s, None)
    runs[s] = result
    while len(runs) > MAX_KEPT_RUNS:
        runs.pop(next(iter(runs)))
    ss["cmp_current"] = s


def _whole_percent(share: float) -> str:
    return fmt.percent(share, decimals=0)


if ss.get("cmp_stop"):
    st.toast("Stopped: the last finished comparison is still on show.", icon=":material/stop:")

problem = ""
try:
    settings.check()
except ValueError as e:
    problem = str(e)
estimate = 0.0 if problem else cmp.estimated_seconds(settings)
if estimate > cmp.MAX_RUN_SECONDS:
    problem = (f"this comparison would take roughly {estimate / 60:.0f} minutes; fewer seeds, "
               "iterations, activations or units make it faster")

# Predict, then run: which activation ends lowest, judged on each run started after an
# answer was picked, against the answer picked when it started.
QUESTION = predictions.COMPARE_QUESTION
ASK = ui_predict.enabled()
predicted: dict = ss.setdefault("cmp_predicted", {})  # settings: the answer at Run
if ASK:
    missing = predictions.compare_names_missing(settings.activations)
    ui_predict.block(
        QUESTION, locked=False, horizontal=True,
        note=("The question compares sigmoid, tanh and ReLU: add "
              + ", ".join(ACTIVATIONS[n].label for n in missing) + " in the sidebar.")
        if missing else "Pick, change the settings if you like, then press Run: the page "
                        "says whether your prediction held for that run.")

with st.container(horizontal=True, vertical_alignment="center"):
    pressed = st.button("Run", type="primary", icon=":material/play_arrow:",
                        disabled=bool(problem), key="cmp_run",
                        help="Train every activation × seed together, then show the results.")
    st.markdown(f"**{cmp.count_text(len(settings.activations), 'activation')} × "
                f"{cmp.count_text(settings.n_seeds, 'seed')} = "
                f"{cmp.count_text(settings.n_networks, 'network')}** · `{settings.architecture}` · "
                f"{ui.INIT_LABELS[settings.init]} · α = {settings.alpha:g} · "
                f"{settings.iterations:,} iterations · roughly {fmt.duration(estimate)}")

if problem:
    st.warning(f"Nothing to run: {problem}.", icon=":material/info:")
elif estimate > cmp.SLOW_RUN_SECONDS:
    st.caption(f":orange[This comparison takes roughly {fmt.duration(estimate)}]: fewer seeds "
               "or iterations make it faster (ELU, softplus, SiLU and GELU cost the most).")
if not problem:
    if pressed:
        if ASK and ui_predict.answer(QUESTION) is not None:
            predicted[settings] = ui_predict.answer(QUESTION)
        run(settings)
        for old in [k for k in predicted if k not in runs]:
            predicted.pop(old)
    elif "cmp_current" not in ss:  # the first visit opens on a finished comparison
        if settings == cmp.CompareSettings():
            runs[settings] = default_run(dataclasses.astuple(settings), settings)
            ss["cmp_current"] = settings
        else:
            run(settings)

current: cmp.ComparisonRun | None = runs.get(ss.get("cmp_current"))
if current is None:
    intro.markdown(intro_text(settings.n_seeds))
    st.stop()
if current.settings != settings and not problem:
    if settings in runs:  # a comparison already trained this session: show it
        ss["cmp_current"] = settings
        current = runs[settings]
    else:
        st.info("The settings in the sidebar changed: press **Run** to compare with them. "
                "Below: the last run.", icon=":material/refresh:")

s = current.settings
intro.markdown(intro_text(s.n_seeds))
results = cmp.run_results(current, threshold)
st.caption(f"Last run: {s.n_networks} networks ({s.architecture}, "
           f"{DATASETS[s.dataset].label}, {ui.INIT_LABELS[s.init]}"
           f"{'' if s.init_scale is None else f' {s.init_scale:g}'}, α = {s.alpha:g}) trained "
           f"together for {s.iterations:,} iterations in {current.seconds:.1f} s.")

if ASK and s in predicted and not predictions.compare_names_missing(s.activations):
    asked = [r for r in results if r.name in QUESTION.outcomes]
    ui_predict.show_verdict(QUESTION, predictions.measure_comparison(
        [r.name for r in asked], [r.final_cost for r in asked], [r.diverged for r in asked],
        s.iterations), picked=predicted[s])

diverged = cmp.describe_divergence(results)
if diverged:
    st.error(f"Some networks diverged with α = {s.alpha:g}: {diverged}. The steps overshot "
             "instead of going downhill until the weights became inf or NaN. Each was "
             "stopped at its last good state, and the table leaves diverged seeds out of its "
             "numbers. Try a smaller α.",
             icon=":material/warning:")
rose = cmp.describe_cost_rose(results)
if rose:
    st.warning(f"With α = {s.alpha:g}, some networks ended with a higher cost J than they "
               f"started with: {rose}. The steps overshoot the minimum, or every unit died "
               "(see \"dead units\"). Try a smaller α.", icon=":material/trending_up:")

# ---- summary table ------------------------------------------------------------------------

st.header("Summary over seeds" if s.n_seeds > 1 else "Summary (one seed)", anchor=False)
st.dataframe(
    cmp.display_rows(cmp.summary_rows(results, threshold)), hide_index=True, width="stretch",
    column_config={
        "activation": st.column_config.TextColumn(pinned=True),
        "dead units": st.column_config.TextColumn(
            help="Hidden units with g'(z) = 0 on every training example at the end "
                 "(mean over seeds): dead ReLUs stop learning."),
        "status": st.column_config.TextColumn(
            help="diverged: the weights became inf or NaN; cost rose: J ended higher than "
                 "it started (α too large, or every unit died)."),
    })
st.caption(cmp.summary_caption(s.n_seeds, threshold) + " "
           + cmp.fastest_sentence(results, threshold))

# ---- decision boundaries ----------------------------------------------------------------

st.header("Decision boundaries (seed 1 of each)", anchor=False)
# One colour key for every thumbnail (each without its own colour bar, so that its plane
# gets the column's width).
key_text, key_chart = st.columns([3, 2], vertical_alignment="center")
key_text.caption("Colour: ŷ, the network's probability of class 1 (blue); black line: "
                 "ŷ = 0.5. Circles: training points; open diamonds: test points. "
                 "Axes: x₁ across, x₂ up.")
with key_chart:
    ui_chart.live_chart(figures_compare.make_probability_key_figure(), key="cmp_key",
                        config={"displayModeBar": False, "staticPlot": True},
                        alt="Colour key of the decision boundaries: ŷ from 0 (orange) "
                            "through 0.5 (white) to 1 (blue); the black line is ŷ = 0.5.")
Xtr, Ytr, Xte, Yte = current.X_train, current.Y_train, current.X_test, current.Y_test
grid = ui.cached_grid(np.hstack([Xtr, Xte]), GRID_RESOLUTION, np.dtype(DTYPE).name)
fm = current.final
ny, nx = grid.shape
per_row = min(max(len(s.activations), 3), MAX_PER_ROW)
for start in range(0, len(s.activations), per_row):
    cols = st.columns(per_row)
    for col, name in zip(cols, s.activations[start:start + per_row], strict=False):
        k = current.networks_of(name)[0]
        with col:
            st.markdown(f"**{ACTIVATIONS[name].label}**")
            ui_chart.live_chart(figures_compare.make_boundary_thumbnail_figure(
                grid, current.probabilities(grid.X, k).reshape(ny, nx), Xtr, Ytr, Xte, Yte,
                height=BOUNDARY_HEIGHTS[per_row], uirevision=f"cmp-{name}"),
                key=f"cmp_boundary_{name}", config={"displayModeBar": False},
                alt=figures_alt.thumbnail_alt(
                    ACTIVATIONS[name].label, seed=1, iterations=s.iterations,
                    train_accuracy=fm["train_accuracy"][k], test_accuracy=fm["test_accuracy"][k],
                    diverged_at=current.diverged_at[k] if current.diverged[k] else None))
            if current.diverged[k]:
                st.caption(f":red[Diverged at iteration {current.diverged_at[k]:,}]: showing its "
                           "last good state.")
            else:
                st.caption(f"train {fm['train_accuracy'][k]:.0%} · test "
                           f"{fm['test_accuracy'][k]:.0%} · J = {fm['train_cost'][k]:.3f}")
            if cmp.is_linear_network(current.activations_of(k)[:-1]):
                st.info("Linear layers collapse to W'x + b': a straight line, exactly like "
                        "logistic regression.", icon=":material/linear_scale:")

# ---- curves ------------------------------------------------------------------------------

h = current.history
L = current.L
seeds_note = "" if s.n_seeds == 1 else f" (mean over {s.n_seeds:,} seeds)"
tabs = st.tabs(["Cost J", "Gradients ||dW[l]||", "Saturated and dead units"])
with tabs[0]:
    series, band = cmp.cost_series(h, s.activations, s.n_seeds, palette=SERIES_PALETTE)
    exploded = cmp.needs_log_scale(series)
    ui_chart.live_chart(make_series_figure(
        series, y_title="training cost J", band=band,
        log_y=bool(ss["cmp_w_log_cost"]) or exploded,
        height=SERIES_HEIGHT, uirevision="cmp-cost"), key="cmp_cost",
        alt=figures_alt.series_alt("Training cost J per activation" + seeds_note, series,
                                   iteration=int(h["iteration"][-1])))
    st.caption(("Lines: the mean over seeds; shaded: from the best seed to the worst."
                if s.n_seeds > 1 else "Lines: one seed per activation.")
               + (" Some costs exploded before their networks diverged: the axis is "
                  "logarithmic so that the other curves stay visible." if exploded else ""))
with tabs[1]:
    left, right = st.columns([1, 1.4])
    with left:
        st.markdown("**Layer by layer, at the start and at the end**")
        ui_chart.live_chart(figures_compare.make_layer_profile_figure(
            cmp.layer_profiles(h, s.activations, s.n_seeds, palette=SERIES_PALETTE),
            y_title=gradient_y_title(s.n_seeds),
            height=SERIES_HEIGHT, uirevision="cmp-profile"), key="cmp_profile",
            alt=figures_alt.per_layer_alt(
                "||dW[l]|| layer by layer at the start and at the end" + seeds_note,
                cmp.layer_profiles(h, s.activations, s.n_seeds, palette=SERIES_PALETTE)))
        end_it = int(h["iteration"][-1])
        st.caption(f"Solid: at iteration 0; dashed: at iteration {end_it:,}, the end of "
                   "training" + (" (a diverged network's last good iteration)"
                                 if current.any_diverged else "") + ".")
    with right:
        st.markdown("**During training**")
        shown = st.segmented_control("Layers", ["first and last", "every layer"],
                                     default="first and last", key="cmp_w_grad_layers",
                                     required=True, label_visibility="collapsed")
        layers = (list(range(1, L + 1)) if shown == "every layer" or L <= 2 else [1, L])
        series = cmp.per_layer_series(h, s.activations, s.n_seeds, "dW_norms",
                                      palette=SERIES_PALETTE,
                                      layer_names=[f"dW[{l}]" for l in range(1, L + 1)],
                                      layers=layers)
        ui_chart.live_chart(make_series_figure(
            series, y_title=gradient_y_title(s.n_seeds), log_y=True,
            height=SERIES_HEIGHT - 40, uirevision="cmp-grad"), key="cmp_grads",
            alt=figures_alt.series_alt("||dW[l]|| during training" + seeds_note, series,
                                       iteration=int(h["iteration"][-1])))
        st.caption("Colour: the activation. Solid: dW[1]; dashed, dotted…: the later layers.")
    st.caption("||dW[l]||: the size of layer l's gradient (Frobenius norm). On its way back, "
               "dA[l−1] = W[l]ᵀ·dZ[l] is multiplied by g'(Z[l−1]) at every layer (sigmoid: "
               "g' ≤ 0.25): where g' is small the earlier layers' gradients shrink, by how "
               "much depends on the weights, which training changes. "
               + cmp.gradient_gap_sentence(cmp.gradient_gaps(h, s.activations, s.n_seeds), L))
with tabs[2]:
    hidden_names = [f"layer {l}" for l in range(1, L)]
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**Saturated: share of (unit, example) pairs with |g'(z)| < "
                    f"{SATURATION_THRESHOLD:g}**")
        series = cmp.per_layer_series(h, s.activations, s.n_seeds, "saturation",
                                      palette=SERIES_PALETTE,
                                      layer_names=hidden_names)
        ui_chart.live_chart(make_series_figure(
            series, y_title="share saturated", height=SERIES_HEIGHT,
            uirevision="cmp-sat"), key="cmp_saturation",
            alt=figures_alt.series_alt("Share of saturated (unit, example) pairs" + seeds_note,
                                       series, iteration=int(h["iteration"][-1]),
                                       fmt=_whole_percent))
    with c2:
        st.markdown("**Dead: share of units with g'(z) = 0 on every example**")
        series = cmp.per_layer_series(h, s.activations, s.n_seeds, "dead_units",
                                      palette=SERIES_PALETTE,
                                      layer_names=hidden_names, scale=s.hidden)
        ui_chart.live_chart(make_series_figure(
            series, y_title="share of units dead", height=SERIES_HEIGHT,
            uirevision="cmp-dead"), key="cmp_dead",
            alt=figures_alt.series_alt("Share of dead units" + seeds_note, series,
                                       iteration=int(h["iteration"][-1]), fmt=_whole_percent))
    st.caption("Saturated sigmoid/tanh units and ReLUs with z ≤ 0 pass back almost no "
               "gradient. A ReLU that is off for every example gets no gradient at all, so "
               "its weights stop moving: in layer 1, whose input X never changes, it is dead "
               "for good; deeper, it can come back only if the layers before it change its "
               "input. A leaky ReLU keeps g' = 0.01 for z < 0, its leak by design: it learns "
               "slowly there but is never counted saturated, and never dies.")
