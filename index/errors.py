"""One small error hierarchy whose messages are shown to users verbatim."""

from __future__ import annotations


class QAError(Exception):
    """Base of every error this project raises on purpose; the message says what to do next."""


class IndexMissingError(QAError):
    """No index exists where one was expected."""


class IndexCorruptError(QAError):
    """An index exists but its files are damaged or incomplete."""


class IndexIncompatibleError(QAError):
    """An index was built with another format version, model or dimension."""


class InvalidInputError(QAError):
    """A question, option or file the caller gave cannot be used."""


class IndexLockedError(QAError):
    """Another process is writing this index."""


class StoreUnavailableError(QAError):
    """The index's passages live in a server (Milvus) that cannot be reached or refused a call."""
