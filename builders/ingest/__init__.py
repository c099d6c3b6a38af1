"""Ingest: seed files → normalised :class:`~builders.records.Article` records."""

from builders.ingest.normalize import normalize_text
from builders.ingest.readers import SeedReader

__all__ = ["SeedReader", "normalize_text"]
