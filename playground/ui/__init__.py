"""The only package that imports Streamlit: session state, widgets and the URL
(``session``), the page style, the fair turn-taking of playing pages (``pacing``),
the two browser components (``live_chart``, ``click_plane``) and the notebook
download (``notebook``)."""
