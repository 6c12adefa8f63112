"""The performance suite: metrics with bootstrap intervals, per slice, and against trivial rules."""
