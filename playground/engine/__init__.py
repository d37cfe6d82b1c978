"""Training loops: one network step by step (``trainer``), many networks stacked
into one NumPy call per layer (``stacked``). NumPy and the core only."""
