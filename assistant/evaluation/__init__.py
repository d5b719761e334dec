"""`shipmate eval`: suites of cases run and scored, the report, the chart."""
