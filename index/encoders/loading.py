"""Which runtime encodes: ONNX Runtime for float32 when the model's export is faithful (no
torch import once it is cached), sentence-transformers (PyTorch) otherwise. One loaded model
per name and runtime per process: loading costs seconds."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from index import config
from index.encoders.export import exported
from index.encoders.model import torch_encoder
from index.encoders.onnx_model import OnnxEncoder
from index.encoders.pooling import TextEncoder

log = logging.getLogger(__name__)


def get_encoder(name: str, precision: str | None = "float32") -> TextEncoder:
    """The encoder for passages: ONNX Runtime in float32 unless $QA_PASSAGE_BACKEND is
    "torch" or the export is not faithful; PyTorch (bfloat16 autocast) for bfloat16."""
    resolved = resolve_precision(precision)
    if resolved == "float32" and config.passage_backend() != "torch":
        onnx = onnx_encoder(name, for_questions=False)
        if onnx is not None:
            return onnx
    return torch_encoder(name, resolved)


def get_query_encoder(name: str) -> TextEncoder:
    """The encoder for questions: ONNX Runtime where faithful, else PyTorch in float32."""
    return onnx_encoder(name, for_questions=True) or torch_encoder(name, "float32")


@lru_cache(maxsize=4)
def onnx_encoder(name: str, *, for_questions: bool) -> OnnxEncoder | None:
    """The model under ONNX Runtime, or None (not installed, not faithful, any failure)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return None
    try:
        export = exported(name)
        if export is None:
            return None
        return OnnxEncoder(
            name,
            export.onnx_file,
            export.tokenizer_file,
            export.inputs,
            export.max_length,
            export.dimension,
            for_questions=for_questions,
        )
    except Exception as exc:  # any export or runtime trouble: PyTorch still encodes
        log.warning("model %s runs under PyTorch, not ONNX Runtime: %s", name, exc)
        return None


def resolve_precision(requested: str | None) -> str:
    """ "float32" or "bfloat16": "auto" (the default, or $QA_PRECISION) becomes bfloat16 only on
    CPUs with AMX tiles, where it was measured 2.6x faster; without them it would be slower."""
    wanted = config.precision(requested)
    if wanted != "auto":
        return wanted
    return "bfloat16" if _cpu_has_amx() else "float32"


def _cpu_has_amx() -> bool:
    """Whether the CPU has AMX tiles, read from /proc/cpuinfo (no torch import for it)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return any("amx_tile" in line.split() for line in text.splitlines() if line.startswith("flags"))


def forget_loaded() -> None:
    """Drop the loaded encoders (after the export cache moved, e.g. in tests)."""
    torch_encoder.cache_clear()
    onnx_encoder.cache_clear()
