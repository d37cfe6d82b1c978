"""The only package that imports Streamlit: session state, widgets and the URL
(``session``), the page style, the one live loop of the pages that play (``live``) and
its fair turn-taking (``pacing``), the two browser components (``live_chart``,
``click_plane``) and the notebook download (``notebook``)."""
