"""Models of the revenue module."""
