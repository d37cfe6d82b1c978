"""AppTest and unit tests of the Playground's leftovers from issue 13: the status badge on a
line of its own with what to do at a stop (no toast over the run controls), Replay up to
the current state, your points on a CSV in the training set only, and Step in the same
click as a value typed in the sidebar."""

from __future__ import annotations

import numpy as np
from apptest import open_expander
from test_page_playground import button, iteration, metric, open_playground

from playground.core.datasets import make_dataset
from playground.engine.trainer import MAX_SNAPSHOTS, Trainer, trainer_from_config
from playground.lab import config as C
from playground.ui import session as ui


def badges(at) -> str:
    return " ".join(m.value for m in at.markdown if "-badge[" in m.value)


def texts(at) -> str:
    return " ".join(m.value for m in at.markdown)


def readout_row(node):
    """The block whose direct children include the "Iteration" read-out."""
    children = getattr(node, "children", None) or {}
    if any(getattr(c, "label", None) == "Iteration" for c in children.values()):
        return node
    for c in children.values():
        found = readout_row(c)
        if found is not None:
            return found
    return None


# ---- the read-outs and the stop ------------------------------------------------------------

def test_a_reached_stop_is_said_beside_the_badge_not_in_a_toast():
    at = open_playground({"stop_iterations": "30", "steps_per_click": "100"})
    button(at, r"Step ×100").click().run()
    assert not at.exception, at.exception
    assert iteration(at) == 30
    assert "stopped at 30 (your stop)" in badges(at), badges(at)
    assert "Play or Step continues past it" in texts(at)
    toasts = " ".join(t.value for t in at.toast)
    assert "stop" not in toasts.lower(), f"a toast covers the run controls: {toasts!r}"
    assert not [i for i in at.info if i.value.startswith("Stopped")]  # said once, above
    # The badge is not inside the read-out row: the six values form one row of their own.
    row = readout_row(at.main)
    assert [getattr(c, "label", None) for c in row.children.values()] == [
        "Iteration", "Train cost J", "Test cost", "Train accuracy", "Test accuracy",
        "ms / iteration"]
    button(at, r"Step ×100").click().run()
    assert iteration(at) == 130
    assert "Play or Step continues" not in texts(at)  # on its way again: nothing to say


def test_a_step_that_lands_on_the_stop_says_stopped_at_once():
    """Step ×100 from 0 to a stop at 100: stopped now, not one click later."""
    at = open_playground({"stop_iterations": "100", "steps_per_click": "100"})
    button(at, r"Step ×100").click().run()
    assert iteration(at) == 100
    assert "stopped at 100 (your stop)" in badges(at), badges(at)


# ---- Replay ------------------------------------------------------------------------------

def test_replay_points_end_at_the_current_state():
    X, Y = make_dataset("flower", 100, None, 0)
    tr = Trainer(X, Y, hidden=(4,), activations=("tanh",), learning_rate=1.2)
    tr.step(2200)
    its = [s[0] for s in tr.snapshots]
    assert its[-1] < 2200  # thinned: the last snapshot is behind the run
    points = tr.replay_points()
    assert [p[0] for p in points] == its + [2200]
    assert points[-1][1] is tr.parameters
    assert len(points) <= MAX_SNAPSHOTS + 1
    # A weight edited by hand is replayed as it is now, once.
    tr.set_parameter("W1", (0, 0), 3.0)
    points = tr.replay_points()
    assert [p[0] for p in points].count(2200) == 1 and points[-1][1]["W1"][0, 0] == 3.0
    assert tr.snapshots[-1][0] == its[-1], "reading the points records nothing"


def test_replay_slider_ends_at_the_runs_iteration():
    at = open_playground({"steps_per_click": "1000"})
    at.session_state["trainer"].step(2200)
    at.session_state["view_tab"] = "Replay"
    at.run()
    assert not at.exception, at.exception
    slider = at.select_slider(key="replay_it")
    assert slider.options[-1] in ("2200", "2,200")
    assert slider.value == 2200
    assert any("then the current state (iteration 2,200)" in c.value for c in at.caption)


# ---- your points on an uploaded CSV --------------------------------------------------------

def test_points_on_an_uploaded_csv_are_training_points_only():
    X, Y = make_dataset("moons", 200, None, 3)
    at = open_playground()
    at.session_state["upload_data"] = (X, Y)
    at.session_state["upload_token"] = ("mine.csv", 1, None)
    at.run()  # the dataset list now offers "your CSV"
    at.sidebar.selectbox(key="w_dataset").set_value(C.UPLOAD).run()
    assert at.session_state["config"].dataset == C.UPLOAD
    t = at.session_state["trainer"]
    n_train, X_test = t.X_train_raw.shape[1], t.X_test_raw.copy()
    assert n_train + X_test.shape[1] == 200
    pts = np.array([[9.0, -9.0, 8.5, -8.5, 9.5], [9.0, 9.0, -8.5, -8.5, 0.0]])
    at.session_state["user_points"] = (pts, np.array([[1.0, 0.0, 1.0, 0.0, 1.0]]))
    at.run()
    assert not at.exception, at.exception
    t = at.session_state["trainer"]
    assert t.X_train_raw.shape[1] == n_train + 5
    np.testing.assert_array_equal(t.X_train_raw[:, -5:], pts)
    np.testing.assert_array_equal(t.X_test_raw, X_test)  # the same test set, none of yours


# ---- Step in the same click as a typed value ---------------------------------------------

def test_step_in_the_same_run_as_a_new_units_value_trains_the_new_network():
    at = open_playground()
    button(at, r"Step ×10").click().run()
    assert iteration(at) == 10
    at.sidebar.number_input(key="w_units_0").set_value(6)
    button(at, r"Step ×10").click().run()
    assert not at.exception, at.exception
    t = at.session_state["trainer"]
    assert t.layer_dims == [2, 6, 1]
    assert t.iteration == 10 and iteration(at) == 10, "the step went to the old trainer"


def test_step_in_the_same_run_as_a_new_lambda_uses_the_new_lambda():
    at = open_playground({"regularization": "L2", "lambd": "0.1", "steps_per_click": "10"})
    open_expander(at, "more_expander")
    button(at, r"Step ×10").click().run()
    at.sidebar.number_input(key="w_lambd").set_value(2.5)
    button(at, r"Step ×10").click().run()
    assert not at.exception, at.exception
    t = at.session_state["trainer"]
    assert t.lambd == 2.5 and t.iteration == 20
    # The second step's iterations were trained with λ = 2.5: the same as a trainer that
    # switched λ at iteration 10 by hand.
    cfg = at.session_state["config"].replace(lambd=0.1)
    ref = trainer_from_config(cfg, t.X_train_raw, t.Y_train, t.X_test_raw, t.Y_test,
                              dtype=ui.LIVE_DTYPE)
    ref.step(10)
    ref.set_regularization("L2", 2.5)
    ref.step(10)
    for k, v in ref.parameters.items():
        np.testing.assert_allclose(t.parameters[k], v, rtol=1e-5, atol=1e-6)
    assert metric(at, "Iteration") == "20"
