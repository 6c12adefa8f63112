"""The data suite: one module per check."""
