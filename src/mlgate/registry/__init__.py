"""Promotion into a model registry (GTO's git tags; MLflow as a second backend), and reading it."""
