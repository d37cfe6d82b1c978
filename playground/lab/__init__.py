"""Pure per-page logic, no Streamlit and no plotly: configuration and URL values
(``config``), lessons, the symmetry demo, the activation comparison, the
initialization lab and *Under the hood* (``hood``)."""
