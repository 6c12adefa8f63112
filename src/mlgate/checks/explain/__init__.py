"""The explain suite: checks on SHAP importance computed by the explain stage."""
