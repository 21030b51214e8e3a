"""The metric engine: Django-free. Metric definitions (frozen dataclasses) → SQL (one dialect,
transpiled with SQLGlot to DuckDB, PostgreSQL and Spark) → typed results. See METRICS_SPEC.md."""
