"""Scoring rows with the saved model: batch predictions and their audit table."""
