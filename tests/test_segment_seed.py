"""The seed article, segmented by hand: every sentence as its exact string, and its kind.

Decisions written down here:
- "Reżim Kima wspiera Putina." is the headline the scraper glued to the lead: kind ``title``.
- "Ogromne straty wśród żołnierzy" is a subheading fused into the next sentence with no
  punctuation at all: it is split off as its own sentence of kind ``heading``.
- "Czytaj więcej: Skutki militarnego wsparcia Rosji. Ponad połowa żołnierzy stracona" is a link
  tail: one ``boilerplate`` segment (the linked headline's inner period is not a sentence end of
  this article).
- "11 tys. żołnierzy" and "6 tys. z nich" do not end sentences; "Ukrainą.Elementem",
  "muzealny.Jak", "listopadzie.Ogromne", "rannych.Obecna", "ujawniono.Wcześniej",
  "traktatu.Korea" and "głowic.Czytaj" are fused sentence ends.
"""

from __future__ import annotations

from conftest import SEED_ID, SEEDS

from builders.segment import load_rules, segment_sentences

GOLD = [
    ("title", "Reżim Kima wspiera Putina."),
    (
        "body",
        "Korea Północna wyśle do Rosji tysiąc saperów i 5 tysięcy budowniczych wojskowych, "
        "którzy wezmą udział w rozminowaniu i odbudowie infrastruktury w obwodzie kurskim – "
        "podała agencja Yonhap.",
    ),
    (
        "body",
        "Porozumienie w tej sprawie ogłosił sekretarz Rady Bezpieczeństwa Rosji Siergiej Szojgu "
        "po rozmowach w Pjongjangu.",
    ),
    (
        "body",
        "Szojgu oświadczył, że decyzję o wysłaniu kontyngentu podjął przywódca Korei Północnej "
        "Kim Dzong Un.",
    ),
    (
        "body",
        "Północnokoreańscy saperzy mają zająć się „rozminowywaniem rosyjskiego terytorium”, a "
        "budowniczowie wojskowi „odbudową zniszczonych obiektów infrastrukturalnych” w regionie "
        "graniczącym z Ukrainą.",
    ),
    (
        "body",
        "Elementem porozumienia jest również „uwiecznienie bohaterskiego czynu żołnierzy Armii "
        "Koreańskiej Republiki Ludowo-Demokratycznej, którzy brali udział w działaniach "
        "bojowych”.",
    ),
    (
        "body",
        "Szojgu zapowiedział otwarcie w Rosji i KRLD miejsc pamięci koreańskich żołnierzy, "
        "którzy „polegli w walkach o wyzwolenie terytorium Rosji”.",
    ),
    ("body", "W Pjongjangu, przy udziale Rosji, ma powstać również kompleks muzealny."),
    (
        "body",
        "Jak zaznaczyło biuro prasowe Rady Bezpieczeństwa, współpraca opiera się na traktacie o "
        "wszechstronnym partnerstwie strategicznym, podpisanym przez Kima i rosyjskiego "
        "dyktatora Władimira Putina 19 czerwca ubiegłego roku w Pjongjangu, a ratyfikowanym w "
        "listopadzie.",
    ),
    ("heading", "Ogromne straty wśród żołnierzy"),
    ("body", "Nowy kontyngent to kolejne wsparcie Pjongjangu dla Moskwy."),
    (
        "body",
        "Na mocy tego samego traktatu do obwodu kurskiego skierowano wcześniej co najmniej "
        "11 tys. żołnierzy w celu wsparcia rosyjskiej armii w walkach z wojskami ukraińskimi, "
        "które prowadzą operacje na tym terenie od sierpnia ubiegłego roku.",
    ),
    (
        "body",
        "Według brytyjskiego resortu obrony około 6 tys. z nich zginęło lub zostało rannych.",
    ),
    (
        "body",
        "Obecna wizyta Szojgu w Korei Północnej jest jego drugim spotkaniem z Kimem w ciągu "
        "zaledwie dwóch tygodni i trzecim w ostatnich trzech miesiącach, co świadczy o "
        "intensyfikacji kontaktów – podkreśla Yonhap.",
    ),
    (
        "body",
        "Według rosyjskich mediów Szojgu przybył do Pjongjangu „po otrzymaniu specjalnych "
        "instrukcji” od Putina, choć ich treści nie ujawniono.",
    ),
    (
        "body",
        "Wcześniej, na początku czerwca, północnokoreańskie media podały, że Kim podczas "
        "spotkania z Szojgu obiecał „bezwarunkowe” wsparcie dla Rosji w wojnie z Ukrainą.",
    ),
    (
        "body",
        "W tym samym czasie pojawiały się spekulacje, że częste wizyty rosyjskiego urzędnika "
        "mogą być związane z przygotowaniami do spotkania Kima z Putinem w celu upamiętnienia "
        "rocznicy podpisania traktatu.",
    ),
    (
        "body",
        "Korea Północna, objęta surowymi sankcjami międzynarodowymi, według służb "
        "wywiadowczych w Seulu i Waszyngtonie dostarcza Rosji również uzbrojenie.",
    ),
    (
        "body",
        "W zamian prawdopodobnie otrzymuje zaawansowane technologie, mające usprawnić jej "
        "arsenał nuklearny i rakietowy.",
    ),
    (
        "body",
        "Sztokholmski Międzynarodowy Instytut Badań nad Pokojem poinformował w raporcie, że w "
        "styczniu reżim miał dysponować 50 głowicami jądrowymi.",
    ),
    ("body", "Ma też dość materiału rozszczepialnego, by wyprodukować kolejne 40 głowic."),
    (
        "boilerplate",
        "Czytaj więcej: Skutki militarnego wsparcia Rosji. Ponad połowa żołnierzy stracona",
    ),
]


def _seed_text() -> str:
    return (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")


def test_seed_sentences_are_exactly_the_hand_made_gold():
    text = _seed_text()
    sentences = segment_sentences(SEED_ID, text, load_rules("pl"))
    assert [(s.kind, s.text) for s in sentences] == GOLD


def test_seed_offsets_point_at_the_sentences_and_cover_all_text():
    text = _seed_text()
    sentences = segment_sentences(SEED_ID, text, load_rules("pl"))
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    # between consecutive sentences there is only whitespace (often nothing: fused text)
    previous_end = 0
    for sentence in sentences:
        assert text[previous_end : sentence.start].strip() == ""
        previous_end = sentence.end
    assert text[previous_end:].strip() == ""
    # the fused cuts are cut by offsets, with no character in between
    fused = {
        (a.text[-8:], b.text[:9])
        for a, b in zip(sentences, sentences[1:], strict=False)
        if a.end == b.start
    }
    assert ("Ukrainą.", "Elementem") in fused
    assert ("rannych.", "Obecna wi") in fused
