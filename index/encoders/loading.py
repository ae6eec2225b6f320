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


def get_encoder(
    name: str, precision: str | None = "float32", *, passages: int | None = None
) -> TextEncoder:
    """The encoder for `passages` passages (None: any number): ONNX Runtime in float32 unless
    $QA_PASSAGE_BACKEND is "torch" or the export is not faithful; PyTorch (bfloat16 autocast)
    for bfloat16, which "auto" picks for large enough work on a CPU that has it natively."""
    resolved = resolve_precision(precision, passages)
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


# Where bfloat16 autocast was measured faster than float32: AMX tiles (Intel Sapphire Rapids:
# 2.6x) and AVX-512 BF16 on AMD (Zen 4: 1.55x over float32 on ONNX Runtime, 1.67x over
# PyTorch float32). An Intel Xeon with AVX-512 BF16 but no AMX (Cooper Lake's kind) ran it
# 0.62x as fast as float32 on ONNX Runtime (3,593 BBC passages: 63.6 s against 39.6 s), so
# there AVX-512 BF16 alone does not count; docs/benchmarks.md. Elsewhere bfloat16 is
# emulated, and slower.
AMX_FLAGS = ("amx_tile", "amx_bf16")
AVX512_BF16 = "avx512_bf16"
AVX512_BF16_VENDORS = ("AuthenticAMD",)
# bfloat16 runs under PyTorch, whose loading (~4.8 s with the model) ONNX Runtime does not pay
# (~0.2 s): measured on Zen 4, the two break even near 1,000 passages. Below this many, "auto"
# stays on ONNX Runtime in float32 (a margin for loading on a busy machine).
BF16_FROM_PASSAGES = 2000


def resolve_precision(requested: str | None, passages: int | None = None) -> str:
    """ "float32" or "bfloat16": "auto" (the default, or $QA_PRECISION) becomes bfloat16 only
    on CPUs where it was measured faster (`native_bf16`), and only for at least
    BF16_FROM_PASSAGES passages when their number is given; float32 otherwise."""
    wanted = config.precision(requested)
    if wanted != "auto":
        return wanted
    if passages is not None and passages < BF16_FROM_PASSAGES:
        return "float32"
    return "bfloat16" if native_bf16(*_cpu_info()) else "float32"


def native_bf16(flags: set[str], vendor: str = "") -> bool:
    """Whether bfloat16 was measured faster than float32 on a CPU with these flags and this
    vendor id (AMX, or AVX-512 BF16 from a vendor in AVX512_BF16_VENDORS)."""
    return any(flag in flags for flag in AMX_FLAGS) or (
        AVX512_BF16 in flags and vendor in AVX512_BF16_VENDORS
    )


def _cpu_info() -> tuple[set[str], str]:
    """The CPU's feature flags and vendor id from /proc/cpuinfo (no torch import for it);
    empty elsewhere."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return set(), ""
    lines = text.splitlines()
    flags = {flag for line in lines if line.startswith("flags") for flag in line.split()}
    vendor = next(
        (line.split(":", 1)[1].strip() for line in lines if line.startswith("vendor_id")), ""
    )
    return flags, vendor


def forget_loaded() -> None:
    """Drop the loaded encoders (after the export cache moved, e.g. in tests)."""
    torch_encoder.cache_clear()
    onnx_encoder.cache_clear()
