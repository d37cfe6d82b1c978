"""NN Playground: the entry point declares the pages and runs the chosen one."""

import streamlit as st

from playground import ui_style

ui_style.page_config()
ui_style.apply()

PAGES = {
    "Learn": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/lessons.py", title="Lessons", icon=":material/school:"),
    ],
    "Explore": [
        st.Page("pages/playground.py", title="Playground", icon=":material/play_circle:"),
        st.Page("pages/under_the_hood.py", title="Under the hood", icon=":material/functions:"),
    ],
    "Classroom": [
        st.Page("pages/symmetry.py", title="Symmetry breaking", icon=":material/content_copy:"),
        st.Page("pages/compare_activations.py", title="Sigmoid vs tanh vs ReLU",
                icon=":material/compare_arrows:"),
        st.Page("pages/activation_functions.py", title="Activation functions",
                icon=":material/show_chart:"),
        st.Page("pages/init_lab.py", title="Initialization scale lab", icon=":material/tune:"),
    ],
}

st.navigation(PAGES).run()
