"""Export a model's transformer to ONNX once, check it against PyTorch, and cache it.

The export is the transformer alone with eager attention (PyTorch's fused attention does not
trace faithfully with padding); pooling stays outside it (index/encoders/onnx_model.py). It is
used only when it is faithful: on a padded batch of probe texts every real token's embedding
is within MAX_DIFFERENCE of PyTorch's, and the pooled vectors agree to AGREEMENT cosine.
Exporting needs PyTorch; a process that finds the export cached never imports it.

An export is named by its model's folder and that folder's contents. Each new export clears
the cache of exports no process can use any more (`prune`): the same folder's earlier
contents (a reinstalled or retrained model), models whose folder is gone, and names written
by earlier versions. Each is ~90 MB; without this they pile up.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index import config
from index.config import resolve_model_path
from index.encoders.model import torch_encoder
from index.encoders.onnx_model import OnnxEncoder

log = logging.getLogger(__name__)
MAX_DIFFERENCE = 1e-3  # largest gap to PyTorch on any real token's embedding value
AGREEMENT = 0.99999  # smallest cosine between exported and PyTorch sentence vectors
_PROBES = [
    "Engineers found deep cracks in the central pillar of the old bridge on Friday morning, "
    "and the council closed it to traffic until further notice.",
    "Why did the council close the bridge?",
    "x",
    "Ünïcödé, emoji 🙂 and numbers 1,234.5.",
]


@dataclass(frozen=True, slots=True)
class Export:
    """A cached export and what it takes: its input names, the model's window and width."""

    onnx_file: Path
    tokenizer_file: Path
    inputs: tuple[str, ...]
    max_length: int
    dimension: int


def exported(name: str) -> Export | None:
    """The faithful ONNX export of model `name`, made now if it is not cached; None when the
    model cannot be served that way (another pooling, no fast tokenizer, an unfaithful export)."""
    model_dir = Path(resolve_model_path(name)).resolve()
    onnx_file = (
        config.cache_dir() / f"{_folder_key(model_dir)}-{model_fingerprint(model_dir)}{_SUFFIX}"
    )
    meta_file = onnx_file.with_suffix(".json")
    if not (onnx_file.is_file() and meta_file.is_file()):
        _export(name, onnx_file, meta_file, model_dir)
        try:
            prune(onnx_file)
        except OSError as exc:  # an unreadable cache folder costs disk, never the export
            log.warning("old ONNX exports in %s were not cleared: %s", onnx_file.parent, exc)
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    tokenizer_file = model_dir / "tokenizer.json"
    if not meta.get("faithful") or not tokenizer_file.is_file():
        return None
    return Export(
        onnx_file,
        tokenizer_file,
        tuple(meta["inputs"]),
        int(meta["max_length"]),
        int(meta["dimension"]),
    )


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


_SUFFIX = "-transformer.onnx"
# What this module writes into the cache, now (folder key and contents fingerprint) and
# before (contents fingerprint alone; "-tokens" exports; their metadata). Nothing else in the
# cache folder, which a user may share with other files, is ever removed.
_OURS = re.compile(r"^.+-(?:[0-9a-f]{8}-)?[0-9a-f]{16}(?:-transformer|-tokens)?\.(?:onnx|json)$")
_CURRENT = re.compile(r"^(?P<folder>.+-[0-9a-f]{8})-[0-9a-f]{16}-transformer\.(?:onnx|json)$")


def _folder_key(model_dir: Path) -> str:
    """The model folder's name and a short hash of its full path: two folders of one name
    (two installs) keep separate exports."""
    return f"{model_dir.name}-{hashlib.sha256(str(model_dir).encode()).hexdigest()[:8]}"


def prune(kept: Path) -> list[Path]:
    """Remove the cached exports no process will load again, `kept` (an export just written)
    aside: those of `kept`'s model folder with other contents, those whose model folder is
    gone, and those named as earlier versions named them. Returns what was removed."""
    folder = _CURRENT.match(kept.name)
    exports: dict[Path, list[Path]] = {}  # an export's two files, judged together
    for path in sorted(kept.parent.iterdir()):
        if _OURS.match(path.name) and path.with_suffix("") != kept.with_suffix(""):
            exports.setdefault(path.with_suffix(".json"), []).append(path)
    removed = []
    for meta_file, files in exports.items():
        current = _CURRENT.match(meta_file.name)
        if (
            current is None  # an earlier version's name
            or (folder is not None and current["folder"] == folder["folder"])
            or not _model_dir_exists(meta_file)
        ):
            for path in files:
                try:
                    path.unlink()
                    removed.append(path)
                except OSError as exc:  # in use elsewhere, or already gone: left for next time
                    log.debug("cached export %s kept: %s", path, exc)
    return removed


def _model_dir_exists(meta_file: Path) -> bool:
    """Whether the model folder an export's metadata names still exists (True when unknown)."""
    try:
        model_dir = json.loads(meta_file.read_text(encoding="utf-8")).get("model_dir")
    except (OSError, ValueError):
        return True  # being written, or unreadable: not ours to judge
    return model_dir is None or Path(model_dir).is_dir()


def _export(name: str, onnx_file: Path, meta_file: Path, model_dir: Path) -> None:
    encoder = torch_encoder(name, "float32")
    meta: dict[str, Any] = {"model": name, "model_dir": str(model_dir), "faithful": False}
    onnx_file.parent.mkdir(parents=True, exist_ok=True)
    if encoder.pools_token_means:
        inputs = _write_onnx(encoder, onnx_file)
        meta.update(
            inputs=inputs,
            max_length=int(encoder.model.max_seq_length or 512),
            dimension=encoder.dimension,
        )
        meta.update(_faithfulness(name, encoder, onnx_file, meta))
    _write_atomically(meta_file, json.dumps(meta))  # another process never reads half of it
    if not meta["faithful"]:
        log.warning("model %s runs under PyTorch: its ONNX export is not faithful", name)


def _write_onnx(encoder: Any, onnx_file: Path) -> list[str]:
    """The transformer with eager attention, exported with dynamic batch and length."""
    import torch
    from transformers import AutoModel

    original = encoder.model[0].auto_model
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

    tmp = onnx_file.with_suffix(f".tmp-{os.getpid()}")
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shape arithmetic; checked below
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
    os.replace(tmp, onnx_file)
    return inputs


def _faithfulness(name: str, encoder: Any, onnx_file: Path, meta: dict[str, Any]) -> dict:
    """How far the export's token embeddings and pooled vectors are from PyTorch's."""
    import torch

    model_dir = Path(resolve_model_path(name))
    candidate = OnnxEncoder(
        name,
        onnx_file,
        model_dir / "tokenizer.json",
        meta["inputs"],
        meta["max_length"],
        meta["dimension"],
    )
    probe = encoder.model.tokenizer(_PROBES, padding=True, return_tensors="pt")
    with torch.inference_mode():
        expected = encoder.model[0].auto_model(**{n: probe[n] for n in meta["inputs"]})
    got, mask, _ = candidate.tokens(_PROBES)
    real = probe["attention_mask"].numpy().astype(bool)
    if got.shape[:2] != real.shape:  # the two tokenisers disagree
        return {"faithful": False, "difference": None}
    difference = float(np.abs(got - expected.last_hidden_state.numpy())[real].max())
    agreement = float(
        (candidate.encode(_PROBES) * encoder.encode(_PROBES, progress=False)).sum(1).min()
    )
    return {
        "difference": difference,
        "agreement": agreement,
        "faithful": difference < MAX_DIFFERENCE and agreement > AGREEMENT,
    }


def _write_atomically(path: Path, text: str) -> None:
    written = path.with_suffix(f".tmp-{os.getpid()}")
    written.write_text(text, encoding="utf-8")
    os.replace(written, path)
