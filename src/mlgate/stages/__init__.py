"""The pipeline's stages, one module each: pure functions from data and config to data."""
