"""The HTTP API's request and response bodies, as its OpenAPI schema shows them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.ingest.raw import DOC_ID_PATTERN
from qa.query.validate import MAX_HISTORY, MAX_K, MAX_QUESTION_CHARS

MAX_TEXT_CHARS = 500_000


class SearchRequest(BaseModel):
    # Limits are stated in the schema and checked by qa.query.validate, whose 400s say what to fix.
    question: str = Field(
        description=f"the question, at most {MAX_QUESTION_CHARS} characters",
        json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS, "pattern": r"\S"},
    )
    k: int = Field(
        5,
        description=f"number of passages, 1 to {MAX_K}",
        json_schema_extra={"minimum": 1, "maximum": MAX_K},
    )
    history: list[str] = Field(
        default_factory=list,
        description=f"earlier questions, oldest first (last {MAX_HISTORY} used)",
    )
    earlier_answer: str | None = Field(
        None,
        description="the sentence(s) that answered the latest earlier question, as shown; a "
        "follow-up takes its names from here instead of answering that question again",
        json_schema_extra={"maxLength": 4000},
    )
    outlet: str | None = Field(
        None, description='only this outlet; "(none)" for the articles that name none'
    )
    # Documented as ISO dates; other common formats ("March 3, 2025") are accepted too.
    published_from: str | None = Field(
        None, description="YYYY-MM-DD, inclusive", json_schema_extra={"format": "date"}
    )
    published_to: str | None = Field(
        None, description="YYYY-MM-DD, inclusive", json_schema_extra={"format": "date"}
    )
    prefer_recent: float | None = Field(
        None,
        description="recency preference as a half-life in days (e.g. 30); off when absent",
        json_schema_extra={"exclusiveMinimum": 0},
    )


class DocumentResponse(BaseModel):
    doc_id: str
    source: str
    url: str | None = Field(None, description="where the article was published, when known")
    title: str
    outlet: str | None
    author: str | None
    published: str | None
    text: str
    duplicate_of: str | None
    also_in: list[str]
    encoding: str


class Health(BaseModel):
    status: str
    index: str
    model: str | None
    documents: int | None
    passages: int | None
    chunks: int | None = Field(None, description="the same as passages (its earlier name)")
    built: str | None
    format_version: int | None


class Problem(BaseModel):
    detail: str


class NewDocument(BaseModel):
    """The same fields as a line of a .jsonl corpus."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="the article text")
    doc_id: str | None = Field(
        None, pattern=DOC_ID_PATTERN, description="id to use; an existing id is replaced"
    )
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=100, description="a date in any common format")
    url: str | None = Field(None, max_length=2000, description="the article's address, kept")


class Written(BaseModel):
    doc_id: str
    action: str  # "added" | "replaced" | "deleted"
    documents: int  # in the index after the change
    passages: int
    chunks: int = Field(description="the same as passages (its earlier name)")
