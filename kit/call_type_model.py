"""A small text model that suggests a family for call types the rules do not recognise.

The rules carry the vocabularies they were written from; a new city's own words ("PARK AND
WALK", "TAVERN CHECK") often match none of them. Rather than leave such a type silently in
``other``, the kit asks a small text model (TF-IDF of 2-4 letter pieces and of whole words,
logistic regression, scikit-learn) trained on real call types that people labelled, shipped
as ``templates/taxonomy/training_call_types.csv`` (strings of the development cities only;
the held-out cities of tests/data never go in it). It is trained at first use, in well under
a second, and kept while the process runs: nothing is pickled or downloaded, and anyone can
read what it learns from. A suggestion is used only when the model is at least
``THRESHOLD`` sure; the type is flagged for review either way.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kit.errors import KitError
from kit.taxonomy import FAMILIES, TEMPLATES, file_stamp, load_abbreviations, normalise

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

TRAINING: Final[Path] = TEMPLATES / "training_call_types.csv"
# Chosen on the development cities alone, each city in turn left out of training: at 0.5 the
# model made a suggestion for 82% of strings (Milwaukee and San Diego included) and 91% of
# those were right.
THRESHOLD: Final = 0.5


def _training_rows(path: Path) -> tuple[list[str], list[str]]:
    if not path.is_file():
        raise KitError(f"The file {path.name} was not found. Restore it from templates/.")
    texts: list[str] = []
    labels: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            family = (row.get("family") or "").strip()
            if family not in FAMILIES:
                raise KitError(
                    f"{path}, line {line}: '{family}' is not one of {', '.join(FAMILIES)}."
                )
            texts.append(row.get("call_type") or "")
            labels.append(family)
    return texts, labels


def _prepare(texts: Sequence[str]) -> list[str]:
    """The text the model reads: normalised, abbreviations spelled out."""
    abbreviations = load_abbreviations()
    return [abbreviations.expand(normalise(text)) for text in texts]


def train(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    """A fitted model from labelled call-type strings (deterministic for the same input)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    # Letter pieces carry clipped and run-together words; whole words carry a word that
    # decides the family wherever it stands ("PURSUIT", "SCHOOL").
    model = make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="word", sublinear_tf=True),
        ),
        LogisticRegression(C=10.0, solver="saga", tol=1e-3, max_iter=300, random_state=0),
    )
    return model.fit(_prepare(texts), list(labels))


@lru_cache(maxsize=2)
def _model(path: Path, stamp: int) -> Pipeline:
    return train(*_training_rows(path))


def model(path: Path | None = None) -> Pipeline:
    """The model trained on the shipped strings (or ``path``), once per version of the file."""
    path = path or TRAINING
    return _model(path, file_stamp(path))


def suggest_families(
    texts: Sequence[str], *, threshold: float = THRESHOLD, fitted: Pipeline | None = None
) -> list[tuple[str | None, float]]:
    """For each call-type string, the suggested family (None below ``threshold``) and the
    model's confidence in its best family."""
    if not texts:
        return []
    fitted = fitted or model()
    probabilities = fitted.predict_proba(_prepare(texts))
    classes = list(fitted.classes_)
    out: list[tuple[str | None, float]] = []
    for row in probabilities:
        best = int(row.argmax())
        score = float(row[best])
        out.append((str(classes[best]) if score >= threshold else None, round(score, 3)))
    return out
