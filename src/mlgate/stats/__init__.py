"""Statistics as pure, vectorised functions of arrays; no pandas, no config, no files."""
