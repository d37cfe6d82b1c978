"""Download the experiment as a runnable notebook (issue 15, part 1).

``experiment_notebook(cfg, trainer)`` writes a Jupyter notebook (``nbformat``) that trains the
Playground's current run again in plain NumPy, in the course's notation, and needs nothing of
this project: NumPy, scikit-learn for the data sets it generates, plotly for the pictures.

* The core functions are the very source the app runs (``inspect``/``ast`` on
  ``playground.core``: ``initialize_parameters``, ``forward_propagation``, ... with the
  activations and the clone-keeping product they call), so the notebook computes the same
  numbers, to the last bit, on the same machine.
* The data is the generator's own code and call with its seed (verified at export: the call
  must give back the very arrays the trainer holds), or the points embedded.
* The training loop is ``Trainer._loop`` written out: the same seed, α, schedule,
  regularization, mini-batch shuffles and input features, and the changes made while the
  run went on (``Trainer.changes``), each at its iteration.
* The last cell compares the notebook's final cost and accuracies with the Playground's,
  written in at export time, and says whether they match.
"""

from __future__ import annotations

import ast
import inspect
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from playground.core import activations as activations_module
from playground.core import clones, datasets, propagation
from playground.core import features as features_module
from playground.core.datasets import DATASETS, make_dataset, train_test_split
from playground.core.features import DEFAULT_FEATURES, FEATURES
from playground.engine import trainer as trainer_module
from playground.engine.trainer import Trainer
from playground.lab.config import UPLOAD, Config

if TYPE_CHECKING:
    import nbformat

CORE_FUNCTIONS = ("initialize_parameters", "forward_propagation", "compute_cost",
                  "backward_propagation", "update_parameters", "predict")
PRINT_EVERY = 1000  # "Cost after iteration i: J", as the course's notebooks print it
# |ΔJ| below which the notebook says its cost matches the Playground's (the accuracies must
# be equal): on the same machine the numbers are identical; another NumPy or BLAS build may
# round matrix products differently in the last bit.
TOLERANCE = {"float64": 1e-9, "float32": 1e-6}
INIT_WORDS = {"zeros": "zeros (W = 0)", "constant": "constant c = {scale:g}",
              "random": "random × {scale:g}", "xavier": "Xavier (× √(1/n[l-1]))",
              "he": "He (× √(2/n[l-1]))"}
SCHEDULE_WORDS = {"constant": "constant",
                  "step": "step decay, α₀ · {rate:g}^⌊t / {steps}⌋",
                  "inverse_time": "1/t decay, α₀ / (1 + {rate:g} · t / {steps})"}


@dataclass(frozen=True)
class AppNumbers:
    """What the Playground showed at export time."""

    iteration: int
    cost: float
    train_accuracy: float
    test_accuracy: float  # NaN without a test set


# ---- the source of the app's own functions ------------------------------------------------


@cache  # the modules do not change while the app runs
def _definitions(module: ModuleType) -> tuple[str, dict[str, ast.stmt]]:
    """The module's source and its top-level definitions (functions, classes, single-name
    assignments) by name."""
    source = inspect.getsource(module)
    defs: dict[str, ast.stmt] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            defs[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                defs[targets[0].id] = node
    return source, defs


def _segment(source: str, node: ast.stmt) -> str:
    """A definition's text, with a class's decorators (not a function's: the data sets'
    registering ``@_dataset(...)`` stays behind)."""
    lines = source.splitlines()
    start = node.lineno
    if isinstance(node, ast.ClassDef) and node.decorator_list:
        start = node.decorator_list[0].lineno
    return "\n".join(lines[start - 1:node.end_lineno])


class _Sources:
    """Collects definitions with what they use from their module, each once, in the
    module's order (so that a name is defined before a cell uses it)."""

    def __init__(self):
        self.done: dict[str, str] = {}
        self.imports: set[str] = set()

    def take(self, module: ModuleType, names: Sequence[str],
             rename: dict[str, str] | None = None) -> str:
        source, defs = _definitions(module)
        imported = _imported_names(source)
        wanted: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name in wanted:
                continue
            if name not in defs:
                raise KeyError(f"{module.__name__} defines no {name}")
            wanted.add(name)
            node = defs[name]
            if isinstance(node, ast.FunctionDef):  # not its decorators (see _segment)
                node = ast.Module(body=[*node.body, node.args, *([node.returns] if
                                  node.returns else [])], type_ignores=[])
            for n in ast.walk(node):
                if isinstance(n, ast.Name) and n.id != name:
                    if n.id in defs:
                        todo.append(n.id)
                    elif n.id in imported:
                        self.imports.add(imported[n.id])
        parts = []
        for name in defs:  # module order
            if name not in wanted:
                continue
            text = _segment(source, defs[name])
            if name in self.done:
                if self.done[name] != text:
                    raise ValueError(f"two different definitions of {name}")
                continue
            self.done[name] = text
            for old, new in (rename or {}).items():
                text = re.sub(rf"\b{re.escape(old)}\b", new, text)
            parts.append(text)
        return "\n\n\n".join(parts)


@cache
def _imported_names(source: str) -> dict[str, str]:
    """``from x import y`` lines of a module, by name, for what lies outside NumPy, the
    standard library's basics and this project (the notebook's first cell has those)."""
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module and not (
                node.module.startswith(("playground", "__future__", "collections", "typing",
                                        "dataclasses"))):
            for alias in node.names:
                out[alias.asname or alias.name] = f"from {node.module} import {alias.name}"
    return out


def _feature_expressions(names: Sequence[str]) -> list[tuple[str, str]]:
    """``(expression in x1 and x2, label)`` of each input feature, from the lambdas of
    ``playground.core.features.FEATURES`` as written there."""
    source = inspect.getsource(features_module)
    found = {}
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "Feature" and len(node.args) == 3
                and isinstance(node.args[2], ast.Lambda)):
            found[node.args[0].value] = ast.get_source_segment(source, node.args[2].body)
    return [(found[n], FEATURES[n].label) for n in names]


# ---- the data ------------------------------------------------------------------------------


def _array_code(name: str, a: np.ndarray) -> str:
    """``name = np.array([[...], ...])`` with every number written exactly (repr)."""
    rows = []
    for row in np.asarray(a, dtype=np.float64).tolist():
        text = ", ".join(repr(v) if v != int(v) or abs(v) > 1e15 else f"{v:.1f}" for v in row)
        rows.append("[" + textwrap.fill(text, 92, subsequent_indent="     ",
                                        break_long_words=False, break_on_hyphens=False) + "]")
    return f"{name} = np.array([\n    " + ",\n    ".join(rows) + ",\n])"


def _split_of(cfg: Config, X: np.ndarray, Y: np.ndarray):
    return train_test_split(X, Y, cfg.test_fraction, cfg.data_seed)


def _data_cells(cfg: Config, trainer: Trainer, uploaded, sources: _Sources) -> tuple[str, str]:
    """(markdown, code) of the data: the generator's call or the uploaded points, the split,
    and the clicked points; or, failing a check, the four arrays as trained on."""
    Xtr, Ytr = trainer.X_train_raw, trainer.Y_train
    Xte, Yte = trainer.X_test_raw, trainer.Y_test
    base = None
    if cfg.dataset in DATASETS:
        base = _split_of(cfg, *make_dataset(cfg.dataset, cfg.n_samples, cfg.noise,
                                            cfg.data_seed))
    elif cfg.dataset == UPLOAD and uploaded is not None:
        base = _split_of(cfg, *uploaded)
    k = 0 if base is None else base[0].shape[1]
    same = (base is not None and k <= Xtr.shape[1]
            and np.array_equal(base[0], Xtr[:, :k]) and np.array_equal(base[1], Ytr[:, :k])
            and np.array_equal(base[2], Xte) and np.array_equal(base[3], Yte))
    if not same:
        code = "\n\n".join([_array_code("X_train", Xtr), _array_code("Y_train", Ytr),
                            _array_code("X_test", Xte), _array_code("Y_test", Yte)])
        return ("## The data\n\nThe points the Playground trained on, as they were: "
                "`X` is `(2, m)`, one example per column, `Y` is `(1, m)`.", code)
    if cfg.dataset == UPLOAD:
        md = (f"## The data\n\nYour CSV file's {uploaded[0].shape[1]} points, written in "
              f"here, then split as the Playground splits them (test fraction "
              f"{cfg.test_fraction:g}, seed {cfg.data_seed}).")
        parts = [_array_code("X", uploaded[0]), _array_code("Y", uploaded[1])]
        gen_code = ""
    else:
        info = DATASETS[cfg.dataset]
        fn = info.generator.__name__
        public = fn.lstrip("_")
        gen_code = sources.take(datasets, [fn], rename={fn: public})
        md = (f"## The data\n\n{info.label}: {info.description} The Playground's own "
              f"generator, called with its seed, then split as the Playground splits the "
              f"points (test fraction {cfg.test_fraction:g}, seed {cfg.data_seed}).")
        parts = [f"X, Y = {public}(n_samples={cfg.n_samples}, noise={cfg.noise!r}, "
                 f"seed={cfg.data_seed})"]
    split = sources.take(datasets, ["_split"], rename={"_split": "train_test_split"})
    parts.append(f"X_train, Y_train, X_test, Y_test = train_test_split(X, Y, "
                 f"test_fraction={cfg.test_fraction!r}, seed={cfg.data_seed})")
    if Xtr.shape[1] > k:
        md += (f" The {Xtr.shape[1] - k} points you clicked on the plane are training "
               "points, added after the split.")
        parts += ["# The points you clicked on the plane: training points, added after the split.",
                  _array_code("X_clicked", Xtr[:, k:]), _array_code("Y_clicked", Ytr[:, k:]),
                  "X_train = np.hstack([X_train, X_clicked])",
                  "Y_train = np.hstack([Y_train, Y_clicked])"]
    parts.append('print(f"{X_train.shape[1]} training points, {X_test.shape[1]} test points")')
    imports = sorted(i for i in sources.imports if "sklearn" in i)
    head = "\n".join(imports)
    code = "\n\n\n".join(p for p in (head, gen_code, split) if p) + "\n\n\n" + "\n".join(parts)
    return md, code


# ---- the notebook -----------------------------------------------------------------------


def _pct(a: float) -> str:
    return "—" if math.isnan(a) else f"{a:.2%}"


def _describe_change(what: str, values: tuple) -> str:
    if what == "alpha":
        return f"α → {values[0]:g}"
    if what == "regularization":
        return "no regularization" if values[0] == "none" else f"{values[0]}, λ → {values[1]:g}"
    if what == "schedule":
        return "schedule → " + SCHEDULE_WORDS[values[0]].format(rate=values[1], steps=values[2])
    if what == "batch_size":
        return f"mini-batches of {values[0]}"
    if what == "parameter":
        return f"{values[0]}[{values[1]}, {values[2]}] set to {values[3]:g} by hand"
    return f"noise × {values[0]:g} added to the weights"


def title_markdown(cfg: Config, trainer: Trainer, url: str) -> str:
    """The first cell: what the experiment is, and the link back to it."""
    s = trainer.start_settings
    m, m_test = trainer.m, trainer.X_test.shape[1]
    data = ("your CSV file" if cfg.dataset == UPLOAD
            else f"{DATASETS[cfg.dataset].label}" if cfg.dataset in DATASETS else cfg.dataset)
    acts = ", ".join(cfg.activations) or "none (logistic regression)"
    lines = [
        f"# NN Playground: a {cfg.architecture} network on {data}",
        "",
        "This notebook trains the Playground's experiment again in plain NumPy, in the "
        "course's notation (`X` is `(n[0], m)`, one example per column; `W[l]` is "
        "`(n[l], n[l-1])`), with the very functions the Playground runs.",
        "",
        f"- **Data**: {data}"
        + ("" if cfg.dataset == UPLOAD else
           f", m = {cfg.n_samples} points, noise {cfg.noise:g}, data seed {cfg.data_seed}")
        + f"; {m} training points, {m_test} test points",
        f"- **Layers**: `{trainer.layer_dims}` ({cfg.architecture})",
        f"- **Activations**: hidden {acts}; output sigmoid",
        "- **Initialization**: "
        + INIT_WORDS[cfg.init].format(scale=cfg.init_scale) + f", weight seed {cfg.weight_seed}",
        f"- **Learning rate**: α = {s['learning_rate']:g}",
        f"- **Iterations**: {trainer.iteration:,} (where the Playground was at export)",
    ]
    if s["schedule"] != "constant":
        lines.append("- **Schedule**: " + SCHEDULE_WORDS[s["schedule"]].format(
            rate=s["decay_rate"], steps=s["decay_steps"]))
    if s["regularization"] != "none" and s["lambd"]:
        lines.append(f"- **Regularization**: {s['regularization']}, λ = {s['lambd']:g}")
    if s["batch_size"] < m:
        lines.append(f"- **Mini-batches** of {s['batch_size']} (a new shuffle each epoch)")
    if tuple(cfg.features) != DEFAULT_FEATURES:
        lines.append("- **Input features**: "
                     + ", ".join(FEATURES[f].label for f in cfg.features))
    if trainer.changes:
        lines.append("- **Changed while training**: " + "; ".join(
            f"at iteration {it:,}, {_describe_change(w, v)}" for it, w, v in trainer.changes))
    lines.append(f"- **Precision**: {trainer.dtype.name}, as the Playground computed")
    if url.startswith("http"):
        lines += ["", f"Open it in the Playground: <{url}>"]
    elif url:
        lines += ["", f"Open it in the Playground: the Playground page's address with `{url}`"]
    lines += ["", "Run every cell (*Run All*); it needs NumPy, scikit-learn and plotly."]
    return "\n".join(lines)


def _activation_code(names: Sequence[str], sources: _Sources) -> str:
    """The activations used, from ``playground.core.activations``, and the registry the
    core looks them up in (g, and g' from A or from Z as the app's ``Activation.prime``)."""
    funcs, entries = [], []
    for name in dict.fromkeys(names):
        a = activations_module.ACTIVATIONS[name]
        d = a.dg_from_a if a.dg_from_a is not None else a.dg
        funcs += [a.g.__name__, d.__name__]
        kind = "dg_from_a" if a.dg_from_a is not None else "dg"
        entries.append(f"    {name!r}: Activation(g={a.g.__name__}, {kind}={d.__name__}),")
    code = sources.take(activations_module, funcs)
    registry = textwrap.dedent('''
        @dataclass(frozen=True)
        class Activation:
            """g and its derivative g' (written with A = g(Z) where that is cheaper)."""

            g: Callable
            dg: Callable | None = None
            dg_from_a: Callable | None = None

            def prime(self, Z, A):
                """g'(Z), from A = g(Z) where that is cheaper (tanh: 1 - A²)."""
                return self.dg_from_a(A) if self.dg_from_a is not None else self.dg(Z)


        ACTIVATIONS = {
        ''').lstrip("\n") + "\n".join(entries) + "\n}"
    return code + "\n\n\n" + registry


def _loop_code(cfg: Config, trainer: Trainer) -> tuple[str, str]:
    """(settings cell, training cell): ``Trainer._loop`` written out for this run."""
    s = trainer.start_settings
    changes = trainer.changes
    kinds = {w for _, w, _ in changes}
    m = trainer.m
    minibatch = s["batch_size"] < m or "batch_size" in kinds
    schedule = s["schedule"] != "constant" or "schedule" in kinds
    n = trainer.iteration
    every = next(e for e in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if n <= 500 * e)
    settings = [
        f"layers_dims = {trainer.layer_dims}  # [n[0], n[1], ..., n[L]]",
        f"activations = {trainer.activations!r}  # g[1], ..., g[L]",
        f"init, init_scale = {cfg.init!r}, {cfg.init_scale!r}  # how W[l] is drawn",
        f"seed = {trainer.weight_seed}  # the weight seed: initial weights"
        + (" and mini-batch shuffles" if minibatch else ""),
        f"learning_rate = {s['learning_rate']!r}  # α" + (" (α₀)" if schedule else ""),
        f"regularization, lambd = {s['regularization']!r}, {s['lambd']!r}  # 'none', 'L2', 'L1'",
    ]
    if schedule:
        settings.append(f"schedule, decay_rate, decay_steps = {s['schedule']!r}, "
                        f"{s['decay_rate']!r}, {s['decay_steps']!r}")
    if minibatch:
        settings += [f"batch_size = {s['batch_size']}  # {m}: the whole training set",
                     "batch_since, batch_changes = 0, 0  # where the batch size was last set"]
    settings += [f"num_iterations = {n}",
                 f"record_every = {every}  # the cost curve's points"]
    if changes:
        by_it: dict[int, list] = {}
        for it, what, values in changes:
            by_it.setdefault(it, []).append((what, values))
        settings.append("# The changes made in the Playground while it trained, by iteration:")
        settings.append("changes = {\n" + "\n".join(
            f"    {it}: {lst!r}," for it, lst in by_it.items()) + "\n}")
    cell1 = "\n".join(settings)

    code = []
    code.append("A0_train, A0_test = feature_matrix(X_train.astype(DTYPE)), "
                "feature_matrix(X_test.astype(DTYPE))")
    code.append("Y_train, Y_test = Y_train.astype(DTYPE), Y_test.astype(DTYPE)")
    code.append("m = A0_train.shape[1]")
    code.append("")
    code.append(textwrap.dedent('''
        def train_cost(parameters):
            """J on the whole training set (cross-entropy + penalty), as the Playground shows it."""
            _, caches = forward_propagation(A0_train, parameters, activations)
            return (float(compute_cost(caches[-1].Z, Y_train))
                    + float(regularization_cost(parameters, m, regularization, lambd)))
        ''').strip("\n"))
    if minibatch:
        code.append("")
        code.append(textwrap.dedent('''
            def mini_batch(i):
                """The examples of iteration i: the training set shuffled anew each epoch (the
                Playground's shuffles, drawn from the seed), cut into batches of batch_size."""
                if batch_size >= m:
                    return A0_train, Y_train
                per_epoch = math.ceil(m / batch_size)
                epoch, k = divmod(i - batch_since, per_epoch)
                shuffle_seed = [seed, epoch] if not batch_changes else [seed, batch_changes, epoch]
                perm = np.random.default_rng(shuffle_seed).permutation(m)
                idx = perm[k * batch_size:(k + 1) * batch_size]
                return A0_train[:, idx], Y_train[:, idx]
            ''').strip("\n"))
    if changes:
        code.append("")
        code.append(_changes_code(kinds))
    code.append("")
    code.append("parameters = initialize_parameters(layers_dims, init, init_scale, seed, "
                "dtype=DTYPE)")
    code.append("costs, cost_iterations = [], []")
    code.append("for i in range(num_iterations):")
    if changes:
        code.append("    parameters = apply_changes(i, parameters)")
    code.append("    X, Y = mini_batch(i)" if minibatch else "    X, Y = A0_train, Y_train")
    code.append(textwrap.indent(textwrap.dedent('''
        AL, caches = forward_propagation(X, parameters, activations)
        if i % record_every == 0:
            J = train_cost(parameters)
            costs.append(J)
            cost_iterations.append(i)
            if i % 1000 == 0:
                print(f"Cost after iteration {i}: {J:f}")
        grads = backward_propagation(AL, Y, caches, activations, regularization, lambd)
        ''').strip("\n"), "    "))
    if schedule:
        code.append("    alpha = _learning_rate_scalar(i, learning_rate, schedule, decay_rate, "
                    "decay_steps)")
    else:
        code.append("    alpha = learning_rate")
    code.append("    parameters = update_parameters(parameters, grads, float(alpha))")
    if changes:
        code.append("parameters = apply_changes(num_iterations, parameters)  # made at the end")
    code.append("costs.append(train_cost(parameters))")
    code.append("cost_iterations.append(num_iterations)")
    code.append('print(f"Cost after iteration {num_iterations}: {costs[-1]:f}")')
    return cell1, "\n".join(code)


def _changes_code(kinds: set[str]) -> str:
    """``apply_changes(i, parameters)``: the Playground's changes at iteration i, made here at
    the same iteration (Trainer.set_learning_rate, set_batch_size, set_parameter, ...)."""
    lines = [
        "def apply_changes(i, parameters):",
        '    """Make the changes the Playground made at iteration i (settings take effect '
        'from i on)."""',
        "    global learning_rate, regularization, lambd, schedule, decay_rate, decay_steps",
        "    global batch_size, batch_since, batch_changes",
        "    for what, values in changes.get(i, []):",
    ]
    branches = {
        "alpha": ["learning_rate, = values"],
        "regularization": ["regularization, lambd = values"],
        "schedule": ["schedule, decay_rate, decay_steps = values"],
        "batch_size": ["batch_size, = values",
                       "batch_since, batch_changes = i, batch_changes + 1  # a new shuffle"],
        "parameter": ["name, row, col, value = values  # a weight set by hand",
                      "W = parameters[name].copy()",
                      "W[row, col] = value",
                      "parameters = {**parameters, name: W}"],
        "noise": ["size, noise_seed = values  # noise added to every weight",
                  "rng = np.random.default_rng(noise_seed)",
                  "parameters = dict(parameters)",
                  "for l in range(1, len(layers_dims)):",
                  "    W = parameters[f'W{l}']",
                  "    parameters[f'W{l}'] = (W + size * rng.standard_normal(W.shape))"
                  ".astype(DTYPE)"],
    }
    first = True
    for kind in ("alpha", "regularization", "schedule", "batch_size", "parameter", "noise"):
        if kind not in kinds:
            continue
        lines.append(f"        {'if' if first else 'elif'} what == {kind!r}:")
        lines += ["            " + b for b in branches[kind]]
        first = False
    lines.append("    return parameters")
    return "\n".join(lines)


def _features_code(names: Sequence[str]) -> str:
    if tuple(names) == DEFAULT_FEATURES:
        return textwrap.dedent('''
            def feature_matrix(X):
                """A[0] = X: the network sees the raw points (x1, x2)."""
                return X
            ''').strip("\n")
    rows = "\n".join(f"        {expr},  # {label}" for expr, label in _feature_expressions(names))
    return (
        "def feature_matrix(X):\n"
        '    """A[0]: the input features, one per row, computed from the raw points '
        'X = (x1, x2)."""\n'
        "    x1, x2 = X[0], X[1]\n"
        "    return np.stack([\n" + rows + "\n    ]).astype(X.dtype, copy=False)"
    )


PLOTS = textwrap.dedent('''
    import plotly.graph_objects as go

    # The decision boundary: ŷ over a grid of the (x1, x2) plane; the line is ŷ = 0.5.
    X_all = np.hstack([X_train, X_test])
    pad = 0.1 * (X_all.max(axis=1) - X_all.min(axis=1)) + 0.1
    x1s = np.linspace(X_all[0].min() - pad[0], X_all[0].max() + pad[0], 200)
    x2s = np.linspace(X_all[1].min() - pad[1], X_all[1].max() + pad[1], 200)
    xx1, xx2 = np.meshgrid(x1s, x2s)
    grid = np.vstack([xx1.ravel(), xx2.ravel()]).astype(DTYPE)
    Y_hat, _ = forward_propagation(feature_matrix(grid), parameters, activations)
    Y_hat = Y_hat.reshape(xx1.shape)
    fig = go.Figure()
    fig.add_heatmap(x=x1s, y=x2s, z=Y_hat, zmin=0, zmax=1, colorscale="RdBu",
                    colorbar={"title": "ŷ"})
    fig.add_contour(x=x1s, y=x2s, z=Y_hat, contours={"start": 0.5, "end": 0.5, "size": 1,
                    "coloring": "lines"}, line={"width": 2, "color": "black"},
                    showscale=False, name="ŷ = 0.5")
    for X_, Y_, name, symbol in ((X_train, Y_train, "train", "circle"),
                                 (X_test, Y_test, "test", "diamond")):
        fig.add_scatter(x=X_[0], y=X_[1], mode="markers", name=name,
                        marker={"symbol": symbol, "color": Y_[0], "colorscale": "RdBu",
                                "cmin": 0, "cmax": 1, "line": {"width": 1, "color": "white"}})
    fig.update_layout(title=f"Decision boundary after {num_iterations:,} iterations",
                      xaxis_title="x₁", yaxis_title="x₂", width=620, height=560,
                      yaxis={"scaleanchor": "x"})
    fig.show()

    fig = go.Figure(go.Scatter(x=cost_iterations, y=costs, mode="lines", name="train J"))
    fig.update_layout(title="The cost J on the training set", xaxis_title="iteration",
                      yaxis_title="J", width=620, height=400)
    fig.show()
    ''').strip("\n")


def _float_code(x: float) -> str:
    return 'float("nan")' if math.isnan(x) else repr(float(x))


def _compare_code(numbers: AppNumbers, dtype: np.dtype) -> str:
    tol = TOLERANCE.get(dtype.name, 1e-6)
    return textwrap.dedent(f'''
        def accuracy(A0, Y):
            """The share of examples whose prediction (ŷ > 0.5) is their label."""
            if A0.shape[1] == 0:
                return float("nan")
            return float(np.mean(predict(A0, parameters, activations) == Y))


        # The Playground's numbers when this notebook was exported:
        playground = {{"iteration": {numbers.iteration}, "cost": {numbers.cost!r},
                      "train_accuracy": {numbers.train_accuracy!r},
                      "test_accuracy": {_float_code(numbers.test_accuracy)}}}
        notebook = {{"iteration": num_iterations, "cost": costs[-1],
                    "train_accuracy": accuracy(A0_train, Y_train),
                    "test_accuracy": accuracy(A0_test, Y_test)}}
        TOLERANCE = {tol!r}  # on J; the accuracies must be equal


        def same(a, b):
            return a == b or (math.isnan(a) and math.isnan(b))


        cost_difference = abs(notebook["cost"] - playground["cost"])
        match = (notebook["iteration"] == playground["iteration"]
                 and cost_difference <= TOLERANCE
                 and same(notebook["train_accuracy"], playground["train_accuracy"])
                 and same(notebook["test_accuracy"], playground["test_accuracy"]))
        print(f"{{'':16}}{{'Playground':>22}}{{'this notebook':>22}}")
        print(f"{{'iteration':16}}{{playground['iteration']:>22,}}{{notebook['iteration']:>22,}}")
        print(f"{{'cost J':16}}{{playground['cost']:>22.15f}}{{notebook['cost']:>22.15f}}")
        for key in ("train_accuracy", "test_accuracy"):
            print(f"{{key.replace('_', ' '):16}}{{playground[key]:>22.2%}}{{notebook[key]:>22.2%}}")
        print(f"|ΔJ| = {{cost_difference:.3g}}")
        if match:
            print(f"Match: yes. This notebook reproduces the Playground's run "
                  f"(|ΔJ| ≤ {{TOLERANCE:g}}, the same accuracies).")
        else:
            print("Match: NO. On another computer, a different NumPy or BLAS may round the "
                  "matrix products differently in the last bit, and training can make that "
                  "grow; on the computer that ran the Playground this is a bug: please "
                  "report it with this notebook.")
        ''').strip("\n")


def experiment_notebook(cfg: Config, trainer: Trainer, *, url: str = "",
                        uploaded: tuple[np.ndarray, np.ndarray] | None = None
                        ) -> nbformat.NotebookNode:
    """The notebook that trains ``trainer``'s run again (``cfg``: the configuration it was
    built from; ``uploaded``: the points of the user's CSV, when ``cfg.dataset`` is
    ``"upload"``; ``url``: the Playground link of the experiment)."""
    import nbformat  # here, not at the top: a page that never exports does not wait for it

    mt = trainer.metrics()
    numbers = AppNumbers(trainer.iteration, mt.train_cost, mt.train_accuracy,
                         mt.test_accuracy)
    sources = _Sources()
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    dtype = trainer.dtype
    cells = [md(title_markdown(cfg, trainer, url))]
    cells.append(code(
        "import math\n"
        "from collections.abc import Callable, Mapping, Sequence\n"
        "from dataclasses import dataclass\n"
        "from typing import NamedTuple\n\n"
        "import numpy as np\n\n"
        f"DTYPE = np.{dtype.name}  # the precision the Playground computed in"
        + ("; np.float64 gives the course's numbers (and differs in the last digits)"
           if dtype != np.float64 else "")))
    data_md, data_code = _data_cells(cfg, trainer, uploaded, sources)
    cells += [md(data_md), code(data_code)]
    cells.append(md(
        "## The core\n\nThe Playground's own functions, copied from its source "
        "(`playground/core`): the course's equations, one block each (see the "
        "Playground's *Under the hood* page).\n\n"
        "### Activations\n\nThe output layer is the sigmoid, "
        "ŷ = A[L] = σ(Z[L]); the hidden layers use the activations chosen."))
    cells.append(code(_activation_code(trainer.activations, sources)))
    cells.append(md(
        "### The matrix product\n\n`dot(P, Q)` is `P @ Q`, except that units that are "
        "clones (zeros or constant initialization) stay exactly equal, as exact arithmetic "
        "would keep them."))
    cells.append(code(sources.take(clones, ["dot"])))
    headings = {
        "initialize_parameters": "### Initialization\n\n`W[l]` drawn by the method, "
                                 "`b[l] = 0`.",
        "forward_propagation": "### Forward propagation\n\n"
                               "`Z[l] = W[l] · A[l-1] + b[l]`, `A[l] = g[l](Z[l])`.",
        "compute_cost": "### Cost\n\n"
                        "`J = -(1/m) Σ [y log ŷ + (1 - y) log(1 - ŷ)]`, plus the "
                        "regularization term.",
        "backward_propagation": "### Backward propagation\n\n`dZ[L] = A[L] - Y`; "
                                "`dW[l] = (1/m) dZ[l] A[l-1]ᵀ`, "
                                "`db[l] = (1/m) Σ dZ[l]`, `dZ[l-1] = W[l]ᵀ dZ[l] * g'(Z[l-1])`.",
        "update_parameters": "### Gradient descent\n\n`W[l] -= α dW[l]`, `b[l] -= α db[l]`.",
        "predict": "### Prediction\n\n1 where ŷ > 0.5, else 0.",
    }
    for name in CORE_FUNCTIONS:
        extra = ["regularization_cost"] if name == "compute_cost" else []
        cells += [md(headings[name]), code(sources.take(propagation, [name, *extra]))]
    s = trainer.start_settings
    uses_schedule = s["schedule"] != "constant" or any(
        w == "schedule" for _, w, _ in trainer.changes)
    settings, loop = _loop_code(cfg, trainer)
    cells.append(md("## Training\n\nThe Playground's settings, and its training loop: "
                    "forward propagation, backward propagation, one step of gradient "
                    "descent, for each iteration."))
    pre = [_features_code(cfg.features)]
    if uses_schedule:
        pre.append(sources.take(trainer_module, ["_learning_rate_scalar"]))
    cells.append(code("\n\n\n".join(pre)))
    cells.append(code(settings))
    cells.append(code(loop))
    cells.append(md("## Pictures\n\nThe decision boundary over the plane, and the cost."))
    cells.append(code(PLOTS))
    cells.append(md(
        f"## Does it match the Playground?\n\nThe Playground showed these numbers at "
        f"iteration {numbers.iteration:,}: cost J = {numbers.cost:.6f}, train accuracy "
        f"{_pct(numbers.train_accuracy)}, test accuracy {_pct(numbers.test_accuracy)}. "
        "The cell below compares them with this notebook's."))
    cells.append(code(_compare_code(numbers, dtype)))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    return nb


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    """The notebook as the bytes of an .ipynb file."""
    import nbformat

    return nbformat.writes(nb).encode("utf-8")


def file_name(cfg: Config, iteration: int) -> str:
    """``nn-playground-flower-2-4-1-1500.ipynb``: the data, the layers, the iteration."""
    arch = "-".join(str(n) for n in cfg.layer_dims)
    data = re.sub(r"[^a-z0-9]+", "-", cfg.dataset.lower()).strip("-")
    return f"nn-playground-{data}-{arch}-{iteration}.ipynb"
