"""The robustness suite: predictions under odd inputs, perturbations and counterfactuals."""
