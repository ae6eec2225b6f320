"""What every encoder shares: the interface, mean pooling over tokens, unit-length rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

PROGRESS_FROM = 256  # show a progress bar only for runs long enough to wait on


class TextEncoder(Protocol):
    """What builds and searches need of a model, whichever runtime serves it."""

    name: str
    dimension: int

    @property
    def pools_token_means(self) -> bool: ...

    def encode(
        self, texts: Sequence[str], *, batch_size: int = ..., progress: bool | None = ...
    ) -> np.ndarray: ...

    def encode_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[np.ndarray],
        *,
        batch_size: int = ...,
        progress: bool | None = ...,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...


def mean_tokens(tokens: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Each text's mean token embedding over its real tokens (the model's own pooling)."""
    mask = np.asarray(attention_mask, dtype=np.float32)[:, :, None]
    return (tokens * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)


def span_sums(
    tokens: np.ndarray, offsets: np.ndarray, spans: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For one text: the sum of the token embeddings inside each (start, end) character span,
    and how many tokens each sum holds. Special and padding tokens (empty offsets) never count."""
    start, end = offsets[:, 0], offsets[:, 1]
    inside = ((start >= spans[:, :1]) & (end <= spans[:, 1:]) & (end > start)).astype(np.float32)
    return inside @ tokens, inside.sum(axis=1).astype(np.int64)


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), float32 and contiguous."""
    vectors = np.asarray(vectors, dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return np.ascontiguousarray(vectors)


def first_offsets(spans: Sequence[np.ndarray]) -> np.ndarray:
    """Where each text's spans start in the flat list of all spans, plus the total at the end."""
    return np.concatenate([[0], np.cumsum([len(s) for s in spans])]).astype(np.int64)
