"""Sentence vectors pooled from the passages' token embeddings: one encoder pass per passage."""

from __future__ import annotations

import numpy as np
import pytest

from index import config
from index.build.embedding import embed_split, sentences_by_passage, split_document
from index.build.settings import BuildSettings
from index.encoders import loading
from index.encoders.model import torch_encoder
from index.stores.passage_store import StoreSettings
from index.text.passages import most_overlapped

TEXT = (
    "Venezuela has confirmed that President Maduro sent a letter to President Trump. "
    "The letter urged talks. Officials in Washington dismissed it."
)


@pytest.fixture(scope="module", params=["onnx", "torch"])
def encoder(request):  # type: ignore[no-untyped-def]
    """Each runtime; the expectations come from sentence-transformers' own model."""
    if request.param == "torch":
        return torch_encoder(config.DEFAULT_MODEL)
    return loading.get_encoder(config.DEFAULT_MODEL, "float32")


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return torch_encoder(config.DEFAULT_MODEL).model


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def test_text_vectors_are_the_models_own(encoder, model) -> None:  # type: ignore[no-untyped-def]
    texts = [TEXT, "Oil prices rose.", TEXT[:90]]
    vectors, _, _ = encoder.encode_with_spans(texts, [np.zeros((0, 2), np.int64)] * 3)
    expected = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert np.allclose(vectors, expected, atol=1e-5)


def test_a_span_is_the_mean_of_the_tokens_inside_it(encoder, model) -> None:  # type: ignore[no-untyped-def]
    tokens = model.encode(TEXT, output_value="token_embeddings", convert_to_numpy=True)
    offsets = model.tokenizer(TEXT, return_offsets_mapping=True)["offset_mapping"]
    start = TEXT.index("The letter")
    end = TEXT.index("talks.") + len("talks.")
    inside = [i for i, (a, b) in enumerate(offsets) if b > a and a >= start and b <= end]
    assert len(inside) == 5  # the, letter, urged, talks, .
    expected = np.asarray(tokens)[inside].mean(axis=0)
    _, spans, missing = encoder.encode_with_spans([TEXT], [np.array([[start, end]])])
    assert not missing.any()
    assert _cos(spans[0], expected) > 0.99999
    assert np.linalg.norm(spans[0]) == pytest.approx(1.0, abs=1e-5)


def test_a_span_beyond_the_models_window_is_reported_missing(encoder) -> None:  # type: ignore[no-untyped-def]
    long = " ".join(["word"] * 400) + " The end is here."
    tail = long.index("The end")
    _, spans, missing = encoder.encode_with_spans([long], [np.array([[0, 4], [tail, len(long)]])])
    assert missing.tolist() == [False, True]
    assert not spans[1].any()


def test_each_sentence_goes_to_the_passage_holding_most_of_it() -> None:
    chunks = np.array([[0, 100], [90, 200], [205, 300]])
    sentences = np.array([[0, 40], [40, 95], [85, 150], [150, 210], [210, 300]])
    spans, owners = sentences_by_passage([(chunks, sentences), (chunks[:1], sentences[:1])])
    assert owners.tolist() == [0, 1, 2, 3, 4, 5]
    assert [s.tolist() for s in spans] == [
        [[0, 40], [40, 95]],  # sentence 1 overlaps the first passage by 55, the second by 5
        [[0, 60], [60, 110]],  # sentence 3 is cut to the passage's end (200)
        [[5, 95]],
        [[0, 40]],  # the second article's only sentence
    ]


def test_a_book_length_article_is_matched_to_its_passages_without_a_full_table() -> None:
    """A 12 MB article (200,000 sentences, 28,000 passages) asked for a 42 GiB table of every
    sentence against every passage and ended `qa index` with a MemoryError. Each sentence
    now meets only the passages that start near it, and gets the same passage as the whole
    table gives, here checked against it on an article small enough to hold the table, with
    some sentences longer than several passages."""
    rng = np.random.default_rng(7)
    starts = np.cumsum(rng.integers(300, 400, 300))
    chunks = np.stack([starts, starts + 500], axis=1)  # 100 or more characters of overlap
    begins = np.sort(rng.integers(0, int(chunks[-1, 1]), 3000))
    lengths = np.where(rng.random(3000) < 0.01, 4000, rng.integers(20, 200, 3000))
    sentences = np.stack([begins, begins + lengths], axis=1)
    overlap = np.minimum(sentences[:, 1:], chunks[:, 1]) - np.maximum(
        sentences[:, :1], chunks[:, 0]
    )
    best, most = most_overlapped(sentences, chunks)
    assert best.tolist() == overlap.argmax(axis=1).tolist()
    assert most.tolist() == overlap.max(axis=1).tolist()


def test_a_sentence_cut_off_by_the_window_is_encoded_alone(encoder) -> None:  # type: ignore[no-untyped-def]
    words = " ".join(["word"] * 400)
    text = f"{words}. The end is here."
    settings = BuildSettings(config.DEFAULT_MODEL, 4000, 0, 32, StoreSettings(), "float32")
    chunks, sentences = split_document(text, settings)
    assert len(chunks) == 1 and len(sentences) == 2
    done = embed_split([text], [(chunks, sentences)], settings)[0]
    alone = encoder.encode(["The end is here."])[0]
    assert _cos(done.sentence_vectors[1], alone) > 0.9999
    assert _cos(done.sentence_vectors[0], alone) < 0.9
