"""The fiscal year: the annual review cycle that opens each year's ITA work (cycle, cycle_review,
cycle_run) and the assessor's evidence pack of what was published (evidence, its items and its
index)."""
