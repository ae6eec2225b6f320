"""The model's transformer under ONNX Runtime, tokenised by `tokenizers`: no torch import.

On a CPU in float32 it runs all-MiniLM-L6-v2 about twice as fast as PyTorch over passages and
three times as fast over one short question (docs/benchmarks.md), and a process that finds
the export cached (index/encoders/export.py) starts without loading PyTorch at all. Pooling
is the model's own (mean over real tokens, then unit length), done here in numpy, so a
passage's vector and the vectors of the sentences inside it come from one forward pass.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.config import DEFAULT_BATCH_SIZE
from index.encoders.pooling import SpanPool, batches_by_length, mean_tokens, unit


class OnnxEncoder:
    """Same interface as the PyTorch `Encoder`, for models that mean-pool their tokens.

    `for_questions` tunes the session for one short text at a time: at most 4 threads, which
    do not spin while idle (they would steal the cores the FAISS search runs on next).
    """

    pools_token_means = True

    def __init__(
        self,
        name: str,
        onnx_file: Path,
        tokenizer_file: Path,
        inputs: Sequence[str],
        max_length: int,
        dimension: int,
        *,
        for_questions: bool = False,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = name
        self.dimension = dimension
        self.onnx_file = onnx_file
        self.precision = "float32"
        self._inputs = list(inputs)
        options = ort.SessionOptions()
        cores = max(1, os.cpu_count() or 1)
        options.intra_op_num_threads = min(4, cores) if for_questions else cores
        options.log_severity_level = 3
        if for_questions:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length=max_length)
        self._tokenizer.enable_padding()

    def tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Token embeddings (texts, tokens, dimension), attention mask and character offsets
        (texts, tokens, 2) of one padded batch."""
        batch = self._tokenizer.encode_batch(list(texts))
        fields = {
            "input_ids": [e.ids for e in batch],
            "attention_mask": [e.attention_mask for e in batch],
            "token_type_ids": [e.type_ids for e in batch],
        }
        feed = {name: np.array(fields[name], dtype=np.int64) for name in self._inputs}
        out = np.asarray(self._session.run(None, feed)[0], dtype=np.float32)
        offsets = np.array([e.offsets for e in batch], dtype=np.int64).reshape(len(batch), -1, 2)
        return out, np.array(fields["attention_mask"], dtype=np.int64), offsets

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: bool | None = None,
    ) -> np.ndarray:
        """float32 array (len(texts), dimension), rows L2-normalised so dot product = cosine."""
        vectors, _, _ = self.encode_with_spans(
            texts,
            [np.zeros((0, 2), np.int64)] * len(texts),
            batch_size=batch_size,
            progress=progress,
        )
        return vectors

    def encode_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[np.ndarray],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: bool | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """As `Encoder.encode_with_spans`: text vectors, span vectors (each the mean of the
        tokens inside the span, with the whole text as context) and the spans holding no token.
        Texts are batched by length, so little of each batch is padding."""
        pool = SpanPool(spans, self.dimension)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for rows in batches_by_length(texts, batch_size, progress):
            tokens, mask, offsets = self.tokens([texts[i] for i in rows])
            vectors[rows] = mean_tokens(tokens, mask)
            pool.add(rows, tokens, offsets)
        span_vectors, missing = pool.vectors()
        return unit(vectors), span_vectors, missing
