"""One configuration object: what the widgets edit, the URL carries, the JSON export writes
and the trainer reads.

Every field has a default and a validator. ``from_query`` and ``from_json`` never raise on
bad input from a user: they fall back to the default field by field and return notices a
page shows ("'alpha=banana' is not a number: using 1.2").
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from playground.core.datasets import DATASETS
from playground.core.features import DEFAULT_FEATURES, FEATURES
from playground.core.nn import ACTIVATIONS, INITIALIZATIONS, REGULARIZATIONS
from playground.core.text import exact
from playground.lab.course import NO_COURSE, NOTEBOOKS, VIEW, notebook_settings

MAX_HIDDEN_LAYERS = 6
MAX_UNITS = 16
N_SAMPLES_RANGE = (20, 2000)
NOISE_RANGE = (0.0, 1.0)
TEST_FRACTION_RANGE = (0.0, 0.5)
ALPHA_RANGE = (1e-4, 10.0)
SCALE_RANGE = (0.0, 100.0)
LAMBDA_RANGE = (0.0, 10.0)
SEED_RANGE = (0, 2**31 - 1)
STEPS_PER_CLICK = (1, 10, 100, 1000)
SPEEDS = ("slow", "normal", "fast")
SCHEDULES = ("constant", "step", "inverse_time")
HIDEABLE = ("data", "network", "initialization", "training", "regularization", "features",
            "diagram", "units", "activations", "replay", "export")
UPLOAD = "upload"  # the dataset name of the user's own CSV (not carried by the URL)
SCALED_INITS = ("random", "constant")  # the initializations whose init_scale is used
# What a change of needs a new Trainer (new data, or new initial weights), and what a
# running Trainer takes from its next iteration on (its parameters stay valid).
DATA_FIELDS = ("course", "dataset", "n_samples", "noise", "test_fraction", "data_seed")
NETWORK_FIELDS = ("hidden", "activations", "features", "init", "init_scale", "weight_seed")
LIVE_FIELDS = ("alpha", "regularization", "lambd", "batch_size", "schedule", "decay_rate",
               "decay_steps", "stop_iterations", "stop_cost")
FIELD_LABELS = {
    "course": "the course notebook", "dataset": "the dataset",
    "n_samples": "the number of points m", "noise": "the noise",
    "test_fraction": "the test fraction", "data_seed": "the data seed",
    "hidden": "the hidden layers", "activations": "the activations",
    "features": "the input features", "init": "the initialization",
    "init_scale": "the initialization scale", "weight_seed": "the weight seed",
    "alpha": "α", "regularization": "the regularization", "lambd": "λ",
    "batch_size": "the batch size", "schedule": "the learning-rate schedule",
    "decay_rate": "the decay rate γ", "decay_steps": "the decay steps s",
    "stop_iterations": "the stop after iterations", "stop_cost": "the stop on cost",
}
HIDDEN_ACTIVATIONS = tuple(a for a in ACTIVATIONS)


@dataclass(frozen=True)
class Config:
    """Everything that defines an experiment. Field names are the URL keys."""

    # Data
    course: str = NO_COURSE  # a course notebook's own run (playground.lab.course), or "off"
    dataset: str = "flower"
    n_samples: int = 400
    noise: float = 0.2
    test_fraction: float = 0.2
    data_seed: int = 0
    # Network
    hidden: tuple[int, ...] = (4,)
    activations: tuple[str, ...] = ("tanh",)
    features: tuple[str, ...] = DEFAULT_FEATURES
    # Initialization
    init: str = "random"
    init_scale: float = 0.01
    weight_seed: int = 1
    # Training
    alpha: float = 1.2
    steps_per_click: int = 10
    speed: str = "normal"
    regularization: str = "none"
    lambd: float = 0.0
    batch_size: int = 0  # 0: full batch, the course's default
    schedule: str = "constant"
    decay_rate: float = 0.5
    decay_steps: int = 1000
    stop_iterations: int = 0  # 0: no limit
    stop_cost: float = 0.0  # 0: no threshold
    # View
    discretize: bool = False
    show_test: bool = True
    hide: tuple[str, ...] = field(default_factory=tuple)

    # ---- derived ------------------------------------------------------------------
    @property
    def layer_dims(self) -> list[int]:
        return [len(self.features), *self.hidden, 1]

    @property
    def all_activations(self) -> list[str]:
        """One activation per layer 1..L, the output layer's sigmoid included."""
        return [*self.activations, "sigmoid"]

    @property
    def architecture(self) -> str:
        """``2 → 4 → 1``."""
        return " → ".join(str(n) for n in self.layer_dims)

    def data_key(self) -> tuple:
        """What, when changed, means new data (and so a reset)."""
        return tuple(getattr(self, f) for f in DATA_FIELDS)

    def network_key(self) -> tuple:
        """What, when changed, means new initial weights (and so a reset). The scale
        counts only for the methods that use one (random × scale, constant c)."""
        return tuple(None if f == "init_scale" and not self.uses_scale else getattr(self, f)
                     for f in NETWORK_FIELDS)

    @property
    def uses_scale(self) -> bool:
        """Whether ``init_scale`` means something for this initialization."""
        return self.init in SCALED_INITS

    @property
    def default_scale(self) -> float | None:
        """The scale that goes without saying for this initialization: the method's own,
        or in course mode the notebook's (random × 10 in the initialization assignment)."""
        if self.course != NO_COURSE and self.init == "random":
            return NOTEBOOKS[self.course].random_scale
        return INITIALIZATIONS[self.init].default_scale

    # ---- serialisation ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, tuple):
                d[k] = list(v)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def to_query(self) -> dict[str, str]:
        """Only the fields that differ from the defaults, as strings for the URL. In
        course mode the defaults are the notebook's run, and its data go without saying:
        ``?course=planar`` is the notebook's run, ``?course=planar&alpha=0.5`` a change."""
        course = self.course != NO_COURSE
        default = notebook_config(self.course) if course else Config()
        out = {"course": self.course} if course else {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "course" or (course and f.name in NOTEBOOKS[self.course].data_fields):
                continue
            if f.name == "init_scale":
                # The scale of the method's own default (0.01 random, 0.5 constant; a
                # notebook's own) goes without saying; the other methods use none.
                if not self.uses_scale or v == self.default_scale:
                    continue
            elif v == getattr(default, f.name):
                continue
            out[f.name] = _format(v)
        if "dataset" in out and "noise" not in out:
            out["noise"] = _format(self.noise)  # a link without noise means the data's own
        return out

    def replace(self, **changes) -> Config:
        """A validated copy with some fields changed (raises ValueError on a bad value)."""
        cfg, notices = from_mapping({**self.to_dict(), **changes}, strict=True)
        return cfg


def _format(v: Any) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, tuple):
        return ",".join(_format(x) for x in v)
    if isinstance(v, int | float):
        return exact(v)  # 0.01, 1 (not 1.0); never at the cost of the value
    return str(v)


# ---- parsing ---------------------------------------------------------------------------


class _Bad(ValueError):
    pass


def _as_int(v: Any, lo: int, hi: int) -> int:
    if isinstance(v, bool):
        raise _Bad("is not a whole number")
    try:
        f = float(v)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a 400-digit JSON int
        raise _Bad("is not a whole number") from None
    if not math.isfinite(f) or f != int(f):
        raise _Bad("is not a whole number")
    i = int(f)
    if not lo <= i <= hi:
        raise _Bad(f"is outside {lo}…{hi}")
    return i


def _as_float(v: Any, lo: float, hi: float) -> float:
    if isinstance(v, bool):
        raise _Bad("is not a number")
    try:
        f = float(v)
    except (TypeError, ValueError, OverflowError):
        raise _Bad("is not a number") from None
    if not math.isfinite(f):
        raise _Bad("is not a finite number")
    if not lo <= f <= hi:
        raise _Bad(f"is outside {lo:g}…{hi:g}")
    return f


def _as_choice(v: Any, choices) -> str:
    if not isinstance(v, str) or v not in choices:
        raise _Bad(f"is not one of {', '.join(choices)}")
    return v


def _as_int_choice(v: Any, choices: tuple[int, ...]) -> int:
    i = _as_int(v, min(choices), max(choices))
    if i not in choices:
        raise _Bad(f"is not one of {', '.join(map(str, choices))}")
    return i


def _as_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if str(v).lower() in ("1", "true", "yes", "on"):
        return True
    if str(v).lower() in ("0", "false", "no", "off"):
        return False
    raise _Bad("is not true/false (use 1 or 0)")


def _as_list(v: Any) -> list:
    if isinstance(v, (list, tuple)):
        return list(v)
    if isinstance(v, str):
        return [s.strip() for s in v.split(",") if s.strip()] if v.strip() else []
    raise _Bad("is not a list")


def _hidden(v: Any) -> tuple[int, ...]:
    items = _as_list(v)
    if len(items) > MAX_HIDDEN_LAYERS:
        raise _Bad(f"has more than {MAX_HIDDEN_LAYERS} hidden layers")
    return tuple(_as_int(x, 1, MAX_UNITS) for x in items)


def _activations(v: Any) -> tuple[str, ...]:
    return tuple(_as_choice(x, HIDDEN_ACTIVATIONS) for x in _as_list(v))


def _features(v: Any) -> tuple[str, ...]:
    items = [_as_choice(x, tuple(FEATURES)) for x in _as_list(v)]
    if not items:
        raise _Bad("selects no input feature")
    return tuple(n for n in FEATURES if n in items)


def _hide(v: Any) -> tuple[str, ...]:
    items = [_as_choice(x, HIDEABLE) for x in _as_list(v)]
    return tuple(n for n in HIDEABLE if n in items)


_PARSERS = {
    "course": lambda v: _as_choice(v, (NO_COURSE, *NOTEBOOKS)),
    "dataset": lambda v: _as_choice(v, (*DATASETS, UPLOAD)),
    "n_samples": lambda v: _as_int(v, *N_SAMPLES_RANGE),
    "noise": lambda v: _as_float(v, *NOISE_RANGE),
    "test_fraction": lambda v: _as_float(v, *TEST_FRACTION_RANGE),
    "data_seed": lambda v: _as_int(v, *SEED_RANGE),
    "hidden": _hidden,
    "activations": _activations,
    "features": _features,
    "init": lambda v: _as_choice(v, tuple(INITIALIZATIONS)),
    "init_scale": lambda v: _as_float(v, *SCALE_RANGE),
    "weight_seed": lambda v: _as_int(v, *SEED_RANGE),
    "alpha": lambda v: _as_float(v, *ALPHA_RANGE),
    "steps_per_click": lambda v: _as_int_choice(v, STEPS_PER_CLICK),
    "speed": lambda v: _as_choice(v, SPEEDS),
    "regularization": lambda v: _as_choice(v, REGULARIZATIONS),
    "lambd": lambda v: _as_float(v, *LAMBDA_RANGE),
    "batch_size": lambda v: _as_int(v, 0, 10_000),
    "schedule": lambda v: _as_choice(v, SCHEDULES),
    "decay_rate": lambda v: _as_float(v, 0.0, 10.0),
    "decay_steps": lambda v: _as_int(v, 1, 1_000_000),
    "stop_iterations": lambda v: _as_int(v, 0, 10_000_000),
    "stop_cost": lambda v: _as_float(v, 0.0, 10.0),
    "discretize": _as_bool,
    "show_test": _as_bool,
    "hide": _hide,
}
FIELD_NAMES = tuple(f.name for f in fields(Config))
assert set(_PARSERS) == set(FIELD_NAMES), "every Config field needs a parser"


def from_mapping(values: Mapping[str, Any], *, strict: bool = False) -> tuple[Config, list[str]]:
    """A valid Config from loose values (URL strings, JSON), and notices for what was ignored.

    Unknown keys and bad values fall back to the defaults, each with a notice; with
    ``strict=True`` the first problem raises ``ValueError`` instead.
    """
    if not isinstance(values, Mapping):
        raise ValueError("a configuration must be a JSON object of field: value")
    default = Config()
    kwargs: dict[str, Any] = {}
    notices: list[str] = []

    def problem(msg: str, fallback: str = "") -> None:
        # Strict (a loaded file): nothing is used instead, so the message says no more.
        if strict:
            raise ValueError(msg)
        notices.append(msg + fallback)

    for key, raw in values.items():
        if key not in _PARSERS:
            if not str(key).endswith("_hide"):
                problem(f"unknown setting '{key}' ignored")
            continue
        try:
            kwargs[key] = _PARSERS[key](raw)
        except _Bad as e:
            shown = str(raw) if len(str(raw)) <= 40 else str(raw)[:40] + "…"
            problem(f"'{key}={shown}' {e}", f": using {_format(getattr(default, key))}")

    course = kwargs.get("course", default.course)
    if course != NO_COURSE:
        _course_values(kwargs, course, problem)
    # Per-layer activations follow the number of hidden layers: pad with the last one
    # (or the default), cut the rest, so a link with "hidden=8,8" alone still works.
    hidden = kwargs.get("hidden", default.hidden)
    acts = list(kwargs.get("activations", default.activations))
    if len(acts) != len(hidden):
        if "activations" in kwargs and len(acts) > 1:  # one name means every layer
            problem(f"{len(acts)} activations for {len(hidden)} hidden layers",
                    ": using the last one for the missing layers")
        fill = acts[-1] if acts else default.activations[0]
        acts = (acts + [fill] * len(hidden))[: len(hidden)]
    kwargs["activations"] = tuple(acts)
    # A link (or file) with constant c but no c gets the method's own c (0.5, the
    # lessons'), not random's 0.01: the scale's default depends on the method.
    init = kwargs.get("init", default.init)
    if "init_scale" not in kwargs and init in SCALED_INITS:
        kwargs["init_scale"] = float(INITIALIZATIONS[init].default_scale)
    # A link that names a dataset but no noise gets that dataset's own noise level.
    name = kwargs.get("dataset")
    if name in DATASETS and "noise" not in kwargs:
        kwargs["noise"] = float(min(max(DATASETS[name].noise, NOISE_RANGE[0]), NOISE_RANGE[1]))
    return Config(**kwargs), notices


def _course_values(kwargs: dict[str, Any], course: str, problem) -> None:
    """Course mode: the notebook's data, whatever was given (with a notice for a value
    that differs), and its run's values for every field not given."""
    nb = NOTEBOOKS[course]
    settings = notebook_settings(course)
    for key in nb.data_fields:
        if key in kwargs and kwargs[key] != settings[key]:
            problem(f"'{key}={_format(kwargs[key])}' does not go with course={course}, "
                    f"which uses the notebook's own data ({nb.data})",
                    f": using {_format(settings[key])}")
        kwargs[key] = settings[key]
    hidden = kwargs.setdefault("hidden", settings["hidden"])
    if "activations" not in kwargs and hidden:
        acts = list(settings["activations"])
        kwargs["activations"] = tuple((acts + acts[-1:] * len(hidden))[: len(hidden)])
    init = kwargs.setdefault("init", settings["init"])
    if "init_scale" not in kwargs and init not in SCALED_INITS:
        kwargs["init_scale"] = settings["init_scale"]  # unused; as in the notebook's Config
    elif "init_scale" not in kwargs and init == "random":
        kwargs["init_scale"] = nb.random_scale
    for key in ("features", "weight_seed", "alpha", "regularization", "lambd",
                "batch_size", "schedule", "stop_iterations", "stop_cost"):
        kwargs.setdefault(key, settings[key])
    for key, v in VIEW.items():
        kwargs.setdefault(key, v)


def notebook_config(name: str) -> Config:
    """The Config of a course notebook's run (``playground.lab.course.NOTEBOOKS``)."""
    return replace(Config(), course=name, **notebook_settings(name), **VIEW)


PREDICT = "predict"
"""The URL parameter that turns the "predict, then run" questions off for a demo
(``?predict=off``) or back on; a page's setting, not the experiment's."""
PAGE_PARAMS = (PREDICT,)
"""URL parameters of the pages, not of the experiment: ``from_query`` leaves them out of
the Config (and says nothing about them); the Playground keeps them in its URL."""


def parse_predict(value: Any) -> tuple[bool, str]:
    """``?predict=``: whether the questions are asked (on, 1, true, yes / off, 0, false,
    no), and a notice for anything else, which keeps them on."""
    try:
        return _as_bool(value[-1] if isinstance(value, list) and value else value), ""
    except _Bad:
        shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
        return True, (f"'{PREDICT}={shown}' is not on or off: the questions stay on "
                      f"(use {PREDICT}=off to hide them)")


def from_query(params: Mapping[str, Any]) -> tuple[Config, list[str]]:
    """A Config from URL query parameters (``st.query_params``), with notices. The pages'
    own parameters (``PAGE_PARAMS``) are not the Config's: they are left out."""
    flat = {}
    for k, v in params.items():
        if k in PAGE_PARAMS:
            continue
        flat[k] = v[-1] if isinstance(v, list) and v else v
    # Classroom links may also say e.g. `network_hide=1`, TensorFlow Playground's form.
    hide = [k[: -len("_hide")] for k, v in flat.items()
            if k.endswith("_hide") and str(v).lower() in ("1", "true")]
    if hide:
        hide = [h for h in hide if h in HIDEABLE]
        flat["hide"] = ",".join(sorted(set(_as_list(flat.get("hide", ""))) | set(hide)))
    return from_mapping(flat)


def from_json(text: str | bytes) -> Config:
    """A Config from an exported JSON file; raises ``ValueError`` with a student's message."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise ValueError(f"a configuration file is text, got {type(text).__name__}")
    try:
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8-sig")
        data = json.loads(text)
    except (ValueError, RecursionError) as e:  # JSONDecodeError and UnicodeDecodeError too
        raise ValueError(f"this is not a configuration file (not valid JSON: {e})") from None
    cfg, _ = from_mapping(data, strict=True)
    return cfg


def reset_changes(old: Config, new: Config) -> list[str]:
    """The fields, of DATA_FIELDS and NETWORK_FIELDS, whose change from ``old`` to ``new``
    needs a new Trainer (the scale only where the initialization uses it)."""
    out = [f for f in DATA_FIELDS if getattr(old, f) != getattr(new, f)]
    for f in NETWORK_FIELDS:
        if f == "init_scale":
            if old.init == new.init and new.uses_scale and old.init_scale != new.init_scale:
                out.append(f)
        elif getattr(old, f) != getattr(new, f):
            out.append(f)
    return out


def live_changes(old: Config, new: Config) -> list[str]:
    """The fields of LIVE_FIELDS that differ: a running Trainer takes them as they are."""
    return [f for f in LIVE_FIELDS if getattr(old, f) != getattr(new, f)]


def with_changes(cfg: Config, **changes) -> Config:
    """``dataclasses.replace`` for internal use where values are known to be valid."""
    return replace(cfg, **changes)
