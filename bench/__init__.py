"""Benchmarks for sitroom (``make bench``): the full extraction pipeline against bare spaCy.

Modules: :mod:`bench.corpus` builds the deterministic text set, :mod:`bench.measure` runs one
configuration in a fresh process, :mod:`bench.report` writes the table, JSON and Markdown, and
``bench/run.py`` ties them together. See ``bench/README.md``.
"""
