"""Articles given as records: a line of a .jsonl file, an object of a .json file, a row of a
.csv or .tsv file, or a document posted to the HTTP API. Each names its text and metadata
by field (`text` or `content`, `title` or `headline`, ...), as news datasets and scrapers
write them (news-please, CC-News, Kaggle's "All the News" tables).

Every record is reported by its place in the file (`file.csv#12`: the line its row starts
on; `file.json#3`: the third article of its list), and one that cannot be read is skipped
with the reason, never dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from index.ingest.decoding import universal_newlines, with_references_read
from index.ingest.raw import RawArticle, Skipped, safe_id
from index.text.offsets import SpanText

# The article's text, in this order of preference: a dataset of headlines and summaries
# (AG News: title, description) gives its summary as the text.
_ENGLISH_TEXT_FIELDS = (
    "text",
    "content",
    "body",
    "article",
    "maintext",
    # as news datasets name it too: XSum, Multi-News and Gigaword ("document"), schema.org
    # exports ("articleBody"), archives' full-text fields
    *("document", "articlebody", "full_text", "fulltext", "body_text", "story"),
    "description",
    "summary",
    "short_description",
    "abstract",
)
# The same in the languages whose dates are read (index/ingest/dates.py): a newsroom's
# spreadsheet export headed "Titel;Text;Datum;Autor".
TEXT_FIELDS = (
    *_ENGLISH_TEXT_FIELDS,
    *("texte", "texto", "testo", "tekst", "inhalt", "contenu", "contenido", "contenuto"),
    *("conteúdo", "inhoud"),
)
_TEXT_FIELDS_NAMED = (
    ", ".join(_ENGLISH_TEXT_FIELDS)
    + ", or the same in German, French, Spanish, Italian, Dutch or Portuguese"
)
_ID_FIELDS = ("id", "doc_id", "_id")  # "_id": BEIR's corpus files
_FIELD_ALIASES = {
    "title": ("title", "headline", "titel", "überschrift", "titre", "título", "titulo", "titolo"),
    "outlet": (
        "outlet",
        "source",
        "site",
        "site_name",
        "publisher",
        "publication",
        "source_domain",
        "quelle",
        "fuente",
        "fonte",
        "bron",
    ),
    "author": ("author", "authors", "byline", "autor", "auteur", "autore", "verfasser"),
    "published": (
        "published",
        "date",
        "published_at",
        "publishedAt",
        "date_publish",
        "pubDate",
        "publish_date",
        "datum",
        "fecha",
    ),
    "url": ("url", "link"),
}
# Where a .json file may keep its list of articles, when it is not the list itself.
_LIST_KEYS = ("articles", "documents", "items", "records", "data", "results", "posts")
NO_ARTICLES = (
    f"no articles: expected an object with a text field ({_TEXT_FIELDS_NAMED}), "
    "or a list of such objects"
)
_CSV_DELIMITERS = ",;\t|"
MAX_FIELD_CHARS = 50 * 1024 * 1024  # one article's text, as a whole file may be


def read_jsonl(path: Path, lines: Iterable[str], encoding: str) -> Iterator[RawArticle | Skipped]:
    """Each line of a .jsonl file (`lines`: the file's lines, in order) as an article."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}#{number}"
        try:
            record = load_json(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield Skipped(where, f"invalid JSON: {json_problem(exc)}")
            continue
        if not isinstance(record, dict):
            yield Skipped(where, "a line must be a JSON object")
            continue
        yield article_from_record(record, where, path.stem, encoding)


def load_json(text: str) -> Any:
    """A JSON text's value. A whole number longer than Python reads as an int (4,300 digits)
    is kept as its digits: json.loads would raise a ValueError that ended the run."""
    return json.loads(text, parse_int=_whole_number)


def _whole_number(digits: str) -> int | str:
    try:
        return int(digits)
    except ValueError:
        return digits


def json_problem(exc: json.JSONDecodeError | RecursionError) -> str:
    """What is wrong with a JSON text: its parser's words, or that its lists and objects
    nest deeper than Python's parser goes (a hostile or broken file)."""
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    return "lists or objects nested too deeply to read"


def read_json(path: Path, text: str, encoding: str) -> list[RawArticle | Skipped]:
    """A .json file: one article object, a list of them, or an object holding that list."""
    try:
        data = load_json(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        return [Skipped(str(path), f"invalid JSON: {json_problem(exc)}{line}")]
    if isinstance(data, dict) and not any(isinstance(data.get(k), str) for k in TEXT_FIELDS):
        lists = {
            k: bool(v) and isinstance(v[0], dict) for k, v in data.items() if isinstance(v, list)
        }
        if (key := article_list_key(lists)) is not None:
            data = data[key]
    if isinstance(data, dict):
        return [article_from_record(data, str(path), path.stem, encoding)]
    if not isinstance(data, list) or not any(isinstance(item, dict) for item in data):
        return [Skipped(str(path), NO_ARTICLES)]
    return [
        article_from_record(item, f"{path}#{n}", path.stem, encoding)
        if isinstance(item, dict)
        else Skipped(f"{path}#{n}", "an article must be a JSON object")
        for n, item in enumerate(data, start=1)
    ]


def article_list_key(lists: dict[str, bool]) -> str | None:
    """Which of an object's lists holds its articles, given each key holding a list and
    whether that list opens with an object: a usual key, else the only list of objects."""
    for key in _LIST_KEYS:
        if key in lists:
            return key
    of_objects = [key for key, opens_with_object in lists.items() if opens_with_object]
    return of_objects[0] if len(of_objects) == 1 else None


def read_csv(path: Path, lines: Iterable[str], encoding: str) -> Iterator[RawArticle | Skipped]:
    """A .csv or .tsv file with a header row (`lines`: the file's lines, in order, each with
    its line break): each further row an article."""
    # An article may be longer than csv's 128 KB default field; an unclosed quote may not run
    # on past this (the limit is process-wide).
    csv.field_size_limit(MAX_FIELD_CHARS)
    lines = iter(lines)
    first = next(lines, "")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _header_delimiter(first)
    # strict: an unclosed quote is an error, not the rest of the file read as one text
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
    line = 1  # where the row being read starts
    try:
        header = [name.strip() for name in next(reader, [])]
        if not any(name.casefold() in TEXT_FIELDS for name in header):
            columns = ", ".join(_shortened(name) for name in header[:12]) or "none"
            if len(header) > 12:
                columns += f", ... ({len(header):,} in all)"
            yield Skipped(
                str(path), f"no text column (one of {_TEXT_FIELDS_NAMED}); columns: {columns}"
            )
            return
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                record = {name: cell for name, cell in zip(header, row, strict=False) if name}
                yield article_from_record(record, f"{path}#{line}", path.stem, encoding)
            line = reader.line_num + 1
    except csv.Error as exc:
        yield Skipped(f"{path}#{line}", f"invalid CSV: {exc}; the rows from here on are not read")


def _shortened(name: str, most: int = 40) -> str:
    return name if len(name) <= most else name[: most - 3] + "..."


def _header_delimiter(first_line: str) -> str:
    """The delimiter that makes the header row name a text column (a comma when none does)."""
    header = first_line.lstrip("\ufeff").rstrip("\r\n")
    for delimiter in _CSV_DELIMITERS:
        try:
            names = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:  # read with another delimiter, the line is one field past the limit
            continue
        if any(name.strip().casefold() in TEXT_FIELDS for name in names):
            return delimiter
    return ","


def article_from_record(
    record: dict, where: str, fallback_name: str, encoding: str = "utf-8"
) -> RawArticle | Skipped:
    """One article record (a line, an object, a row, or a document posted to the API). Field
    names are matched whatever their case (`Title`, `TEXT`)."""
    record = _case_folded(record)
    body = next((record[k] for k in TEXT_FIELDS if isinstance(record.get(k), str)), None)
    if not body or not body.strip():
        return Skipped(where, f"no text field (one of {_TEXT_FIELDS_NAMED})")
    body = universal_newlines(body)
    fields = declared_fields(record)
    given_id = next((record[k] for k in _ID_FIELDS if record.get(k)), None)
    if given_id:
        doc_id = safe_id(str(given_id))
    else:
        digest = hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        doc_id = f"{safe_id(fallback_name)}-{digest}"
    text = titled(fields.get("title", ""), body)
    return RawArticle(
        where, doc_id, text, with_references_read(SpanText.identity(text)), fields, encoding
    )


def declared_fields(record: dict) -> dict[str, str]:
    """The title, outlet, author, date and address a record declares, under any of their
    names (`headline`, `Titel`, `publishedAt`, ...), whatever their case."""
    record = _case_folded(record)
    fields = {}
    for name, keys in _FIELD_ALIASES.items():
        value = next((record[k.casefold()] for k in keys if record.get(k.casefold())), None)
        if value := _as_text(value):
            fields[name] = value
    return fields


def _as_text(value: Any) -> str:
    """A field's value as text: a list joined by commas, an object by its name (NewsAPI's
    `"source": {"id": "bbc-news", "name": "BBC News"}`)."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or ""
    if isinstance(value, list):
        value = ", ".join(text for v in value if (text := _as_text(v)))
    return str(value).strip() if value is not None else ""


def _case_folded(record: dict) -> dict[str, Any]:
    """The record with its field names in lower case; a name already written so wins."""
    folded: dict[str, Any] = {}
    for key, value in sorted(
        record.items(), key=lambda item: str(item[0]) != str(item[0]).casefold()
    ):
        folded.setdefault(str(key).casefold(), value)
    return folded


def titled(title: str, body: str) -> str:
    """The record's title, a blank line and its text, as a text file opens with its headline
    (the cleaning keeps it when it reads as one); the text alone when it already opens with
    the title."""
    title = " ".join(title.split())
    if not title or " ".join(body[: len(title) * 2].split()).startswith(title):
        return body
    return f"{title}\n\n{body}"
