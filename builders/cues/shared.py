"""Per-document results shared between detectors (tokens, quotes, attributions).

Several detectors need the same analysis of a document: QUOTE needs attributions for speakers,
REGIME_QUOTE needs quotes, EVALUATIVE needs quotes to skip them. ``CueTagger`` runs detectors
one document at a time, so results are kept for the current document only and recomputed when
another document (or the same article with new sentences) comes along.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from builders.cues.tokens import TokenView, build_view
from builders.records import Document, SpanMaker

_owner: tuple[object, object] | None = None
_results: dict[Any, Any] = {}


def shared(document: Document, key: Any, compute: Callable[[Document], Any]) -> Any:
    global _owner
    if _owner is None or _owner[0] is not document.article or _owner[1] is not document.sentences:
        _owner = (document.article, document.sentences)
        _results.clear()
    if key not in _results:
        _results[key] = compute(document)
    return _results[key]


def token_view(document: Document) -> TokenView:
    return shared(document, "tokens", build_view)


def span_maker(document: Document) -> SpanMaker:
    return shared(document, "spans", lambda doc: SpanMaker(doc.article, doc.sentences))
