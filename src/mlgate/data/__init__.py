"""What mlgate knows about tabular data itself: sensitive groups, personal data, column names."""
