"""Tests for playground.lab.config: defaults, the URL round trip, nonsense from a link, the
classroom `*_hide=1` keys, the JSON export, and that parsing a URL never raises."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.lab import config as C
from playground.lab.config import Config, from_json, from_mapping, from_query


def test_defaults_are_valid_and_the_course_setup():
    cfg = Config()
    again, notices = from_mapping(cfg.to_dict(), strict=True)
    assert again == cfg and notices == []
    assert cfg.dataset == "flower" and cfg.hidden == (4,) and cfg.activations == ("tanh",)
    assert cfg.alpha == 1.2 and cfg.init == "random" and cfg.init_scale == 0.01
    assert cfg.layer_dims == [2, 4, 1] and cfg.architecture == "2 → 4 → 1"
    assert cfg.all_activations == ["tanh", "sigmoid"]
    assert cfg.to_query() == {}
    assert set(C._PARSERS) == {f.name for f in fields(Config)}


EXAMPLES = [
    Config(),
    Config(dataset="moons", n_samples=250, noise=0.35, test_fraction=0.1, data_seed=7,
           hidden=(8, 8, 3), activations=("relu", "leaky_relu", "gelu"),
           features=("x1", "x2", "x1sq", "sin_x2"), init="constant", init_scale=0.3,
           weight_seed=99, alpha=0.03, steps_per_click=1000, speed="fast",
           regularization="L2", lambd=0.25, batch_size=32, schedule="step", decay_rate=0.9,
           decay_steps=250, stop_iterations=5000, stop_cost=0.05, discretize=True,
           show_test=False, hide=("data", "export")),
    Config(hidden=(), activations=(), alpha=1 / 3, noise=0.123456789, init_scale=1e-5),
    Config(dataset="upload", init="zeros", regularization="L1", lambd=1e-4),
]


@pytest.mark.parametrize("cfg", EXAMPLES)
def test_query_round_trip(cfg):
    q = cfg.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in q.items())
    back, notices = from_query(q)
    assert notices == []
    assert back == cfg


def test_query_is_short_and_only_holds_changes():
    q = Config(alpha=0.01, hidden=(8, 8), activations=("relu", "relu")).to_query()
    assert q == {"alpha": "0.01", "hidden": "8,8", "activations": "relu,relu"}
    assert Config(discretize=True).to_query() == {"discretize": "1"}


def test_query_values_may_come_as_lists():
    cfg, notices = from_query({"alpha": ["0.5", "0.3"], "hidden": ["2,2"]})
    assert cfg.alpha == 0.3 and cfg.hidden == (2, 2) and cfg.activations == ("tanh", "tanh")
    assert notices == []


@pytest.mark.parametrize(("key", "value"), [
    ("alpha", "banana"), ("alpha", "1e9"), ("alpha", "nan"), ("alpha", "inf"), ("alpha", "-1"),
    ("alpha", ""), ("hidden", "99"), ("hidden", "4,x"), ("hidden", "0"),
    ("hidden", "1,1,1,1,1,1,1"), ("activations", "foo"), ("activations", "tanh,foo"),
    ("n_samples", "-3"), ("n_samples", "12.5"), ("n_samples", "1e999"), ("dataset", "<script>"),
    ("init", "ones"), ("init_scale", "-1"), ("weight_seed", "-1"), ("steps_per_click", "7"),
    ("speed", "ludicrous"), ("regularization", "L3"), ("lambd", "11"), ("batch_size", "-1"),
    ("schedule", "cosine"), ("decay_steps", "0"), ("discretize", "maybe"), ("hide", "everything"),
    ("features", ""), ("features", "x3"), ("noise", "9" * 400), ("data_seed", "1e400"),
])
def test_nonsense_values_fall_back_to_the_default_with_a_notice(key, value):
    cfg, notices = from_query({key: value, "alpha_other_key_hide": "1"})
    default = Config()
    assert getattr(cfg, key) == getattr(default, key)
    assert len(notices) == 1
    assert key in notices[0] and "using" in notices[0]


def test_one_notice_per_bad_value_and_good_values_kept():
    cfg, notices = from_query({"alpha": "banana", "hidden": "99", "n_samples": "-3",
                               "dataset": "<script>", "noise": "0.3", "whatever": "1"})
    assert cfg.noise == 0.3 and cfg.alpha == 1.2 and cfg.hidden == (4,)
    assert cfg.n_samples == 400 and cfg.dataset == "flower"
    assert len(notices) == 5
    assert any("alpha=banana" in n and "not a number" in n and "1.2" in n for n in notices)
    assert any("unknown setting 'whatever'" in n for n in notices)


def test_long_values_are_shortened_in_notices():
    _, notices = from_query({"dataset": "x" * 500})
    assert len(notices[0]) < 200 and "…" in notices[0]


def test_hide_keys():
    cfg, notices = from_query({"network_hide": "1", "features_hide": "true", "data_hide": "0",
                               "nonsense_hide": "1", "hide": "export"})
    assert notices == []
    assert cfg.hide == ("network", "features", "export")
    cfg, _ = from_query({"hide": "units,data"})
    assert cfg.hide == ("data", "units")  # registry order


def test_activations_are_padded_and_cut_to_the_hidden_layers():
    cfg, notices = from_query({"hidden": "8,8,4"})
    assert cfg.activations == ("tanh", "tanh", "tanh") and notices == []
    cfg, notices = from_query({"hidden": "8,8,4", "activations": "relu"})
    assert cfg.activations == ("relu", "relu", "relu") and notices == []  # one for all
    cfg, notices = from_query({"hidden": "8,8,4", "activations": "relu,elu"})
    assert cfg.activations == ("relu", "elu", "elu") and len(notices) == 1
    cfg, notices = from_query({"hidden": "8", "activations": "relu,tanh,elu"})
    assert cfg.activations == ("relu",) and len(notices) == 1
    cfg, notices = from_query({"hidden": ""})
    assert cfg.hidden == () and cfg.activations == () and cfg.layer_dims == [2, 1]


def test_json_round_trip():
    for cfg in EXAMPLES:
        text = cfg.to_json()
        assert json.loads(text)["hidden"] == list(cfg.hidden)
        assert from_json(text) == cfg
        assert from_json(text.encode("utf-8")) == cfg
        assert from_json(b"\xef\xbb\xbf" + text.encode("utf-8")) == cfg  # with a BOM


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    ("", "not valid JSON"),
    (b"\xff\xfe{}", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('"flower"', "JSON object"),
    ('{"alpha": "fast"}', "alpha=fast"),
    ('{"alpha": true}', "alpha"),
    ('{"hidden": [4, "x"]}', "hidden"),
    ('{"hidden": {"a": 1}}', "hidden"),
    ('{"n_samples": 1' + "0" * 400 + "}", "n_samples"),
    ('{"n_samples": 1' + "0" * 5000 + "}", "not valid JSON"),
    ('{"noise": NaN}', "noise"),
    ('{"dataset": null}', "dataset"),
    ('{"colour": "red"}', "unknown setting 'colour'"),
    ('{"hidden": [8, 8], "activations": ["relu", "tanh", "elu"]}', "activations"),
    ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
])
def test_from_json_raises_a_clear_value_error(text, message):
    with pytest.raises(ValueError, match=message):
        from_json(text)


def test_from_json_rejects_non_text():
    for bad in (None, 3, {"alpha": 1}):
        with pytest.raises(ValueError, match="text"):
            from_json(bad)


def test_replace_validates():
    cfg = Config().replace(alpha=0.5, hidden=[3, 3], activations=["relu", "relu"])
    assert cfg.alpha == 0.5 and cfg.hidden == (3, 3)
    with pytest.raises(ValueError, match="alpha"):
        Config().replace(alpha=100.0)


def test_keys():
    a = Config()
    assert a.data_key() != Config(noise=0.3).data_key()
    assert a.network_key() != Config(init="he").network_key()
    assert a.network_key() == Config(alpha=0.1).network_key()


# ---- property tests ----------------------------------------------------------------

QUERY_TEXT = st.text(max_size=30) | st.sampled_from(
    ["1", "0", "-1", "nan", "inf", "1e999", "4,x", "8,8", "relu,tanh", ",,,", "true", " 3 ",
     "0.5", "1e-400", "9" * 50])
QUERY_KEYS = st.sampled_from([f.name for f in fields(Config)]) | st.text(max_size=12) | \
    st.sampled_from([f"{h}_hide" for h in C.HIDEABLE])


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(QUERY_KEYS, QUERY_TEXT | st.lists(QUERY_TEXT, max_size=3), max_size=8))
def test_from_query_never_raises(params):
    cfg, notices = from_query(params)
    assert isinstance(cfg, Config) and all(isinstance(n, str) for n in notices)
    assert len(cfg.activations) == len(cfg.hidden)
    again, more = from_query(cfg.to_query())  # whatever came in, the result round-trips
    assert again == cfg and more == []


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=12), st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6), max_size=6))
def test_from_mapping_never_raises_on_json_values(values):
    cfg, _ = from_mapping(values)
    assert isinstance(cfg, Config)
    try:
        from_json(json.dumps(values))
    except ValueError:
        pass


# ---- a loaded configuration file, beyond random JSON: bytes, and exported files with one
# value tampered with (what a student's hand-edited export looks like).

HOSTILE_JSON = (st.none() | st.booleans() | st.integers() | st.integers(-10**30, 10**30)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
                | st.sampled_from(["NaN", "Infinity", "-1e999", "1e308", "", "0x10", "[]"])
                | st.lists(st.integers() | st.text(max_size=4), max_size=4)
                | st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_from_json_bytes_give_a_config_or_a_value_error(data):
    try:
        cfg = from_json(data)
    except ValueError as e:
        assert str(e)
    else:
        assert isinstance(cfg, Config)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([f.name for f in fields(Config)]), HOSTILE_JSON,
       st.sampled_from(EXAMPLES))
def test_a_tampered_export_loads_validly_or_names_what_is_wrong(field, value, base):
    d = base.to_dict()
    d[field] = value
    try:
        text = json.dumps(d)
    except ValueError:  # a float JSON cannot write
        return
    try:
        cfg = from_json(text)
    except ValueError as e:
        # It names the setting, and does not claim to use anything instead: a file that
        # fails to load changes nothing.
        assert field in str(e) or "activations" in str(e), str(e)
        assert "using" not in str(e)
        return
    # Accepted: a valid configuration, which exports and loads back to itself.
    assert isinstance(cfg, Config) and len(cfg.activations) == len(cfg.hidden)
    assert from_json(cfg.to_json()) == cfg
