"""A small, deterministic German-English corpus whose translation needs reordering.

Sentences come from a grammar with the phenomena that make German-English a
test of attention: verb-final subordinate clauses, perfect tenses whose
participle goes to the end, verb-second inversion after an adverb,
questions, modal verbs with a final infinitive, and case and gender
agreement of articles and adjectives. The same seed gives the same corpus
on every machine (Python's own RNG, nothing else).

    python -m seqx.testing.corpus OUTDIR [--train 20000 --valid 500 --test 500 --seed 1]

writes ``OUTDIR/{train,valid,test}.{de,en}``.
"""

from __future__ import annotations

import argparse
import os
import random
from dataclasses import dataclass

# noun: German singular, plural, gender; English singular, plural
NOUNS = [
    ("Mann", "Männer", "m", "man", "men"),
    ("Frau", "Frauen", "f", "woman", "women"),
    ("Kind", "Kinder", "n", "child", "children"),
    ("Hund", "Hunde", "m", "dog", "dogs"),
    ("Katze", "Katzen", "f", "cat", "cats"),
    ("Junge", "Jungen", "m", "boy", "boys"),
    ("Mädchen", "Mädchen", "n", "girl", "girls"),
    ("Lehrer", "Lehrer", "m", "teacher", "teachers"),
    ("Ärztin", "Ärztinnen", "f", "doctor", "doctors"),
    ("Vogel", "Vögel", "m", "bird", "birds"),
    ("Koch", "Köche", "m", "cook", "cooks"),
    ("Musikerin", "Musikerinnen", "f", "musician", "musicians"),
]
OBJECTS = [
    ("Ball", "Bälle", "m", "ball", "balls"),
    ("Buch", "Bücher", "n", "book", "books"),
    ("Auto", "Autos", "n", "car", "cars"),
    ("Fahrrad", "Fahrräder", "n", "bike", "bikes"),
    ("Apfel", "Äpfel", "m", "apple", "apples"),
    ("Brief", "Briefe", "m", "letter", "letters"),
    ("Blume", "Blumen", "f", "flower", "flowers"),
    ("Tasche", "Taschen", "f", "bag", "bags"),
    ("Hut", "Hüte", "m", "hat", "hats"),
    ("Bild", "Bilder", "n", "picture", "pictures"),
    ("Zeitung", "Zeitungen", "f", "newspaper", "newspapers"),
    ("Kuchen", "Kuchen", "m", "cake", "cakes"),
]
ADJECTIVES = [
    ("groß", "big"),
    ("klein", "small"),
    ("rot", "red"),
    ("alt", "old"),
    ("jung", "young"),
    ("schön", "beautiful"),
    ("schwarz", "black"),
    ("weiß", "white"),
    ("neu", "new"),
    ("glücklich", "happy"),
    ("müde", "tired"),
    ("grün", "green"),
]
# verb: 3sg, 3pl/infinitive, participle; English 3sg, base, participle
VERBS = [
    ("sieht", "sehen", "gesehen", "sees", "see", "seen"),
    ("kauft", "kaufen", "gekauft", "buys", "buy", "bought"),
    ("trägt", "tragen", "getragen", "carries", "carry", "carried"),
    ("findet", "finden", "gefunden", "finds", "find", "found"),
    ("malt", "malen", "gemalt", "paints", "paint", "painted"),
    ("hält", "halten", "gehalten", "holds", "hold", "held"),
    ("wirft", "werfen", "geworfen", "throws", "throw", "thrown"),
    ("fängt", "fangen", "gefangen", "catches", "catch", "caught"),
    ("braucht", "brauchen", "gebraucht", "needs", "need", "needed"),
    ("verkauft", "verkaufen", "verkauft", "sells", "sell", "sold"),
]
PLACES = [
    ("auf der Straße", "on the street"),
    ("im Park", "in the park"),
    ("unter dem Tisch", "under the table"),
    ("neben dem Haus", "next to the house"),
    ("am Fluss", "by the river"),
    ("in der Küche", "in the kitchen"),
    ("auf dem Markt", "at the market"),
    ("im Garten", "in the garden"),
]
ADVERBS = [("heute", "today"), ("jetzt", "now"), ("hier", "here"), ("dort", "there")]
SAYERS = [
    ("ich glaube", "I think"),
    ("sie sagt", "she says"),
    ("wir wissen", "we know"),
    ("er hofft", "he hopes"),
    ("man sieht", "one sees"),
]

DEF = {
    "nom": {"m": "der", "f": "die", "n": "das", "pl": "die"},
    "acc": {"m": "den", "f": "die", "n": "das", "pl": "die"},
}
INDEF = {
    "nom": {"m": "ein", "f": "eine", "n": "ein"},
    "acc": {"m": "einen", "f": "eine", "n": "ein"},
}
WEAK = {
    "nom": {"m": "e", "f": "e", "n": "e", "pl": "en"},
    "acc": {"m": "en", "f": "e", "n": "e", "pl": "en"},
}
MIXED = {"nom": {"m": "er", "f": "e", "n": "es"}, "acc": {"m": "en", "f": "e", "n": "es"}}


@dataclass
class NP:
    de: str
    en: str
    plural: bool


def _np(rng: random.Random, nouns: list[tuple[str, str, str, str, str]], case: str) -> NP:
    de_sg, de_pl, gender, en_sg, en_pl = rng.choice(nouns)
    plural = rng.random() < 0.3
    definite = plural or rng.random() < 0.6
    adj = rng.choice(ADJECTIVES) if rng.random() < 0.45 else None
    key = "pl" if plural else gender
    if definite:
        article = DEF[case][key]
        ending = WEAK[case][key]
        en_article = "the"
    else:
        article = INDEF[case][gender]
        ending = MIXED[case][gender]
        first = (adj[1] if adj else en_sg)[0]
        en_article = "an" if first in "aeiou" else "a"
    noun_de = de_pl if plural else de_sg
    noun_en = en_pl if plural else en_sg
    if adj:
        stem = adj[0][:-1] if adj[0].endswith("e") else adj[0]  # müde + en -> müden
        de = f"{article} {stem}{ending} {noun_de}"
        en = f"{en_article} {adj[1]} {noun_en}"
    else:
        de = f"{article} {noun_de}"
        en = f"{en_article} {noun_en}"
    return NP(de, en, plural)


def sentence_pair(rng: random.Random) -> tuple[str, str]:
    """One German sentence and its English translation."""
    subj = _np(rng, NOUNS, "nom")
    obj = _np(rng, OBJECTS, "acc")
    v3sg, vpl, part, e3sg, ebase, epart = rng.choice(VERBS)
    vde = vpl if subj.plural else v3sg
    ven = ebase if subj.plural else e3sg
    place = rng.choice(PLACES) if rng.random() < 0.35 else None
    pde = f" {place[0]}" if place else ""
    pen = f" {place[1]}" if place else ""
    kind = rng.choice(["main", "main", "perfect", "subordinate", "adverb", "question", "modal"])
    if kind == "main":
        de = f"{subj.de} {vde} {obj.de}{pde}"
        en = f"{subj.en} {ven} {obj.en}{pen}"
    elif kind == "perfect":
        aux_de = "haben" if subj.plural else "hat"
        aux_en = "have" if subj.plural else "has"
        de = f"{subj.de} {aux_de} {obj.de}{pde} {part}"
        en = f"{subj.en} {aux_en} {epart} {obj.en}{pen}"
    elif kind == "subordinate":
        say_de, say_en = rng.choice(SAYERS)
        de = f"{say_de} , dass {subj.de} {obj.de}{pde} {vde}"
        en = f"{say_en} that {subj.en} {ven} {obj.en}{pen}"
    elif kind == "adverb":
        adv_de, adv_en = rng.choice(ADVERBS)
        de = f"{adv_de} {vde} {subj.de} {obj.de}{pde}"
        en = f"{adv_en} {subj.en} {ven} {obj.en}{pen}"
    elif kind == "question":
        do = "do" if subj.plural else "does"
        de = f"{vde} {subj.de} {obj.de}{pde} ?"
        en = f"{do} {subj.en} {ebase} {obj.en}{pen} ?"
    else:
        modal_de = "wollen" if subj.plural else "will"
        modal_en = "want" if subj.plural else "wants"
        de = f"{subj.de} {modal_de} {obj.de}{pde} {vpl}"
        en = f"{subj.en} {modal_en} to {ebase} {obj.en}{pen}"
    return _finish(de), _finish(en)


def _finish(text: str) -> str:
    text = text[0].upper() + text[1:]
    text = text.replace(" , ", ", ")
    if text.endswith(" ?"):
        return text[:-2] + "?"
    return text + "."


def make_corpus(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """``n`` distinct sentence pairs."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < n:
        de, en = sentence_pair(rng)
        if de not in seen:
            seen.add(de)
            out.append((de, en))
    return out


def write_corpus(
    folder: str, train: int = 20000, valid: int = 500, test: int = 500, seed: int = 1
) -> dict[str, int]:
    """Write ``{train,valid,test}.{de,en}`` into ``folder`` (disjoint splits)."""
    pairs = make_corpus(train + valid + test, seed)
    os.makedirs(folder, exist_ok=True)
    splits = {
        "train": pairs[:train],
        "valid": pairs[train : train + valid],
        "test": pairs[train + valid :],
    }
    for split, rows in splits.items():
        for i, lang in enumerate(("de", "en")):
            with open(os.path.join(folder, f"{split}.{lang}"), "w", encoding="utf-8") as f:
                f.writelines(row[i] + "\n" for row in rows)
    return {split: len(rows) for split, rows in splits.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the sample German-English corpus.")
    parser.add_argument("folder")
    parser.add_argument("--train", type=int, default=20000)
    parser.add_argument("--valid", type=int, default=500)
    parser.add_argument("--test", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sizes = write_corpus(args.folder, args.train, args.valid, args.test, args.seed)
    print(f"wrote {args.folder}: " + ", ".join(f"{k} {v}" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
