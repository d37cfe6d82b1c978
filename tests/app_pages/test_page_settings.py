"""AppTest tests of the Playground's settings (issue 13, items 1, 2, 5, 7, 10 and 16):
configurations applied after the widgets exist, the initialization's remembered scales,
settings that apply mid-training without a reset, classroom hiding, a link's exact α, and
a lesson's stop that Play and Step continue past."""

from __future__ import annotations

import pytest
from apptest import open_expander, play_pause
from test_page_playground import button, iteration, metric, open_playground

from playground.lab import config as C
from playground.lab.config import Config


def toasts(at) -> str:
    return " ".join(t.value for t in at.toast)


def badges(at) -> str:
    """The status badge's text (st.badge is markdown: ``:color-badge[text]``)."""
    return " ".join(m.value for m in at.markdown if "-badge[" in m.value)


def step(at, times: int = 1):
    for _ in range(times):
        button(at, r"Step ×[\d,]+").click().run()
    assert not at.exception, at.exception


# ---- item 1: the three buttons that crashed ------------------------------------------------

def test_show_all_controls_after_a_lesson_and_other_changes():
    at = open_playground({"hide": "data,features,regularization", "init": "he"})
    at.sidebar.select_slider(key="w_alpha").set_value(0.3).run()
    at.sidebar.number_input(key="w_weight_seed").set_value(5).run()
    step(at)
    button(at, "Show all controls").click().run()
    assert not at.exception, at.exception
    headers = " ".join(h.value for h in at.sidebar.subheader)
    assert "Data" in headers
    open_expander(at, "more_expander")
    assert at.sidebar.selectbox(key="w_regularization") is not None
    cfg = at.session_state["config"]
    assert cfg.hide == () and cfg.alpha == 0.3 and cfg.weight_seed == 5 and cfg.init == "he"
    assert iteration(at) == 10, "showing the controls must not reset training"


def test_apply_to_this_page_hides_then_show_all_brings_back():
    at = open_playground()
    at.sidebar.slider(key="w_layers").set_value(2).run()
    step(at)
    at.tabs  # noqa: B018
    at.session_state["view_tab"] = "Share and export"
    at.run()
    at.multiselect(key="classroom_hide").set_value(["data", "initialization"]).run()
    button(at, "Apply to this page").click().run()
    assert not at.exception, at.exception
    headers = " ".join(h.value for h in at.sidebar.subheader)
    assert "Data" not in headers and "Initialization" not in headers and "Network" in headers
    assert at.session_state["config"].hide == ("data", "initialization")
    assert iteration(at) == 10
    button(at, "Show all controls").click().run()
    assert not at.exception, at.exception
    assert "Initialization" in " ".join(h.value for h in at.sidebar.subheader)
    assert at.sidebar.selectbox(key="w_init").value == "random"


def _open_export_tab(at):
    at.session_state["view_tab"] = "Share and export"
    at.run()
    assert not at.exception, at.exception


def test_loading_an_exported_configuration_after_other_changes():
    exported = Config(dataset="moons", noise=0.1, hidden=(8, 8), activations=("relu", "relu"),
                      init="he", alpha=0.5, regularization="L2", lambd=0.2,
                      hide=("features",)).to_json().encode()
    at = open_playground()
    at.sidebar.slider(key="w_layers").set_value(3).run()
    at.sidebar.number_input(key="w_scale_random").set_value(0.2).run()
    step(at)
    _open_export_tab(at)
    at.file_uploader(key="load_config").set_value(
        ("nn-playground-config.json", exported, "application/json")).run()
    assert not at.exception, at.exception
    cfg = at.session_state["config"]
    assert (cfg.dataset, cfg.hidden, cfg.init, cfg.alpha, cfg.lambd) == (
        "moons", (8, 8), "he", 0.5, 0.2)
    assert at.sidebar.selectbox(key="w_dataset").value == "moons"
    assert at.sidebar.select_slider(key="w_alpha").value == 0.5
    assert iteration(at) == 0
    assert "Loaded nn-playground-config.json" in toasts(at)
    assert any("Loaded nn-playground-config.json" in x.value for x in at.success)
    step(at)
    assert iteration(at) == 10


@pytest.mark.parametrize("content, says", [
    (b"{not json", "not valid JSON"),
    (b'{"alpha": "banana"}', "alpha=banana"),
    (b'{"hidden": [4, 99]}', "hidden"),
])
def test_a_bad_configuration_file_says_why_and_keeps_everything(content, says):
    at = open_playground()
    at.sidebar.select_slider(key="w_alpha").set_value(0.3).run()
    step(at)
    _open_export_tab(at)
    at.file_uploader(key="load_config").set_value(("bad.json", content, "application/json"))
    at.run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "bad.json was not loaded" in errors and says in errors
    assert "Nothing was changed" in errors
    assert at.session_state["config"].alpha == 0.3 and iteration(at) == 10


# ---- item 2: the initialization's scales ----------------------------------------------------

def test_switching_inits_back_and_forth_keeps_each_scale():
    at = open_playground()
    at.sidebar.number_input(key="w_scale_random").set_value(0.05).run()
    for init in ("xavier", "he", "random"):
        at.sidebar.selectbox(key="w_init").set_value(init).run()
        assert "initialization changed: training was reset" in toasts(at).lower()
    assert at.sidebar.number_input(key="w_scale_random").value == 0.05
    assert at.session_state["config"].init_scale == 0.05
    at.sidebar.selectbox(key="w_init").set_value("he").run()
    at.sidebar.selectbox(key="w_init").set_value("constant").run()
    assert at.sidebar.number_input(key="w_scale_constant").value == 0.5
    assert at.session_state["config"].init_scale == 0.5
    # The Step right after the change trains the new trainer, and the next run keeps it.
    before = metric(at, "Train cost J")
    step(at)
    assert iteration(at) == 10 and metric(at, "Train cost J") != before
    at.run()
    assert iteration(at) == 10
    at.sidebar.selectbox(key="w_init").set_value("random").run()
    assert at.sidebar.number_input(key="w_scale_random").value == 0.05


def test_the_browser_is_told_the_scale_when_the_field_comes_back():
    # A key left over from runs where its widget was not drawn makes Streamlit send the
    # widget without its value: the browser showed 0 (and sent 0 back: W = 0).
    at = open_playground()
    for init in ("xavier", "he", "random"):
        at.sidebar.selectbox(key="w_init").set_value(init).run()
    proto = at.sidebar.number_input(key="w_scale_random").proto
    assert proto.set_value and proto.value == 0.01


def test_a_link_with_constant_and_no_c_gets_the_lessons_c():
    at = open_playground({"init": "constant"})
    assert at.sidebar.number_input(key="w_scale_constant").value == 0.5


# ---- item 5: settings that apply mid-training ------------------------------------------------

@pytest.mark.parametrize("change", [
    ("selectbox", "w_regularization", "L2"),
    ("number_input", "w_batch_size", 32),
    ("selectbox", "w_schedule", "inverse_time"),
    ("number_input", "w_stop_cost", 0.01),
    ("number_input", "w_stop_iterations", 100_000),
])
def test_more_settings_apply_without_reset(change):
    kind, key, value = change
    at = open_playground({"steps_per_click": "100"})
    step(at, 3)
    assert iteration(at) == 300
    open_expander(at, "more_expander")
    assert iteration(at) == 300
    getattr(at.sidebar, kind)(key=key).set_value(value).run()
    assert not at.exception, at.exception
    assert iteration(at) == 300, f"changing {key} reset training"
    assert "reset" not in toasts(at).lower() or "nothing was reset" in toasts(at).lower()
    step(at)
    assert iteration(at) == 400
    h = at.session_state["trainer"].history()
    assert h["iteration"][0] == 0 and h["iteration"][-1] == 400  # one continuous history


def test_lambda_and_decay_rate_apply_and_say_so():
    at = open_playground({"steps_per_click": "100", "regularization": "L2",
                          "schedule": "step"})
    open_expander(at, "more_expander")
    step(at, 2)
    at.sidebar.number_input(key="w_lambd").set_value(0.7).run()
    assert iteration(at) == 200
    assert "λ → 0.7" in toasts(at) and "nothing was reset" in toasts(at)
    at.sidebar.number_input(key="w_decay_rate").set_value(0.25).run()
    assert iteration(at) == 200 and "decay rate γ → 0.25" in toasts(at)
    t = at.session_state["trainer"]
    assert (t.lambd, t.decay_rate) == (0.7, 0.25)


def test_a_reset_names_the_setting_and_why():
    at = open_playground()
    step(at)
    at.sidebar.number_input(key="w_weight_seed").set_value(7).run()
    text = toasts(at)
    assert iteration(at) == 0
    assert "weight seed changed" in text and "it was at iteration 10" in text
    assert "data or architecture" not in text


# ---- item 7: classroom hiding ------------------------------------------------------------------

def _shown(at) -> set[tuple[str, str]]:
    """What the page offers: sidebar widgets, headings and expanders, and tabs."""
    out = {("widget", w.key) for w in at.sidebar if getattr(w, "key", None)}
    out |= {("heading", s.value) for s in at.sidebar.subheader}
    out |= {("expander", e.label) for e in at.sidebar.expander}
    out |= {("tab", t.label) for t in at.tabs}
    return out


@pytest.mark.parametrize("section", C.HIDEABLE)
def test_every_hideable_section_hides_something(section):
    everything = _shown(open_playground({"regularization": "L2"}))
    hidden_page = open_playground({"regularization": "L2", "hide": section})
    assert everything - _shown(hidden_page), f"hide={section} hides nothing"


def test_hide_regularization_hides_its_controls():
    at = open_playground({"regularization": "L2", "lambd": "0.3", "hide": "regularization"})
    open_expander(at, "more_expander")
    keys = {w.key for w in at.sidebar if getattr(w, "key", None)}
    assert "w_regularization" not in keys and "w_lambd" not in keys
    assert "w_batch_size" in keys  # the rest of More stays
    assert at.session_state["config"].regularization == "L2"  # hidden, still applied
    assert at.session_state["trainer"].lambd == 0.3


# ---- item 10: a link's α -------------------------------------------------------------------------

@pytest.mark.parametrize("alpha", ["0.5", "0.25", "0.0001", "7"])
def test_a_links_alpha_is_kept_exactly(alpha):
    at = open_playground({"alpha": alpha})
    slider = at.sidebar.select_slider(key="w_alpha")
    assert slider.value == float(alpha)
    assert float(alpha) in slider.options or alpha in slider.options
    assert at.session_state["trainer"].learning_rate == pytest.approx(float(alpha), rel=0)
    assert at.query_params.get("alpha") in ([alpha], alpha)
    at.sidebar.select_slider(key="w_alpha").set_value(1.2).run()
    at.sidebar.select_slider(key="w_alpha").set_value(float(alpha)).run()
    assert at.session_state["config"].alpha == float(alpha)  # still in the list


# ---- item 16: a lesson's stop -------------------------------------------------------------------

def test_lesson_stop_says_so_and_play_and_step_continue():
    from playground.lab.lessons import LESSONS

    lesson = next(x for x in LESSONS if x.key == "zeros")
    cfg = lesson.variants[0].config.replace(stop_iterations=2000)  # quicker, same stop logic
    at = open_playground(cfg.to_query())
    step(at, 2)  # 1,000 a step: the second lands on the stop and says so at once
    assert iteration(at) == 2000
    assert "stopped at 2,000 (your stop)" in badges(at), badges(at)
    step(at)
    assert iteration(at) == 3000, "Step must continue past the stop"
    button(at, "Reset").click().run()
    assert iteration(at) == 0
    assert at.session_state["config"].stop_iterations == 2000, "Reset puts the stop back"


def test_the_lessons_stop_is_named_as_the_lessons():
    from playground.lab.lessons import LESSONS

    cfg = next(x for x in LESSONS if x.key == "zeros").variants[0].config
    at = open_playground({**cfg.to_query(), "steps_per_click": "1000"})
    at.session_state["trainer"].step(cfg.stop_iterations + 5,
                                     stop_iterations=cfg.stop_iterations)
    at.run()
    assert f"stopped at {cfg.stop_iterations:,} (the lesson's stop)" in badges(at)
    # Beside the badge, not in a toast (a toast covers the run-control row).
    assert "stop" not in toasts(at)
    assert any(m.value.startswith("Play or Step continues past it") for m in at.markdown)


def test_play_after_a_stop_continues_past_it():
    at = open_playground({"stop_iterations": "30", "steps_per_click": "100"})
    step(at)
    assert iteration(at) == 30 and "stopped at 30 (your stop)" in badges(at)
    assert any(m.value.startswith("Play or Step continues past it") for m in at.markdown)
    play_pause(at, "play_button").click().run()
    assert not at.exception, at.exception
    assert iteration(at) > 30, "Play did nothing after the stop"
    assert "training" in badges(at)


def test_lazy_expanders_keep_their_settings_closed_and_reopened():
    # "More" and "Upload your own CSV" draw their widgets only while open (the first load
    # renders ~10 widgets fewer: issue 13, item 20). Closed, a link's settings still apply;
    # opened, the widgets show them; a change made there survives closing and reopening.
    at = open_playground({"regularization": "L2", "lambd": "0.3", "batch_size": "32"})
    keys = {w.key for w in at.sidebar if getattr(w, "key", None)}
    assert not keys & {"w_regularization", "w_lambd", "w_batch_size", "w_upload"}
    t = at.session_state["trainer"]
    assert (t.regularization, t.lambd, t.batch_size) == ("L2", 0.3, 32)
    open_expander(at, "more_expander")
    assert at.sidebar.number_input(key="w_lambd").value == 0.3
    at.sidebar.number_input(key="w_lambd").set_value(0.7).run()
    at.session_state["more_expander"] = False
    at.run()
    assert "w_lambd" not in {w.key for w in at.sidebar if getattr(w, "key", None)}
    assert at.session_state["trainer"].lambd == 0.7
    open_expander(at, "more_expander")
    assert at.sidebar.number_input(key="w_lambd").value == 0.7
    open_expander(at, "upload_expander")
    assert at.sidebar.file_uploader(key="w_upload") is not None
    assert not at.exception, at.exception
