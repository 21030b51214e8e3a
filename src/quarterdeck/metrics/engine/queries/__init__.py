"""One module per metric family: ``build(definition, today) -> SQL`` (DuckDB dialect + QD_*
macros) and ``read(definition, rows, today) -> result``. SQL does the set logic (who, when);
Python does the arithmetic on the small aggregates, so every engine yields identical floats."""
