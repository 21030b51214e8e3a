"""Models of the kpis module."""
