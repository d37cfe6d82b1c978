"""The cost landscape's view, shared by the Playground's *Cost landscape* tab and the
Symmetry page's card: the choice of directions, the log-scale toggle, the map with its
text alternative, and the sentences computed from the run (``playground.lab.landscape``).
"""

from __future__ import annotations

import streamlit as st

from playground.core import text
from playground.engine.trainer import MAX_RECENT
from playground.figures.landscape import landscape_alt, make_landscape_figure
from playground.lab import landscape as LS
from playground.ui import live_chart as ui_chart

DIRECTION_LABELS = {"pca": "principal directions of the path (PCA)",
                    "random": "random, normalized per unit"}
LESSON_ICONS = {"stuck": ":material/block:", "bouncing": ":material/swap_vert:",
                "symmetric": ":material/content_copy:"}


def landscape_view(trainer, *, key: str, height: int | None = None) -> LS.Landscape:
    """Draws the landscape of ``trainer`` now under the controls; widget and chart keys
    start with ``key``. Returns what it drew (for the caller's own words)."""
    with st.container(horizontal=True, vertical_alignment="center"):
        directions = st.segmented_control(
            "Directions", list(DIRECTION_LABELS), format_func=DIRECTION_LABELS.get,
            default="pca", required=True, key=f"{key}_directions",
            help="PCA: the two directions in which the recorded path spreads most (the "
                 "standard way to see a descent path). Random: two random directions, "
                 "each unit's weights scaled to the size of that unit's weights in θ "
                 "(Li et al. 2018), biases left out.") or "pca"
        log_z = st.toggle("Log scale", key=f"{key}_log",
                          help="Colour by log J: shows the valley's floor when the hills "
                               "are much higher.")
        zoom = st.toggle(f"Zoom on the last {MAX_RECENT} iterations", key=f"{key}_zoom",
                         help="The map and its directions for the latest iterations only, "
                              "each one recorded: a step back and forth across a valley "
                              "shows as a zigzag.")
    ls = LS.landscape(trainer, directions, zoom=zoom)
    dirs = ls.directions
    if dirs.note:
        st.info(dirs.note, icon=":material/info:")
    x_title, y_title = LS.axis_titles(dirs)
    kw = {} if height is None else {"height": height}
    fig = make_landscape_figure(ls.s, ls.t, ls.J, ls.path, ls.iterations, ls.path_costs,
                                log_z=log_z, x_title=x_title, y_title=y_title,
                                equal_axes=dirs.orthonormal, uirevision=f"{key}-{dirs.kind}",
                                **kw)
    chart, words = st.columns(2, gap="medium")
    with chart:
        ui_chart.live_chart(fig, key=f"{key}_chart", config={"displayModeBar": False},
                            alt=landscape_alt(ls.s, ls.t, ls.J, ls.path, ls.iterations,
                                              ls.path_costs, directions=LS.PHRASES[dirs.kind],
                                              in_plane=ls.in_plane if ls.moved else None))
    with words:
        for lesson in ls.lessons:
            st.info(lesson.sentence, icon=LESSON_ICONS.get(lesson.kind, ":material/school:"))
            if lesson.kind == "bouncing" and not zoom:
                st.caption(f"Turn on *Zoom on the last {MAX_RECENT} iterations* to see "
                           "the zigzag.")
        st.caption(_caption(ls))
    return ls


def _caption(ls: LS.Landscape) -> str:
    """What the map is, with its numbers."""
    dirs = ls.directions
    plane = ("s and t are distances in weight space along two orthonormal directions"
             if dirs.orthonormal else
             "1 on an axis moves every unit's weights by their own length in θ")
    head = (f"J (the train cost) at {len(ls.s)} × {len(ls.t)} networks θ + s·d₁ + t·d₂, "
            f"evaluated together; {plane}. The star is θ now (iteration "
            f"{text.count(ls.iterations[-1])}, J = {text.cost(ls.current_cost)}); ")
    if not ls.moved:
        return head + (f"all {len(ls.iterations)} recorded iterations are θ itself, under "
                       "the star.")
    return head + (f"the line joins the {len(ls.iterations)} recorded iterations, projected "
                   f"onto the plane, which holds {text.share(ls.in_plane)} of the path's "
                   "squared distance from θ (what it leaves out is not drawn).")
