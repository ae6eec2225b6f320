"""Combine rankings from different retrievers without comparing their raw scores."""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60  # the constant from Cormack, Clarke & Buettcher (SIGIR 2009)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], *, k: int = RRF_K, weights: Sequence[float] | None = None
) -> dict[int, float]:
    """Sum over rankings of weight / (k + rank), rank starting at 1; ids absent from a ranking get 0."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused
