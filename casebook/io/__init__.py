"""Reading exports (room io): tables, post exports, transactions, survey counts, dated series.

May import: the foundation (errors, paths, clock, schemas). Never an analysis, a chart or the CLI.
"""
