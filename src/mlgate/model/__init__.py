"""What a saved model holds and how it is made, saved and loaded.

Preprocessing, estimators, fairness mitigation, SHAP values, and the allow-list every model
file is audited against.
"""
