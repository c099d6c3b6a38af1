"""Boundary rules, one case per phenomenon, per language: the expected sentences in full."""

from __future__ import annotations

import json

import pytest

from builders.schemas import DataFileError
from builders.segment import load_rules, segment_sentences

POLISH = {
    "abbreviations do not end sentences": (
        "W 2024 r. armia liczyła ok. 11 tys. żołnierzy, m.in. saperów. Dowodził nimi gen. "
        "Nowak, a płk. Wiśniewski i św. Jan ze str. 5 tzw. raportu milczeli.",
        [
            "W 2024 r. armia liczyła ok. 11 tys. żołnierzy, m.in. saperów.",
            "Dowodził nimi gen. Nowak, a płk. Wiśniewski i św. Jan ze str. 5 tzw. raportu "
            "milczeli.",
        ],
    ),
    "titles before names": (
        "Prof. Jan Kowalski i dr. Anna Nowak z ul. Długiej nr. 5 mówili o godz. 17.30 o "
        "300 mln zł. Np. Ministerstwo milczało.",
        [
            "Prof. Jan Kowalski i dr. Anna Nowak z ul. Długiej nr. 5 mówili o godz. 17.30 o "
            "300 mln zł.",
            "Np. Ministerstwo milczało.",
        ],
    ),
    "a year abbreviation ends a sentence before a capital, not before a number": (
        "Stan wojenny wprowadzono w grudniu 1981 r. W mieście było cicho. W r. 5 nic.",
        [
            "Stan wojenny wprowadzono w grudniu 1981 r.",
            "W mieście było cicho.",
            "W r. 5 nic.",
        ],
    ),
    "a date adverbial opening a sentence is not a sentence": (
        "W 2014 r. Rosja zaanektowała Krym. Na początku 2022 r. Rosja najechała Ukrainę. Było "
        "to w lutym 2022 r. Świat zareagował. W XX w. Polska się zmieniła. Kupili chleb, mleko "
        "itd. Potem wrócili.",
        [
            "W 2014 r. Rosja zaanektowała Krym.",
            "Na początku 2022 r. Rosja najechała Ukrainę.",
            "Było to w lutym 2022 r.",
            "Świat zareagował.",
            "W XX w. Polska się zmieniła.",
            "Kupili chleb, mleko itd.",
            "Potem wrócili.",
        ],
    ),
    "units end a sentence only after a number": (
        "Płace wzrosły o 48,8 proc. Towarzystwo milczało. Przemawiał min. Kowalski. "
        "Spotkanie zaczęło się o godz. 17. Trwało 5 min. Potem wyszli.",
        [
            "Płace wzrosły o 48,8 proc.",
            "Towarzystwo milczało.",
            "Przemawiał min. Kowalski.",
            "Spotkanie zaczęło się o godz. 17.",
            "Trwało 5 min.",
            "Potem wyszli.",
        ],
    ),
    "initials and shortened surnames": (
        "Marek Ch. przyznał się do winy. Sąd skazał Marka Ch. na rok. J.T. Kowalski też.",
        [
            "Marek Ch. przyznał się do winy.",
            "Sąd skazał Marka Ch. na rok.",
            "J.T. Kowalski też.",
        ],
    ),
    "acronyms and apostrophes do end sentences": (
        "Polska jest w NATO. Rosja nie. Otwarto McDonald's. Wyznaczono też UE.Dla nich to nic.",
        [
            "Polska jest w NATO.",
            "Rosja nie.",
            "Otwarto McDonald's.",
            "Wyznaczono też UE.",
            "Dla nich to nic.",
        ],
    ),
    "ordinals, dates and decimals": (
        "Do walki ruszyła 11. Dywizja Powietrznodesantowa. Było to 24.11.2026 r. rano. "
        "Inflacja wyniosła 3.5 proc. w maju, a kurs 4,25 zł. Przy ul. Długiej 3. Dywizja "
        "stacjonowała.",
        [
            "Do walki ruszyła 11. Dywizja Powietrznodesantowa.",
            "Było to 24.11.2026 r. rano.",
            "Inflacja wyniosła 3.5 proc. w maju, a kurs 4,25 zł.",
            "Przy ul. Długiej 3.",
            "Dywizja stacjonowała.",
        ],
    ),
    "URLs and e-mail addresses": (
        "Więcej na www.Gazeta.pl/Wojna i https://example.com/raport.html. Pisz do "
        "jan.Nowak@redakcja.pl. Dziękujemy.",
        [
            "Więcej na www.Gazeta.pl/Wojna i https://example.com/raport.html.",
            "Pisz do jan.Nowak@redakcja.pl.",
            "Dziękujemy.",
        ],
    ),
    "ellipsis, and an omission mark inside a sentence": (
        "Czekali… Nikt nie przyszedł... A potem (...) Kowalski wrócił [...] Sam.",
        ["Czekali…", "Nikt nie przyszedł...", "A potem (...) Kowalski wrócił [...] Sam."],
    ),
    "a closing quote or bracket after the period": (
        "Powiedział: „Nie wiem”. Potem wyszedł. „Nie wiem.” Tak mówił. (Tak było.) Potem "
        'nie. Krzyczał: "Stop!" i uciekł.',
        [
            "Powiedział: „Nie wiem”.",
            "Potem wyszedł.",
            "„Nie wiem.”",
            "Tak mówił.",
            "(Tak było.)",
            "Potem nie.",
            'Krzyczał: "Stop!" i uciekł.',
        ],
    ),
    "dialogue dashes": (
        "– Dlaczego ona? – zapytałem. – Bo tak! – odparł. – Naprawdę?! – Tak.",
        ["– Dlaczego ona? – zapytałem.", "– Bo tak! – odparł.", "– Naprawdę?!", "– Tak."],
    ),
    "fused sentences, no space": (
        "regionie graniczącym z Ukrainą.Elementem porozumienia jest pamięć. Zginęło 6 tys. "
        'rannych.Obecna wizyta trwa.Czy długo?Nie wiadomo!"Nigdy" - mówi.',
        [
            "regionie graniczącym z Ukrainą.",
            "Elementem porozumienia jest pamięć.",
            "Zginęło 6 tys. rannych.",
            "Obecna wizyta trwa.",
            "Czy długo?",
            "Nie wiadomo!",
            '"Nigdy" - mówi.',
        ],
    ),
    "line breaks are boundaries": (
        "Pierwsza linia bez kropki\n\n  Druga linia, też bez\r\nTrzecia. Czwarta.",
        ["Pierwsza linia bez kropki", "Druga linia, też bez", "Trzecia.", "Czwarta."],
    ),
}

OTHER_LANGUAGES = {
    "en": (
        "Mr. Smith met Dr. Jones at 5 p.m. They talked about the U.S. Army, e.g. its budget. "
        'J. R. R. Tolkien wrote it.Then he left... "Why?" she asked.',
        [
            "Mr. Smith met Dr. Jones at 5 p.m.",
            "They talked about the U.S. Army, e.g. its budget.",
            "J. R. R. Tolkien wrote it.",
            "Then he left...",
            '"Why?" she asked.',
        ],
    ),
    "ru": (
        "Это было в конце 2023 г. Потом армия выросла до 11 тыс. человек. Проф. Иванов сказал: "
        "«Нет». С. Петров, т.е. его заместитель, молчал.Потом ушёл.",
        [
            "Это было в конце 2023 г.",
            "Потом армия выросла до 11 тыс. человек.",
            "Проф. Иванов сказал: «Нет».",
            "С. Петров, т.е. его заместитель, молчал.",
            "Потом ушёл.",
        ],
    ),
    "uk": (
        "У 2024 р. Армія зросла до 11 тис. осіб. Проф. Шевченко сказав «Ні». Т. Шевченко, "
        "ген. Залужний та ін. Потім пішли.Все.",
        [
            "У 2024 р. Армія зросла до 11 тис. осіб.",
            "Проф. Шевченко сказав «Ні».",
            "Т. Шевченко, ген. Залужний та ін.",
            "Потім пішли.",
            "Все.",
        ],
    ),
}


def _texts(text: str, language: str) -> list[str]:
    sentences = segment_sentences("case", text, load_rules(language))
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    return [s.text for s in sentences]


@pytest.mark.parametrize("text, expected", POLISH.values(), ids=list(POLISH))
def test_polish(text, expected):
    assert _texts(text, "pl") == expected


@pytest.mark.parametrize(
    "language, text, expected",
    [(language, *case) for language, case in OTHER_LANGUAGES.items()],
    ids=list(OTHER_LANGUAGES),
)
def test_other_languages_use_their_own_rules(language, text, expected):
    assert _texts(text, language) == expected


def test_each_language_has_its_own_abbreviations():
    # "tys." is Polish: under English rules it ends the sentence
    text = "Zginęło 6 tys. Rosjan nie liczono."
    assert len(_texts(text, "pl")) == 1
    assert len(_texts(text, "en")) == 2


def test_rules_record_their_version():
    rules = load_rules("pl")
    assert rules.source == f"segmentation-pl@{rules.version}"
    assert rules.version != "0.1.0"  # the data changed shape since 0.1.0


def test_a_broken_rule_file_is_refused_naming_the_field(tmp_path):
    data = json.loads(
        (load_rules.__wrapped__.__defaults__[0] / "pl.json").read_text(encoding="utf-8")
    )
    del data["final_abbreviations"]
    data["abbreviations"] = ["tys", "tys"]
    (tmp_path / "pl.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rules("pl", tmp_path)
    message = str(caught.value)
    assert "final_abbreviations" in message
    assert "/abbreviations" in message


def test_an_unknown_language_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="no segmentation rules for language 'de'"):
        load_rules("de")
