"""Text normalisation done before any offset exists, and recorded on the article."""

from __future__ import annotations

import unicodedata


def normalize_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Return the normalised text and the names of the steps that changed something.

    Only line endings, a leading byte-order mark and Unicode composition (NFC) are touched;
    everything else, including odd spacing and fused sentences, is kept as the source had it.
    """
    applied = []
    if text.startswith("\ufeff"):
        text = text[1:]
        applied.append("bom_removed")
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
        applied.append("crlf_to_lf")
    if "\r" in text:
        text = text.replace("\r", "\n")
        applied.append("cr_to_lf")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        applied.append("nfc")
    return text, tuple(applied)
