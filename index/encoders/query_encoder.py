"""Embed questions with ONNX Runtime: the model's own weights and pooling, exported once.

One short question is the hot path of every search. ONNX Runtime embeds it about three times
faster than PyTorch on a CPU, and once the export is cached it starts without importing torch.
The export is checked against the sentence-transformers model when it is made, and it is used
only when the vectors agree (cosine > 0.99999). Otherwise, and for models that are not
Transformer + mean pooling + normalisation, questions use the sentence-transformers
`Encoder` like everything else. Passages are embedded by `Encoder` (which runs the
transformer under ONNX Runtime too in float32: index/onnx_tokens.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.config import resolve_model_path
from index.encoders.model import Encoder, get_encoder

log = logging.getLogger(__name__)
AGREEMENT = 0.99999  # minimum cosine between exported and original vectors on probe texts
_PROBES = [
    "Why did the council close the bridge?",
    "Engineers found deep cracks in the central pillar of the old bridge on Friday morning.",
    "x",
]


def cache_dir() -> Path:
    return Path(os.environ.get("QA_CACHE_DIR") or Path.home() / ".cache" / "newsqa")


class OnnxQueryEncoder:
    """Same interface as `Encoder.encode`, for questions."""

    def __init__(
        self, name: str, onnx_file: Path, model_dir: Path, max_length: int, dimension: int
    ):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = name
        self.dimension = dimension
        self.onnx_file = onnx_file
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, min(4, os.cpu_count() or 1))
        options.log_severity_level = 3
        # Idle ORT threads must not spin: they would steal the cores FAISS searches on next.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=max_length)
        self._tokenizer.enable_padding()

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, progress: bool | None = None
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        out = []
        for start in range(0, len(texts), batch_size):
            batch = self._tokenizer.encode_batch(list(texts[start : start + batch_size]))
            feed = {
                "input_ids": np.array([e.ids for e in batch], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in batch], dtype=np.int64),
            }
            out.append(self._session.run(None, feed)[0])
        return np.ascontiguousarray(np.concatenate(out), dtype=np.float32)


@lru_cache(maxsize=2)
def get_query_encoder(name: str) -> Encoder | OnnxQueryEncoder:
    """The fastest faithful encoder for questions with model `name`."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return get_encoder(name)
    model_dir = Path(resolve_model_path(name))
    onnx_file = cache_dir() / f"{model_dir.name}-{model_fingerprint(model_dir)}.onnx"
    meta_file = onnx_file.with_suffix(".json")
    try:
        if not (onnx_file.is_file() and meta_file.is_file()):
            _export(name, onnx_file, meta_file)
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if not meta.get("faithful"):
            return get_encoder(name)
        return OnnxQueryEncoder(
            name, onnx_file, model_dir, int(meta["max_length"]), int(meta["dimension"])
        )
    except Exception as exc:  # any export or runtime trouble: the PyTorch path still works
        log.warning("questions use PyTorch, not ONNX Runtime: %s", exc)
        return get_encoder(name)


def model_fingerprint(model_dir: Path) -> str:
    """Changes when any file of the model changes: names a cached export."""
    digest = hashlib.sha256()
    for path in sorted(model_dir.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(
                f"{path.relative_to(model_dir)}:{stat.st_size}:{stat.st_mtime_ns}".encode()
            )
    return digest.hexdigest()[:16]


def _export(name: str, onnx_file: Path, meta_file: Path) -> None:
    import torch

    encoder = get_encoder(name)
    model = encoder.model
    kinds = [type(m).__name__ for m in model]
    pooling = getattr(model[1], "pooling_mode", None) if len(kinds) > 1 else None
    onnx_file.parent.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {"model": name, "modules": kinds, "faithful": False}
    if kinds != ["Transformer", "Pooling", "Normalize"] or pooling != "mean":
        meta_file.write_text(json.dumps(meta), encoding="utf-8")
        return
    wrapped = _mean_pooled(model[0].auto_model).eval()
    example = model.tokenizer(_PROBES[:2], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    tmp = onnx_file.with_suffix(f".tmp-{os.getpid()}")
    with torch.inference_mode():
        torch.onnx.export(
            wrapped,
            tuple(example[n] for n in names),
            str(tmp),
            input_names=names,
            output_names=["embedding"],
            dynamic_axes={
                **{n: {0: "batch", 1: "tokens"} for n in names},
                "embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, onnx_file)
    meta.update(max_length=int(model.max_seq_length or 512), dimension=encoder.dimension)
    candidate = OnnxQueryEncoder(
        name, onnx_file, Path(resolve_model_path(name)), meta["max_length"], meta["dimension"]
    )
    agreement = float(
        (candidate.encode(_PROBES) * encoder.encode(_PROBES, progress=False)).sum(1).min()
    )
    meta.update(faithful=agreement > AGREEMENT, agreement=agreement)
    meta_file.write_text(json.dumps(meta), encoding="utf-8")


def _mean_pooled(transformer: Any) -> Any:
    """The transformer, mean pooling over real tokens and L2 normalisation, as one module.

    Built inside a function so that importing this file never imports torch.
    """
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    return MeanPooled()
