"""The exported notebook (issue 15, part 1): it carries the app's own code and data, and, run
with nbclient, reproduces the Trainer's final cost to 1e-9 and its accuracies exactly."""

from __future__ import annotations

import ast
import inspect
import json
import math
import time

import nbformat
import numpy as np
import pytest

from playground.core import propagation
from playground.core.datasets import DATASETS, load_csv, make_dataset, sample_csv, train_test_split
from playground.core.features import FEATURES, feature_matrix
from playground.engine.trainer import trainer_from_config
from playground.lab import notebook
from playground.lab.config import UPLOAD, Config


def _run(cfg: Config, iterations: int, *, dtype=np.float64, uploaded=None, clicked=None,
         during=None):
    """A Trainer for cfg trained ``iterations`` (``during(trainer)`` may change it half-way),
    and its notebook."""
    if uploaded is not None:
        data = train_test_split(*uploaded, cfg.test_fraction, cfg.data_seed)
    else:
        data = train_test_split(*make_dataset(cfg.dataset, cfg.n_samples, cfg.noise,
                                              cfg.data_seed), cfg.test_fraction, cfg.data_seed)
    if clicked is not None:
        Xtr, Ytr, Xte, Yte = data
        data = (np.hstack([Xtr, clicked[0]]), np.hstack([Ytr, clicked[1]]), Xte, Yte)
    t = trainer_from_config(cfg, *data, dtype=dtype)
    if during is None:
        t.step(iterations)
    else:
        t.step(iterations // 2)
        during(t)
        t.step(iterations - iterations // 2)
    nb = notebook.experiment_notebook(cfg, t, url="http://localhost:8501/playground?x=1",
                                      uploaded=uploaded)
    return t, nb


def _code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def _execute_until(nb, marker: str) -> dict:
    """Run the notebook's code cells up to (and including) the one containing ``marker``
    in this process (no kernel): their namespace."""
    ns: dict = {}
    for c in nb.cells:
        if c.cell_type == "code":
            exec(compile(c.source, "<cell>", "exec"), ns)  # noqa: S102
            if marker in c.source:
                return ns
    raise AssertionError(f"no cell with {marker!r}")


# ---- what the notebook carries (fast: no kernel) -------------------------------------------


def test_the_notebook_is_valid_and_says_what_the_experiment_is():
    cfg = Config(dataset="moons", noise=0.1, hidden=(6, 3), activations=("relu", "tanh"),
                 init="he", alpha=0.3, regularization="L2", lambd=0.05, batch_size=32,
                 schedule="step", decay_rate=0.5, decay_steps=200,
                 features=("x1", "x2", "x1x2"))
    t, nb = _run(cfg, 30)
    nbformat.validate(nb)
    title = nb.cells[0].source
    for words in ("Two moons", "3 → 6 → 3 → 1", "relu, tanh", "He", "α = 0.3",
                  "30 (where the Playground", "step decay", "L2, λ = 0.05",
                  "Mini-batches** of 32", "x₁·x₂", "float64",
                  "http://localhost:8501/playground?x=1"):
        assert words in title, (words, title)
    assert nbformat.reads(notebook.notebook_bytes(nb).decode(), as_version=4) == nb
    assert notebook.file_name(cfg, 30) == "nn-playground-moons-3-6-3-1-30.ipynb"


def test_the_core_cells_are_the_apps_own_source_and_nothing_imports_the_project():
    t, nb = _run(Config(), 10)
    code = _code(nb)
    for name in notebook.CORE_FUNCTIONS:
        assert inspect.getsource(getattr(propagation, name)) in code + "\n", name
    imports = [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Import | ast.ImportFrom)]
    modules = {a.name.split(".")[0] for n in imports if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module.split(".")[0] for n in imports if isinstance(n, ast.ImportFrom)}
    assert modules <= {"math", "collections", "dataclasses", "typing", "numpy", "sklearn",
                       "plotly"}, modules
    assert "playground" not in modules


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_data_cell_gives_the_very_arrays_trained_on(name):
    cfg = Config(dataset=name, n_samples=90, noise=DATASETS[name].noise, data_seed=3,
                 test_fraction=0.25)
    t, nb = _run(cfg, 0)
    assert "X_train = np.array" not in nb.cells[3].source  # the call, not the points
    ns = _execute_until(nb, "train_test_split(X, Y")
    for key, want in (("X_train", t.X_train_raw), ("Y_train", t.Y_train),
                      ("X_test", t.X_test_raw), ("Y_test", t.Y_test)):
        assert np.array_equal(ns[key], want), key


def test_uploaded_and_clicked_points_are_written_in_exactly():
    X, Y = load_csv(sample_csv())
    X = X + 1e-7 * np.arange(X.shape[1])  # numbers that need all their digits
    clicked = (np.array([[0.1234567890123, -2.0], [np.pi, 0.5]]), np.array([[1.0, 0.0]]))
    cfg = Config(dataset=UPLOAD, test_fraction=0.2, data_seed=4)
    t, nb = _run(cfg, 0, uploaded=(X, Y), clicked=clicked)
    assert "your CSV" in nb.cells[0].source and "2 points you clicked" in nb.cells[2].source
    ns = _execute_until(nb, "X_clicked")
    assert np.array_equal(ns["X_train"], t.X_train_raw)
    assert np.array_equal(ns["Y_train"], t.Y_train)
    assert np.array_equal(ns["X_test"], t.X_test_raw)


def test_data_that_no_generator_gives_is_written_in_as_trained_on():
    cfg = Config(dataset=UPLOAD)  # the upload's points not given: the arrays themselves
    X, Y = load_csv(sample_csv())
    t = trainer_from_config(cfg, *train_test_split(X, Y, 0.2, 0))
    nb = notebook.experiment_notebook(cfg, t)
    ns = _execute_until(nb, "Y_test = np.array")
    assert np.array_equal(ns["X_train"], t.X_train_raw)
    assert np.array_equal(ns["X_test"], t.X_test_raw)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_features_cell_computes_the_apps_features(dtype):
    names = tuple(FEATURES)
    t, nb = _run(Config(features=names, hidden=(), activations=()), 0, dtype=dtype)
    ns = _execute_until(nb, "def feature_matrix")
    X = np.random.default_rng(0).normal(size=(2, 50)).astype(dtype)
    got = ns["feature_matrix"](X)
    assert got.dtype == dtype
    assert np.array_equal(got, feature_matrix(X, names))


def test_export_takes_well_under_a_second():
    cfg = Config(hidden=(8, 8), activations=("tanh", "tanh"))
    t, _ = _run(cfg, 100)
    notebook.experiment_notebook(cfg, t)  # warm: the modules' sources parsed once
    t0 = time.perf_counter()
    notebook.notebook_bytes(notebook.experiment_notebook(cfg, t))
    assert time.perf_counter() - t0 < 1.0


# ---- executed with nbclient: the notebook reproduces the Trainer -------------------------


def _execute(nb) -> tuple[dict, str]:
    """Run the notebook in a fresh ipykernel; its numbers (read from its variables by an
    extra last cell) and all the text it printed."""
    from nbclient import NotebookClient

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.append(nbformat.v4.new_code_cell(
        'import json\nprint("RESULT " + json.dumps({**notebook, "match": bool(match)}))'))
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    text = ""
    for c in nb.cells:
        for o in c.get("outputs", []):
            assert o.output_type != "error", f"{o.ename}: {o.evalue}"
            if o.output_type == "stream":
                text += o.text
    line = next(x for x in text.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):]), text


def _assert_reproduces(t, nb):
    got, text = _execute(nb)
    mt = t.metrics()
    assert got["iteration"] == t.iteration
    assert abs(got["cost"] - mt.train_cost) <= 1e-9, (got["cost"], mt.train_cost)
    assert got["train_accuracy"] == mt.train_accuracy
    assert got["test_accuracy"] == mt.test_accuracy or (
        math.isnan(got["test_accuracy"]) and math.isnan(mt.test_accuracy))
    assert got["match"] and "Match: yes" in text
    if t.iteration >= 1000:
        assert "Cost after iteration 1000: " in text
    return abs(got["cost"] - mt.train_cost)


DIFFERENCES: dict[str, float] = {}


@pytest.mark.slow
@pytest.mark.parametrize("case", [
    "default", "relu_he", "l2_minibatch_schedule", "features", "uploaded_csv",
    "changed_mid_run", "float32_as_the_app"])
def test_the_executed_notebook_reproduces_the_trainer(case):
    uploaded = clicked = during = None
    dtype = np.float64
    iterations = 1200
    if case == "default":
        cfg = Config()
    elif case == "relu_he":
        cfg = Config(dataset="moons", hidden=(8, 4), activations=("relu", "relu"), init="he",
                     alpha=0.3, weight_seed=7)
    elif case == "l2_minibatch_schedule":
        cfg = Config(dataset="circles", noise=0.1, hidden=(6,), activations=("tanh",),
                     init="xavier", alpha=0.5, regularization="L2", lambd=0.3, batch_size=48,
                     schedule="step", decay_rate=0.7, decay_steps=300)
    elif case == "features":
        cfg = Config(dataset="circles", noise=0.1, hidden=(), activations=(), alpha=0.5,
                     features=("x1", "x2", "x1sq", "x2sq", "x1x2", "sin_x1"))
    elif case == "uploaded_csv":
        uploaded = load_csv(sample_csv())
        clicked = (np.array([[0.3, -0.4], [0.2, 0.9]]), np.array([[1.0, 0.0]]))
        cfg = Config(dataset=UPLOAD, hidden=(5,), activations=("leaky_relu",), init="he",
                     alpha=0.1, regularization="L1", lambd=0.01, schedule="inverse_time")
    elif case == "changed_mid_run":
        cfg = Config(dataset="xor", noise=0.1, hidden=(4, 4), activations=("tanh", "gelu"),
                     init="xavier", alpha=0.8)

        def during(t):  # what the sidebar and the Network tab do to a running trainer
            t.set_learning_rate(0.4)
            t.set_batch_size(25)
            t.set_regularization("L2", 0.2)
            t.set_schedule("inverse_time", 0.5, 100)
            t.set_parameter("W2", (1, 2), 0.75)
    else:
        cfg = Config()
        dtype = np.float32
    t, nb = _run(cfg, iterations, dtype=dtype, uploaded=uploaded, clicked=clicked,
                 during=during)
    DIFFERENCES[case] = _assert_reproduces(t, nb)
    print(f"{case}: |ΔJ| = {DIFFERENCES[case]:.3g}")


@pytest.mark.slow
def test_a_lessons_executed_notebook_reproduces_the_run():
    from playground.engine.trainer import trainer_from_config
    from playground.lab.lessons import LESSONS_BY_KEY, lesson_data
    from playground.ui import notebook as ui_notebook

    lesson = LESSONS_BY_KEY["xor"]
    variant = lesson.variants[1]
    nb = nbformat.reads(ui_notebook.lesson_notebook(lesson.key, variant.label, "http://localhost:8501/playground").decode(),
                        as_version=4)
    t = trainer_from_config(variant.config, *lesson_data(variant.config), dtype=np.float32)
    t.step(variant.expect.iterations)
    _assert_reproduces(t, nb)
