"""The comparison suite: one module per check."""
