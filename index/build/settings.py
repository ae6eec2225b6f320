"""What a build is asked for (`BuildOptions`), what it settles on (`BuildSettings`), and whether
the live index was built alike, so its passages and vectors can be reused."""

from __future__ import annotations

from dataclasses import dataclass

from index import config
from index.stores.passage_store import StoreSettings, store_settings
from index.stores.versions import StoredIndex, tokenized_alike
from index.text.passages import check_splitting
from index.text.sentences import RULES_VERSION

# How sentences are found and their vectors made; an index made otherwise has them made again.
SENTENCE_VECTORS = f"pooled from passage tokens; attributions alone; sentence rules {RULES_VERSION}"
SPLITTER = "langchain_text_splitters.RecursiveCharacterTextSplitter"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """A build's choices; None means: the environment's (`QA_*`), else the default.

    Example:
        build_index(["seeds/"], ".qa-index", BuildOptions(chunk_size=400))
    """

    model: str | None = None
    chunk_size: int = config.DEFAULT_CHUNK_SIZE  # the splitter's passage length, in characters
    chunk_overlap: int = config.DEFAULT_CHUNK_OVERLAP
    batch_size: int = config.DEFAULT_BATCH_SIZE
    precision: str | None = None
    store: StoreSettings | None = None  # None: $QA_STORE, else the live index's, else FAISS

    def __post_init__(self) -> None:
        check_splitting(self.chunk_size, self.chunk_overlap)


@dataclass(frozen=True, slots=True)
class BuildSettings:
    model: str
    chunk_size: int
    chunk_overlap: int
    batch_size: int
    store: StoreSettings
    precision: str  # see config.PRECISIONS; vectors of either precision are reused alike


def settle(options: BuildOptions, previous: StoredIndex | None) -> BuildSettings:
    """The options, else the environment, else the live index's store."""
    return BuildSettings(
        config.model_name(options.model),
        options.chunk_size,
        options.chunk_overlap,
        options.batch_size,
        options.store
        or store_settings(previous=previous.manifest.store if previous is not None else None),
        config.precision(options.precision),
    )


def options_of(previous: StoredIndex) -> BuildOptions:
    """The options the live index was built with: what an update keeps."""
    split = previous.manifest.splitting
    return BuildOptions(
        model=previous.manifest.model,
        chunk_size=split.size or config.DEFAULT_CHUNK_SIZE,
        chunk_overlap=split.overlap if split.size else config.DEFAULT_CHUNK_OVERLAP,
    )


def is_current(previous: StoredIndex, settings: BuildSettings) -> bool:
    """Whether the live index was built as `settings` would build it, with today's abstention,
    near-duplicate signatures and terms (an older index's are made anew, its vectors reused)."""
    return (
        built_alike(previous, settings)
        and _same_store(previous, settings.store)
        and previous.manifest.abstention == config.abstention_settings()
        and previous.minhash is not None
        and tokenized_alike(previous)
    )


def built_alike(previous: StoredIndex, settings: BuildSettings) -> bool:
    """Whether the live index's passages and vectors are what `settings` would make."""
    manifest = previous.manifest
    return (
        manifest.model == settings.model
        and manifest.sentence_vectors == SENTENCE_VECTORS
        and manifest.splitting.size == settings.chunk_size
        and manifest.splitting.overlap == settings.chunk_overlap
    )


def _same_store(previous: StoredIndex, store: StoreSettings) -> bool:
    stored_in = previous.manifest.store
    return all(stored_in.get(key) == value for key, value in store.describe().items())
