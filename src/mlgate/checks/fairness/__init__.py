"""The fairness suite: group metrics and parity per sensitive feature, with intervals."""
