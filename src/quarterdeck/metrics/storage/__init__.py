"""Event storage on the embedded default, Django-free (every function takes the events folder).

    <events dir>/spool/<pid>-<n>.ndjson          received rows, one file per web process
    <events dir>/spool/batch-<id>/               spool files a compaction has claimed
    <events dir>/date=YYYY-MM-DD/part-NNNNN.parquet   the events table, by UTC date of `time`
    <events dir>/index.duckdb                   (source_id, event_id) of every stored row

Web processes append to the spool (spool.py); compaction (compact.py) moves spooled rows into
the Parquet partitions exactly once. Readers only ever see whole Parquet files.
"""
