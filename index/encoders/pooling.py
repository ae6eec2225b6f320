"""What every encoder shares: the interface, mean pooling over tokens, unit-length rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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


class SpanPool:
    """Span vectors gathered batch by batch: each the mean of the token embeddings that lie
    inside a character span of its text (special and padding tokens never count)."""

    def __init__(self, spans: Sequence[np.ndarray], dimension: int) -> None:
        self.spans = spans
        self.first = np.concatenate([[0], np.cumsum([len(s) for s in spans])]).astype(np.int64)
        self.sums = np.zeros((self.first[-1], dimension), dtype=np.float32)
        self.counts = np.zeros(self.first[-1], dtype=np.int64)

    def add(self, rows: np.ndarray, tokens: np.ndarray, offsets: np.ndarray) -> None:
        """Pool the spans of texts `rows`, whose batch gave `tokens` at character `offsets`."""
        for k, i in enumerate(rows):
            lo, hi = self.first[i], self.first[i + 1]
            if lo == hi:
                continue
            start, end = offsets[k, :, 0], offsets[k, :, 1]
            spans = self.spans[i]
            inside = ((start >= spans[:, :1]) & (end <= spans[:, 1:]) & (end > start)).astype(
                np.float32
            )
            self.sums[lo:hi] = inside @ tokens[k]
            self.counts[lo:hi] = inside.sum(axis=1)

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The span vectors (unit length; zero for a span holding no token) and which spans
        held no token (cut off by the model's window)."""
        means = self.sums / np.maximum(self.counts, 1)[:, None]
        return unit(means), self.counts == 0


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero), float32 and contiguous."""
    vectors = np.asarray(vectors, dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return np.ascontiguousarray(vectors)


def batches_by_length(
    texts: Sequence[str], batch_size: int, progress: bool | None
) -> Iterator[np.ndarray]:
    """Row numbers of `texts` in batches of alike length, longest first (little padding),
    with a progress bar for runs long enough to wait on (or as `progress` says)."""
    from tqdm.auto import tqdm

    order = np.argsort([-len(t) for t in texts], kind="stable")
    show = len(texts) >= PROGRESS_FROM if progress is None else progress
    with tqdm(total=len(texts), desc="Passages", disable=not show) as bar:
        for at in range(0, len(order), batch_size):
            rows = order[at : at + batch_size]
            yield rows
            bar.update(len(rows))
