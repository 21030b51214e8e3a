"""Ingestion: the Segment and PostHog wire formats and event files, turned into canonical rows
of engine.schema.EVENT_COLUMNS. Django-free apart from receive.py, which ties a request to a
source, the spool and the warnings."""
