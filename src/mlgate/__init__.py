"""mlgate: hold ML models to the same standard as code."""

__version__ = "0.1.0"
