"""Scorers: run sitroom over a dataset's documents and compare what it finds with the labels.

One module per extractor: :mod:`.attribution` (PolNeAR), :mod:`.places` (LGL, TR-News, GeoVirus),
:mod:`.hedges` (SFU Review), :mod:`.timex` (TempEval-3), :mod:`.stance` (FNC-1, Emergent) and
:mod:`.gold` (the project's own gold set, every kind of fact). Each exposes pure comparison functions
(tested on hand-made records) and an ``evaluate`` function that the runner calls with a
:class:`~sitroom.evaluate.context.Context`.
"""
