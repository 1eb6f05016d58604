"""The analyse stage: the story as it develops, computed from the linked corpus.

* :mod:`.ground` — control of places over time, disputes, GeoJSON.
* :mod:`.contradictions` — control, numbers, stances and denials that disagree, kept apart from change.
* :mod:`.plans` — plans, versions, what changed, the stance matrix.
* :mod:`.predictions` — the predictions ledger, suggested resolutions, Brier scores.
* :mod:`.records` — track records of outlets and speakers.
"""
