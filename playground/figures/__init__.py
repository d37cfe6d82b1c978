"""Plotly only: pure builders from data to figures. ``charts`` holds the theme,
the wire encoding and the Playground's charts; the others are by subject."""
