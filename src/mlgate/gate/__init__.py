"""The promotion gate: turn all the evidence into one decision (``decide``), failing closed."""
