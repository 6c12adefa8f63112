"""One module per block of the pull-request report, each a pure function of the evidence."""
