"""Benchmarks of lienthong against the goals of issue 6 (`python -m bench [--full]`).

Each benchmark builds its data in a throw-away database of its own (`bench_<name>`, dropped
at the end; never the developer's database), measures through the same services and pages
people use, and prints one JSON object per measure on stdout. `bench/RESULTS.md` keeps the
figures measured on PostgreSQL.
"""
