"""NN Playground: the entry point declares the pages and runs the chosen one."""

import streamlit as st

from playground.ui import style as ui_style

ui_style.page_config()
ui_style.apply()

PAGES = {
    "Learn": [
        st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("app_pages/lessons.py", title="Lessons", icon=":material/school:"),
    ],
    "Explore": [
        st.Page("app_pages/playground.py", title="Playground", icon=":material/play_circle:"),
        st.Page("app_pages/under_the_hood.py", title="Under the hood", icon=":material/functions:"),
    ],
    "Classroom": [
        st.Page("app_pages/symmetry.py", title="Symmetry breaking", icon=":material/content_copy:"),
        st.Page("app_pages/compare_activations.py", title="Sigmoid vs tanh vs ReLU",
                icon=":material/compare_arrows:"),
        st.Page("app_pages/activation_functions.py", title="Activation functions",
                icon=":material/show_chart:"),
        st.Page("app_pages/init_lab.py", title="Initialization scale lab", icon=":material/tune:"),
    ],
}

st.navigation(PAGES).run()
