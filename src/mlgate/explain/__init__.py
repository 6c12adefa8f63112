"""SHAP explanations: computation only (a model and rows in, arrays out)."""
