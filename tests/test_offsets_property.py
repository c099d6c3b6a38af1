"""Property: every released sentence and span satisfies text[start:end] == text."""

from __future__ import annotations

import json

from conftest import build_into, read_config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PIECES = st.sampled_from(
    [
        "Zdanie.",
        " ",
        "\r\n",
        "\n",
        "😀",
        "👩‍👩‍👧",
        "e\u0301",
        "o\u0308",
        "שלום",
        "مرحبا",
        "„",
        "”",
        '"',
        "«",
        "»",
        "...",
        "?",
        "!",
        "tys.",
        "11",
        "Ukrainą.Elementem",
        "\u200f",
        "\t",
        "ok. ",
        "A",
    ]
)
TEXTS = st.one_of(
    st.lists(PIECES, min_size=1, max_size=60).map("".join),
    st.text(min_size=1, max_size=300),
    st.integers(min_value=5_000, max_value=30_000).map(lambda n: "słowo " * (n // 6) + "koniec."),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(TEXTS, min_size=1, max_size=3))
def test_offsets_hold_in_the_release(tmp_path_factory, texts):
    tmp_path = tmp_path_factory.mktemp("prop")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    lines = [json.dumps({"id": f"a{i}", "text": t}) for i, t in enumerate(texts)]
    (seeds / "gen.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_into(tmp_path, seeds)
    articles = {a["article_id"]: a["text"] for a in read_config(result.target, "articles")}
    # every input is either released or quarantined (e.g. whitespace-only), never lost
    assert len(articles) + len(result.quarantine) == len(texts)
    for config in ("sentences", "spans"):
        for row in read_config(result.target, config):
            assert articles[row["article_id"]][row["start"] : row["end"]] == row["text"]
    for text in articles.values():
        assert "\r" not in text
