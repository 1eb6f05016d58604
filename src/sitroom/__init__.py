"""sitroom: a local-first situation room for a fast-moving story."""

__version__ = "0.1.0"
