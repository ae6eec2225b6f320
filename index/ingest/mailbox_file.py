"""A mailbox file (.mbox): a mail folder exported whole, as Gmail (Google Takeout),
Thunderbird and Apple Mail write it, each message after a "From " line: every issue of a
newsletter, every alert. Python's mailbox module finds the messages, keeping only where
each starts; each is read as an .eml file is (email_message.py) and named by its place in the
file (`Newsletters.mbox#12`), so the file may be of any size and only a message over the size
limit is skipped. A body line that opened with "From " was written with a ">" before it, so
as not to start a message; the ">" is taken off again (mboxrd's rule, which Thunderbird and
Takeout files follow).
"""

from __future__ import annotations

import mailbox
import re
from dataclasses import replace
from pathlib import Path

from index.ingest.email_message import Reader, read_email
from index.ingest.raw import RawArticle, Skipped, renamed, safe_id, size_text

MBOX_SUFFIX = ".mbox"
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_NO_MESSAGES = 'no messages in this mailbox (each opens with a line "From sender date")'


def read_mbox(
    path: Path, max_bytes: int, read_attachment: Reader | None = None
) -> list[RawArticle | Skipped]:
    """Each message's articles: its body's, and its attachments' read by `read_attachment`."""
    source = str(path)
    out: list[RawArticle | Skipped] = []
    try:
        box = mailbox.mbox(path, create=False)
        try:
            for number, key in enumerate(box.iterkeys(), start=1):
                where = f"{source}#{number}"
                with box.get_file(key) as handle:
                    data = handle.read(max_bytes + 1)
                if len(data) > max_bytes:
                    out.append(Skipped(where, f"a message larger than {size_text(max_bytes)}"))
                    continue
                doc_id = f"{safe_id(path.stem)}-{number}"
                message = _ESCAPED_FROM.sub(rb"\1", data)
                for item in read_email(path, message, read_attachment):
                    named = renamed(item, source, where)
                    if isinstance(named, RawArticle) and named.source == where:  # the body
                        named = replace(named, doc_id=doc_id)
                    out.append(named)
        finally:
            box.close()
    except OSError as exc:
        out.append(Skipped(source, f"unreadable: {exc.strerror or exc}"))
    return out or [Skipped(source, _NO_MESSAGES)]
