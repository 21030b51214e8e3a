"""Models of the analytics module."""
