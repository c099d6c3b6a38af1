"""Sentence kinds: title, heading (own line or fused), boilerplate tails and markers, body."""

from __future__ import annotations

from builders.records import Article
from builders.segment import SentenceSegmenter, load_rules, segment_sentences


def _kinds(text: str, language: str = "pl") -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in segment_sentences("a", text, load_rules(language))]


def test_title_line_headings_and_body():
    text = (
        "Wojna w Ukrainie trwa\n\nKorea wyśle saperów. Rosja dziękuje.\n"
        "Straty na froncie\nNowy kontyngent to wsparcie."
    )
    assert _kinds(text) == [
        ("title", "Wojna w Ukrainie trwa"),
        ("body", "Korea wyśle saperów."),
        ("body", "Rosja dziękuje."),
        ("heading", "Straty na froncie"),
        ("body", "Nowy kontyngent to wsparcie."),
    ]


def test_a_short_first_sentence_is_the_title_but_a_lone_sentence_or_long_one_is_body():
    assert _kinds("Reżim Kima wspiera Putina. Korea wyśle saperów.")[0][0] == "title"
    assert _kinds("Reżim Kima wspiera Putina.") == [("body", "Reżim Kima wspiera Putina.")]
    long_first = " ".join(["słowo"] * 16) + ". Drugie zdanie."
    assert _kinds(long_first)[0][0] == "body"


def test_a_long_line_without_final_punctuation_is_not_a_heading():
    line = " ".join(["słowo"] * 13)
    assert _kinds(f"Tytuł.\n{line}\nKoniec.")[1] == ("body", line)


def test_fused_heading_is_split_off():
    text = "Wojna trwa.Ogromne straty wśród żołnierzy Nowy kontyngent to kolejne wsparcie."
    assert _kinds(text)[1:] == [
        ("heading", "Ogromne straty wśród żołnierzy"),
        ("body", "Nowy kontyngent to kolejne wsparcie."),
    ]


def test_fused_heading_heuristic_leaves_names_normal_starts_and_punctuation_alone():
    # a name: the word after the capitalised opener is capitalised too
    assert _kinds("Wojna trwa.Mieszkańcy miasta Nowy Sącz wyjechali wczoraj rano.")[1:] == [
        ("body", "Mieszkańcy miasta Nowy Sącz wyjechali wczoraj rano.")
    ]
    # not after a fused cut or a line start: a normal sentence boundary with a space
    text = "Wojna trwa. Ogromne straty wśród żołnierzy Nowy kontyngent to wsparcie."
    assert [k for k, _ in _kinds(text)] == ["title", "body"]
    # punctuation before the opener: not a heading
    text = "Wojna trwa.Ogromne straty, jak mówią żołnierzy Nowy kontyngent to wsparcie."
    assert [k for k, _ in _kinds(text)] == ["title", "body"]


def test_boilerplate_tail_runs_to_the_end_of_its_line():
    text = (
        "Rosja atakuje. Ukraina się broni.Czytaj też: Skutki wojny. Co dalej\n"
        "Zobacz także: Galeria. Zdjęcia\nTa strona używa plików cookie. Zgoda?"
    )
    assert _kinds(text)[2:] == [
        ("boilerplate", "Czytaj też: Skutki wojny. Co dalej"),
        ("boilerplate", "Zobacz także: Galeria. Zdjęcia"),
        ("boilerplate", "Ta strona używa plików cookie. Zgoda?"),
    ]


def test_boilerplate_prefixes_ignore_case_but_markers_do_not():
    assert _kinds("Wojna trwa. CZYTAJ WIĘCEJ: Coś")[1] == ("boilerplate", "CZYTAJ WIĘCEJ: Coś")
    assert _kinds("Wojna trwa. REKLAMA Obecna wizyta trwa.")[1:] == [
        ("boilerplate", "REKLAMA"),
        ("body", "Obecna wizyta trwa."),
    ]
    assert _kinds("Wojna trwa. Reklama kłamie.")[1] == ("body", "Reklama kłamie.")


def test_other_languages_have_their_own_boilerplate():
    assert _kinds("War goes on. Russia attacks.Read more: Why it matters", "en")[2] == (
        "boilerplate",
        "Read more: Why it matters",
    )
    assert _kinds("Война идёт. Россия атакует. Читайте также: Итоги", "ru")[2][0] == ("boilerplate")


def test_segmenter_step_counts_kinds():
    step = SentenceSegmenter()
    article = Article("a1", "Tytuł artykułu\nTreść zdania. Druga treść.Czytaj więcej: x", "pl")
    (document,) = list(step.run([article]))
    assert [s.kind for s in document.sentences] == ["title", "body", "body", "boilerplate"]
    assert step.stats["kind_title"] == 1
    assert step.stats["kind_boilerplate"] == 1
    assert step.stats["sentences"] == 4
    assert step.stats[f"rules segmentation-pl@{load_rules('pl').version}"] == 1


def test_english_fused_heading_uses_english_openers():
    text = "War goes on.Patients with type A blood are fine.Heavy losses among troops The new "
    text += "contingent arrived yesterday."
    assert _kinds(text, "en")[1:] == [
        ("body", "Patients with type A blood are fine."),
        ("heading", "Heavy losses among troops"),
        ("body", "The new contingent arrived yesterday."),
    ]


def _pieces(text: str, language: str = "pl") -> list[tuple[str, str]]:
    """(kind, text) of every sentence, checking its offsets against the text first."""
    sentences = segment_sentences("a", text, load_rules(language))
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    return [(s.kind, s.text) for s in sentences]


def test_mid_text_read_more_ends_after_the_link_title():
    text = (
        "Rosja wysłała kolejne 40 głowic.Czytaj więcej: Tytuł linku. "
        "Dalsza treść artykułu jest tutaj i ma sens. I jeszcze jedno zdanie."
    )
    assert _pieces(text)[1:] == [
        ("boilerplate", "Czytaj więcej: Tytuł linku."),
        ("body", "Dalsza treść artykułu jest tutaj i ma sens."),
        ("body", "I jeszcze jedno zdanie."),
    ]


def test_a_headline_like_rest_of_the_line_stays_with_the_link_title():
    # short and not ending in a period: the title's second line, as in the seed article
    text = "Korea wysłała głowice.Czytaj więcej: Skutki wsparcia Rosji. Ponad połowa stracona"
    assert _pieces(text)[1:] == [
        ("boilerplate", "Czytaj więcej: Skutki wsparcia Rosji. Ponad połowa stracona")
    ]
    # the same words ending in a period are prose
    assert _pieces(text + ".")[1:] == [
        ("boilerplate", "Czytaj więcej: Skutki wsparcia Rosji."),
        ("body", "Ponad połowa stracona."),
    ]
    # closing quotes do not hide how the rest ends
    assert _pieces("Wojna.Czytaj więcej: Tytuł. „Cytat w tytule”")[1] == (
        "boilerplate",
        "Czytaj więcej: Tytuł. „Cytat w tytule”",
    )
    assert _pieces("Wojna.Czytaj więcej: Tytuł. „Zdanie prozy się kończy.”")[2] == (
        "body",
        "„Zdanie prozy się kończy.”",
    )
    # more than boilerplate_tail_max_words words left on the line: not a tail
    limit = load_rules("pl").boilerplate_tail_max_words
    long_rest = " ".join(["Słowo", *["słowo"] * limit])
    assert _pieces(f"{text}. {long_rest}")[-1] == ("body", long_rest)


def test_several_prefixes_in_one_line():
    text = (
        "Pierwsze zdanie jest tutaj.Czytaj więcej: Skutki wojny. Druga część tekstu jest "
        "tutaj, długa i pełna treści. Zobacz też: Galeria zdjęć z frontu. Trzecia część "
        "tekstu to także prawdziwa treść.Czytaj także: Inny tytuł. Ponad połowa stracona"
    )
    assert _pieces(text) == [
        ("title", "Pierwsze zdanie jest tutaj."),
        ("boilerplate", "Czytaj więcej: Skutki wojny."),
        ("body", "Druga część tekstu jest tutaj, długa i pełna treści."),
        ("boilerplate", "Zobacz też: Galeria zdjęć z frontu."),
        ("body", "Trzecia część tekstu to także prawdziwa treść."),
        ("boilerplate", "Czytaj także: Inny tytuł. Ponad połowa stracona"),
    ]


def test_zobacz_tez_without_a_colon_and_a_line_break_after_the_tail():
    text = (
        "Wojna trwa. Zobacz też Zdjęcia z Kijowa. Tu dalej toczy się opowieść o wojnie.\n"
        "Zobacz także: Galeria. Zdjęcia\nOstatni akapit ma treść."
    )
    assert _pieces(text)[1:] == [
        ("boilerplate", "Zobacz też Zdjęcia z Kijowa."),
        ("body", "Tu dalej toczy się opowieść o wojnie."),
        ("boilerplate", "Zobacz także: Galeria. Zdjęcia"),
        ("body", "Ostatni akapit ma treść."),
    ]


def test_link_title_glued_to_the_next_sentence_is_cut_at_a_heading_opener():
    text = (
        "Rosja wysłała głowice.Czytaj więcej: Straty rosną na froncie W piątek Korea "
        "wysłała żołnierzy. Dalej jest treść."
    )
    assert _pieces(text)[1:] == [
        ("boilerplate", "Czytaj więcej: Straty rosną na froncie"),
        ("body", "W piątek Korea wysłała żołnierzy."),
        ("body", "Dalej jest treść."),
    ]
    # no opener to cut at: the whole sentence stays with the prefix (best effort)
    glued = "Rosja atakuje.Czytaj więcej: Połowa stracona Korea Północna wysłała żołnierzy."
    assert _pieces(glued)[1] == (
        "boilerplate",
        "Czytaj więcej: Połowa stracona Korea Północna wysłała żołnierzy.",
    )
