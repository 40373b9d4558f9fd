"""Folding many names or addresses word by word gives what folding each whole gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scoping import contacts

# Blanks of several kinds, marks that may follow a blank, and characters that normalise to
# something holding a blank (U+00A8 is a space and a diaeresis under NFKC, U+FDFA a phrase).
TRICKY = list("aéÉß  -'_.1\u0301\u0327\u00a8\ufb01\uff2d\u00a0\u2002\ufdfa")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters()), max_size=20),
        max_size=6,
    )
)
def test_fold_all_folds_as_fold_does(texts: list[str]) -> None:
    assert contacts.fold_all(texts) == [contacts.fold(t) for t in texts]


def test_fold_all_folds_a_repeated_word_once_and_drops_words_of_punctuation() -> None:
    texts = ["Rue de l'Église 4 - 1000 Bruxelles", "Place de l'Église 7 bte 2, 1000 BRUXELLES"]
    assert contacts.fold_all(texts) == [
        "rue de l eglise 4 1000 bruxelles",
        "place de l eglise 7 bte 2 1000 bruxelles",
    ]
    assert contacts.fold_all([" - ", ""]) == ["", ""]
