"""The drift suite: one module per check."""
