"""The model suite: properties of the trained model itself."""
