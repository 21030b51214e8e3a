"""Keyphrases of themes by class-based TF-IDF (c-TF-IDF, as in BERTopic).

All texts of a theme form one document; a phrase scores high when it is frequent in that theme
and rare across the others: tf(phrase, theme) · log(1 + A / count(phrase, all themes)), with A
the mean number of phrases per theme. Unigrams and bigrams, English stop words removed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

TOP = 10
LABEL_PHRASES = 3
SEPARATOR = " · "
# A bigram replaces its unigram in the label when it scores at least this share of it: "card
# delivery" says more than "card" while being nearly as characteristic.
BIGRAM_PREFERENCE = 0.4
_TOKENS = r"(?u)\b[^\W\d_][^\W\d_]+\b"  # words of two letters or more, no numbers


def keyphrases(documents: Sequence[str], top: int = TOP) -> list[list[str]]:
    """The `top` most characteristic phrases of each document (one document per theme)."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not documents:
        return []
    vectorizer = CountVectorizer(ngram_range=(1, 2), stop_words="english", token_pattern=_TOKENS)
    try:
        counts = vectorizer.fit_transform(documents).astype(np.float64)
    except ValueError:  # nothing but stop words and numbers
        return [[] for _ in documents]
    vocabulary = vectorizer.get_feature_names_out()
    tf = np.asarray(counts.multiply(1 / np.maximum(counts.sum(axis=1), 1)).todense())
    average = float(counts.sum()) / len(documents)
    idf = np.log(1 + average / np.maximum(np.asarray(counts.sum(axis=0)).ravel(), 1))
    scores = tf * idf
    return [_best(row, vocabulary, top) for row in scores]


def _best(row: np.ndarray, vocabulary: np.ndarray, top: int) -> list[str]:
    order = np.argsort(-row, kind="stable")[: top * 3]
    scored = [(str(vocabulary[i]), float(row[i])) for i in order if row[i] > 0]
    chosen: list[str] = []
    for phrase, score in scored:
        if " " not in phrase:
            phrase = _bigram_for(phrase, score, scored)
        if phrase not in chosen and not _covered(phrase, chosen):
            chosen.append(phrase)
        if len(chosen) == top:
            break
    return chosen


def _bigram_for(word: str, score: float, scored: list[tuple[str, float]]) -> str:
    for phrase, other in scored:
        if " " in phrase and word in phrase.split() and other >= BIGRAM_PREFERENCE * score:
            return phrase
    return word


def _covered(phrase: str, chosen: list[str]) -> bool:
    """True when every word of the phrase (plural or not) is already said by the chosen ones."""
    said = {_stem(w) for c in chosen for w in c.split()}
    return {_stem(w) for w in phrase.split()} <= said


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def theme_label(phrases: Sequence[str]) -> str:
    """The first LABEL_PHRASES phrases joined, e.g. "card delivery · card arrival"."""
    return SEPARATOR.join(phrases[:LABEL_PHRASES]) or "(no keywords)"
