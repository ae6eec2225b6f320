"""A story that came by email (.eml): a newsletter, a press release, an alert a reader saved.

The message's HTML body is read as a page is, else its plain-text body as a text file is.
The subject is the title, the sender's name the outlet and the Date header the date, as the
reader's mail program shows them; an author is read from the body. Offsets point into the
body part, its transfer encoding (base64, quoted-printable) undone.

A press release often comes as an attachment under "Please find attached": each attached
file is read as the file it is (a PDF, a Word document, a page...), named by the message and
its own name (`mail.eml/release.pdf`), offsets pointing into the attachment.
"""

from __future__ import annotations

import email
import email.policy
import tempfile
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePath

from index.ingest.archives import page_article
from index.ingest.decoding import decode_declared, decode_html, with_references_read
from index.ingest.raw import RawArticle, Skipped, renamed, safe_id
from index.text.offsets import SpanText

EMAIL_SUFFIX = ".eml"
Reader = Callable[[Path], list[RawArticle | Skipped]]


def read_email(
    path: Path, data: bytes, read_attachment: Reader | None = None
) -> list[RawArticle | Skipped]:
    """The message's body as an article, and each attached file read by `read_attachment`
    (files.read_file), when given."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    attached = _attachments(message, str(path), read_attachment) if read_attachment else []
    body = _body(path, message)
    if attached and all(isinstance(item, Skipped) for item in body):
        return attached  # a bare "Please find attached": the attachment is the story
    return [*body, *attached]


def _attachments(message: EmailMessage, source: str, read: Reader) -> list[RawArticle | Skipped]:
    """Each attached file read as the file it is, from a temporary copy, named
    `<message>/<file name>`."""
    out: list[RawArticle | Skipped] = []
    for part in message.iter_attachments():
        name = PurePath(str(part.get_filename() or "")).name  # no folders from the sender
        payload = part.get_payload(decode=True)
        if not name or not isinstance(payload, bytes) or not payload.strip():
            continue  # an unnamed inline image, a forwarded message's own parts
        where = f"{source}/{name}"
        try:
            with tempfile.TemporaryDirectory(prefix="qa-attachment-") as folder:
                copy = Path(folder) / name
                copy.write_bytes(payload)
                out.extend(renamed(item, str(copy), where) for item in read(copy))
        except OSError as exc:
            out.append(
                Skipped(where, f"could not be copied out of the email: {exc.strerror or exc}")
            )
    return out


def _body(path: Path, message: EmailMessage) -> list[RawArticle | Skipped]:
    part = message.get_body(preferencelist=("html", "plain"))
    payload = part.get_payload(decode=True) if part is not None else None
    if part is None or not isinstance(payload, bytes) or not payload.strip():
        return [Skipped(str(path), "no text or HTML body in this email (.eml)")]
    source, doc_id = str(path), safe_id(path.stem)
    declared = {key: value for key, value in _header_fields(message).items() if value}
    if part.get_content_subtype() == "html":
        html, encoding = decode_html(payload, str(part.get("Content-Type", "")))
        return page_article(source, doc_id, html, encoding, declared, source)
    text, encoding = decode_declared(payload, [part.get_content_charset() or ""])
    extracted = with_references_read(SpanText.identity(text))
    if not extracted.text.strip():
        return [Skipped(source, "no readable text")]
    return [RawArticle(source, doc_id, text, extracted, declared, encoding)]


def _header_fields(message: EmailMessage) -> dict[str, str]:
    """Title, outlet and date as the headers give them: "Morning Brief <news@gazette.example>"
    is the outlet "Morning Brief"."""
    fields = {"title": " ".join(str(message.get("Subject", "")).split())}
    sender = message.get("From")
    if sender is not None and getattr(sender, "addresses", None):
        address = sender.addresses[0]
        fields["outlet"] = address.display_name or address.domain
    try:
        sent = parsedate_to_datetime(str(message.get("Date", "")))
        fields["published"] = sent.date().isoformat()
    except (TypeError, ValueError):
        pass
    return fields
