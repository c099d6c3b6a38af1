"""Public annotated corpora in and out: ``agitprop import`` / ``agitprop export``.

Importers read a corpus in its official layout and write what the build reads: articles into
the seeds (JSONL, the text exactly as the corpus file holds it) and labels into annotation
snapshots. Exporters write a release's spans back in the official formats. The formats, the
offset conventions and what a round trip keeps are in docs/ingest.md ("Public corpora").
"""
