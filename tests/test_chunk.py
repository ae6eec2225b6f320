from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.errors import InvalidInputError
from index.text.passages import passage_spans
from index.text.sentences import split_sentences

TEXT = (
    "The U.S. has labeled the group a terrorist organisation. Mr. Smith disagreed.\n\n"
    + " ".join(f"Sentence number {i} says something about the talks." for i in range(40))
)


def test_offsets_are_exact_and_sizes_bounded() -> None:
    spans = passage_spans(TEXT, size=200, overlap=40)
    assert len(spans) > 5
    for start, end in spans:
        piece = TEXT[start:end]
        assert piece == piece.strip() and len(piece) <= 200
    assert spans[0][0] == 0 and spans[-1][1] == len(TEXT)


def test_chunks_end_at_sentence_boundaries() -> None:
    for start, end in passage_spans(TEXT, size=200, overlap=40):
        assert TEXT[end - 1] in ".!?", TEXT[start:end]


def test_spans_are_what_the_splitter_cuts() -> None:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    # LangChain's own splitter with the same separators is the independent reference.
    from index.text.passages import _SEPARATORS

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=300,
        chunk_overlap=50,
        separators=_SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        strip_whitespace=True,
    )
    cut = [TEXT[s:e] for s, e in passage_spans(TEXT, size=300, overlap=50)]
    assert cut == splitter.split_text(TEXT)


@pytest.mark.parametrize(("size", "overlap"), [(10, 0), (200, 200), (200, -1)])
def test_bad_settings_are_refused(size: int, overlap: int) -> None:
    with pytest.raises(InvalidInputError, match="--chunk-size must be at least 50"):
        passage_spans(TEXT, size=size, overlap=overlap)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab .!?\n"”'), max_size=600), st.integers(50, 200))
def test_any_text_chunks_to_exact_offsets(text: str, size: int) -> None:
    covered = set()
    for start, end in passage_spans(text, size=size, overlap=size // 5):
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_sentences_do_not_break_at_abbreviations() -> None:
    text = "The U.S. has labeled the group. Mr. Smith said “no.” Then he left."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The U.S. has labeled the group.",
        "Mr. Smith said “no.”",
        "Then he left.",
    ]
