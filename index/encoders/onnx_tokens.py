"""The model's transformer under ONNX Runtime: token embeddings for passage encoding.

In float32 on a CPU, ONNX Runtime runs all-MiniLM-L6-v2 over 500-character passages about
twice as fast as PyTorch (measured on BBC passages, batches of 32; docs/benchmarks.md). The
export is the transformer alone with eager attention (PyTorch's fused attention does not
trace faithfully with padding), made once per model and cached beside the question encoder's.
It is used only when its token embeddings agree with PyTorch's on a padded probe batch;
otherwise, and whenever anything about it fails, passages are encoded by PyTorch as before.
"""

from __future__ import annotations

import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.config import resolve_model_path
from index.encoders.query_encoder import cache_dir, model_fingerprint

if TYPE_CHECKING:
    from index.encoders.model import Encoder

log = logging.getLogger(__name__)
MAX_DIFFERENCE = 1e-3  # largest allowed gap to PyTorch on any real token's embedding value
_PROBES = [
    "Engineers found deep cracks in the central pillar of the old bridge on Friday morning, "
    "and the council closed it to traffic until further notice.",
    "x",
    "Ünïcödé, emoji 🙂 and numbers 1,234.5.",
]


class OnnxTokenEmbedder:
    """Last hidden states of the model's transformer for a tokenised batch, as numpy."""

    def __init__(self, onnx_file: Path, inputs: list[str]) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, os.cpu_count() or 1)
        options.log_severity_level = 3
        self.onnx_file = onnx_file
        self.inputs = inputs
        self._session = ort.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, batch: dict[str, Any]) -> np.ndarray:
        feed = {name: np.asarray(batch[name], dtype=np.int64) for name in self.inputs}
        return np.asarray(self._session.run(None, feed)[0], dtype=np.float32)


def wanted(precision: str) -> bool:
    """Whether passages of this precision go through ONNX Runtime: float32 only (bfloat16
    runs under PyTorch autocast), unless $QA_PASSAGE_BACKEND is "torch"."""
    return precision == "float32" and os.environ.get("QA_PASSAGE_BACKEND", "auto") != "torch"


@lru_cache(maxsize=4)
def token_embedder(encoder: Encoder) -> OnnxTokenEmbedder | None:
    """The faithful ONNX token embedder for this encoder's model, or None to use PyTorch."""
    if not wanted(encoder.precision):
        return None
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return None
    try:
        model_dir = Path(resolve_model_path(encoder.name))
        stem = f"{model_dir.name}-{model_fingerprint(model_dir)}-tokens"
        onnx_file, meta_file = cache_dir() / f"{stem}.onnx", cache_dir() / f"{stem}.json"
        if not (onnx_file.is_file() and meta_file.is_file()):
            _export(encoder, onnx_file, meta_file)
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if not meta.get("faithful"):
            return None
        return OnnxTokenEmbedder(onnx_file, list(meta["inputs"]))
    except Exception as exc:  # any export or runtime trouble: PyTorch still encodes passages
        log.warning("passages use PyTorch, not ONNX Runtime: %s", exc)
        return None


def _export(encoder: Encoder, onnx_file: Path, meta_file: Path) -> None:
    import torch
    from transformers import AutoModel

    original: Any = encoder.model[0].auto_model
    eager = AutoModel.from_config(original.config, attn_implementation="eager")
    eager.load_state_dict(original.state_dict())
    eager.eval()
    probe = encoder.model.tokenizer(_PROBES, padding=True, return_tensors="pt")
    inputs = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in probe]

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = eager

        def forward(self, *tensors: Any) -> Any:
            return self.model(**dict(zip(inputs, tensors, strict=True))).last_hidden_state

    onnx_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = onnx_file.with_suffix(f".tmp-{os.getpid()}")
    with torch.inference_mode():
        torch.onnx.export(
            Hidden(),
            tuple(probe[n] for n in inputs),
            str(tmp),
            input_names=inputs,
            output_names=["tokens"],
            dynamic_axes={
                **{n: {0: "batch", 1: "tokens"} for n in inputs},
                "tokens": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )
        expected = original(**{n: probe[n] for n in inputs}).last_hidden_state.numpy()
    os.replace(tmp, onnx_file)
    got = OnnxTokenEmbedder(onnx_file, inputs)({n: probe[n].numpy() for n in inputs})
    real = probe["attention_mask"].numpy().astype(bool)
    difference = float(np.abs(got - expected)[real].max())
    meta = {
        "model": encoder.name,
        "inputs": inputs,
        "difference": difference,
        "faithful": difference < MAX_DIFFERENCE,
    }
    written = meta_file.with_suffix(f".tmp-{os.getpid()}")
    written.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(written, meta_file)  # a build in another process never reads half of it
