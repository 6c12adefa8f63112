"""What mlgate knows about tabular data itself: groups of a sensitive feature, personal data."""
