"""Models of the surveys module."""
