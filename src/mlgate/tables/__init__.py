"""Reading tables: source files and batches, in chunks or as parquet, under one set of rules."""
