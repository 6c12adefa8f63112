"""Rendering: figures and markdown from computed values; nothing here computes a statistic."""
