"""App tests: the entry point and every page run under Streamlit's AppTest."""

from pathlib import Path

import pytest
from apptest import open_page
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py"))


def test_app_entry_point_runs():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "NN Playground"


@pytest.mark.parametrize("page_file", PAGE_FILES)
def test_page_runs(page_file):
    at = open_page(page_file)
    assert not at.exception, at.exception
    assert at.title, f"{page_file} shows no title"
