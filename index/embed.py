"""Turn text into unit-length vectors with a local sentence-transformers model."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from index.config import DEFAULT_BATCH_SIZE, resolve_model_path
from index.errors import QAError

log = logging.getLogger(__name__)
_PROGRESS_FROM = 256  # show a progress bar only for runs long enough to wait on


class Encoder:
    """A sentence-transformers model loaded from disk, never from a hub."""

    def __init__(self, name: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars on every start

        self.name = name
        self.model = SentenceTransformer(resolve_model_path(name), device="cpu")
        get_dim = getattr(self.model, "get_embedding_dimension", None) or (
            self.model.get_sentence_embedding_dimension
        )
        dimension = get_dim()
        if dimension is None:
            raise QAError(f"Model {name!r} does not declare its embedding size.")
        self.dimension = int(dimension)

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: bool | None = None,
    ) -> np.ndarray:
        """float32 array (len(texts), dimension), rows L2-normalised so dot product = cosine."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        show = len(texts) >= _PROGRESS_FROM if progress is None else progress
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def get_encoder(name: str) -> Encoder:
    """One loaded model per name per process: loading costs seconds, encoding milliseconds."""
    log.info("loading embedding model %s", name)
    return Encoder(name)
