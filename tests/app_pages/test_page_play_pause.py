"""Play then Pause at once, as a teacher does (issue 13, item 11): the Pause is not taken
for the echo of the Play click (the old guard ignored any Pause within a second of Play),
and it stops the page at the frame the browser was sent last when no chart reported."""

from __future__ import annotations

from apptest import open_page, play_pause


def _label(at, key: str) -> str:
    return play_pause(at, key).label


def test_playground_pause_right_after_play_is_not_ignored():
    at = open_page("app_pages/playground.py", query={"speed": "fast"})
    play_pause(at, "play_button").click().run()
    assert not at.exception, at.exception
    assert at.session_state["playing"] and _label(at, "play_button") == "Pause"
    played = at.session_state["trainer"].iteration
    assert played > 0, "Play trained no frame"
    play_pause(at, "play_button").click().run()  # within a second of Play
    assert not at.exception, at.exception
    assert not at.session_state["playing"] and _label(at, "play_button") == "Play"
    # No chart reported a drawn frame here (no browser): Pause keeps what was sent.
    assert at.session_state["trainer"].iteration == played
    # And Play again at once plays.
    play_pause(at, "play_button").click().run()
    assert at.session_state["playing"] and _label(at, "play_button") == "Pause"
    assert at.session_state["trainer"].iteration > played


def test_symmetry_pause_right_after_play_is_not_ignored():
    at = open_page("app_pages/symmetry.py")
    play_pause(at, "sym_play").click().run()
    assert not at.exception, at.exception
    assert at.session_state["sym_playing"] and _label(at, "sym_play") == "Pause"
    played = at.session_state["sym_group"].iteration
    assert played > 0, "Play trained no frame"
    play_pause(at, "sym_play").click().run()
    assert not at.exception, at.exception
    assert not at.session_state["sym_playing"] and _label(at, "sym_play") == "Play"
    assert at.session_state["sym_group"].iteration == played
