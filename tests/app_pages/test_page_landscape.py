"""AppTest of the cost landscape (issue 15, part 2): the Playground's tab and the Symmetry
page's card draw the map, the path and the sentences computed from the run."""

from __future__ import annotations

import apptest
from apptest import button


def test_playground_tab_draws_the_landscape_and_switches_directions():
    at = apptest.open_page("app_pages/playground.py", query={"init": "zeros"})
    button(at, r"Step ×10").click().run()
    at.session_state["view_tab"] = "Cost landscape"
    at.run()
    assert not at.exception, at.exception
    fig = apptest.live_figures(at)["landscape_chart"]
    assert [t["type"] for t in fig["data"]] == ["contour"] + ["scatter"] * 4
    assert fig["data"][-1]["name"] == "θ now (iteration 10)"
    infos = " ".join(i.value for i in at.info)
    # W = 0: the path has not moved, PCA is undefined, and the page says so.
    assert "The path has not moved" in infos and "PCA of a path that does not move" in infos
    assert "The path does not move: θ at iteration 10 is exactly θ at iteration 0" in infos
    at.segmented_control(key="landscape_directions").set_value("random").run()
    at.toggle(key="landscape_log").set_value(True).run()
    assert not at.exception, at.exception
    fig = apptest.live_figures(at)["landscape_chart"]
    assert fig["data"][0]["colorbar"]["title"]["text"] == "log J"
    assert "random direction d₁" in fig["layout"]["xaxis"]["title"]["text"]


def test_symmetry_page_card_draws_the_landscape_of_the_chosen_column():
    at = apptest.open_page("app_pages/symmetry.py")
    button(at, r"Step ×100").click().run()
    at.selectbox(key="sym_landscape_column").set_value(1).run()  # constant c = 0.5
    assert not at.exception, at.exception
    fig = apptest.live_figures(at)["sym_landscape_chart"]
    assert fig["data"][0]["type"] == "contour"
    infos = " ".join(i.value for i in at.info)
    assert "The path stays on the symmetric subspace" in infos
