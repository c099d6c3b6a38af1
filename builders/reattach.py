"""Re-attach an annotation's judgements to the article as it is built now, or refuse them.

An annotation was made on one text of an article, segmented by the rules of that day. Both can
change before a build: a seed is corrected, the segmentation rules gain an abbreviation and every
sentence after it is renumbered. A judgement must then land on exactly what the annotator judged
or nowhere:

- a **sentence stance** carries the judged sentence's offsets and text (written by ``sync
  pull``); it attaches to the current sentence with the same offsets and text, whatever its id
  is now. A stance whose sentence no longer exists, or one without offsets (it cannot be
  checked), is refused;
- a **span** of an annotation whose ``article_sha256`` is known must sit at its offsets with its
  text (Label Studio's offset drift is repaired at pull); only a snapshot without a hash (written
  by another tool) is re-anchored to the nearest exact occurrence of its text;
- an annotation made on **another text** of the article (``article_sha256`` differs) is reported
  once, and each of its judgements is re-attached by the rules above or refused;
- **article stances** belong to the article and attach to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from builders.records import Document, text_sha256


@dataclass(frozen=True)
class Refusal:
    pointer: str
    code: str
    reason: str


def article_changed(document: Document, record: dict) -> Refusal | None:
    """The annotation was made on another text of the article (its hash differs)."""
    given = record.get("article_sha256")
    now = text_sha256(document.article.text)
    if given is None or given == now:
        return None
    return Refusal(
        "/article_sha256",
        "article_changed",
        f"annotation {record['annotation_id']} was made on another text of article "
        f"{record['article_id']!r} (sha256 {given[:12]}…, now {now[:12]}…); its spans and "
        "sentence stances are kept only where the same text sits at the same offsets",
    )


def reattach_stances(document: Document, record: dict) -> tuple[list[dict], list[Refusal]]:
    """The record's stances with sentence ids of the current segmentation, and the refused."""
    sentences = {(s.start, s.end): s for s in document.sentences}
    kept, refused = [], []
    for index, stance in enumerate(record["stances"]):
        if stance.get("sentence_id") is None:
            kept.append(stance)
            continue
        pointer = f"/stances/{index}"
        what = f"sentence stance toward {stance['target']} on {stance['sentence_id']!r}"
        if not all(key in stance for key in ("start", "end", "text")):
            refused.append(
                Refusal(
                    pointer,
                    "unverifiable_stance",
                    f"{what} names no offsets and text of the judged sentence, so which sentence "
                    "was judged cannot be checked; pull the annotations again",
                )
            )
            continue
        sentence = sentences.get((stance["start"], stance["end"]))
        if sentence is None or sentence.text != stance["text"]:
            refused.append(
                Refusal(
                    pointer,
                    "stance_sentence_changed",
                    f"{what}: no sentence of the article is now {stance['start']}..{stance['end']}"
                    f" {_short(stance['text'])} (text or segmentation changed since it was judged)",
                )
            )
            continue
        kept.append({**stance, "sentence_id": sentence.sentence_id})
    return kept, refused


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
