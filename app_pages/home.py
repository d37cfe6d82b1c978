"""Home: what the playground is for, and where to start."""

import streamlit as st

st.title("NN Playground")
st.markdown(
    "Train small neural networks on toy 2-D data and watch them learn, in the notation of "
    "the *Neural Networks and Deep Learning* course: inputs `X` of shape `(n[0], m)`, one "
    "example per column; weights `W[l]` of shape `(n[l], n[l−1])`; "
    "`Z[l] = W[l]·A[l−1] + b[l]`, `A[l] = g[l](Z[l])`, and gradient descent "
    "`W[l] := W[l] − α·dW[l]`."
)

st.header("Where to start", anchor=False)
c1, c2 = st.columns(2)
with c1:
    with st.container(border=True):
        st.markdown("**Playground**: build a network (layers, units, activations, "
                    "initialization, α), press Play, and watch the decision boundary, the "
                    "cost and every unit change.")
        st.page_link("app_pages/playground.py", label="Open the Playground",
                     icon=":material/play_circle:")
    with st.container(border=True):
        st.markdown("**Lessons**: ready-made experiments that each make one point: zero "
                    "initialization, α too large, linear activations, XOR…")
        st.page_link("app_pages/lessons.py", label="Open the lessons", icon=":material/school:")
    with st.container(border=True):
        st.markdown("**Under the hood**: the forward and backward equations of the current "
                    "network with their real shapes, a gradient check, and the code that "
                    "ran.")
        st.page_link("app_pages/under_the_hood.py", label="Open Under the hood",
                     icon=":material/functions:")
with c2:
    with st.container(border=True):
        st.markdown("**Symmetry breaking**: why W = 0 cannot learn, why identical weights "
                    "stay clones, and how randomness breaks the tie.")
        st.page_link("app_pages/symmetry.py", label="Open Symmetry breaking",
                     icon=":material/content_copy:")
    with st.container(border=True):
        st.markdown("**Sigmoid vs tanh vs ReLU**: the same network with each activation, "
                    "over several seeds, side by side.")
        st.page_link("app_pages/compare_activations.py", label="Compare activations",
                     icon=":material/compare_arrows:")
    with st.container(border=True):
        st.markdown("**Activation functions** and the **initialization scale lab**: g(z), "
                    "g'(z), saturation, and how the signal's scale survives depth.")
        st.page_link("app_pages/activation_functions.py", label="Activation functions",
                     icon=":material/show_chart:")
        st.page_link("app_pages/init_lab.py", label="Initialization scale lab",
                     icon=":material/tune:")

st.caption("Everything is computed live by a small NumPy library (`playground/`): the "
           "numbers on every page are the real cost, accuracy and gradients.")
