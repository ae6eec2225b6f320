"""An article kept as a Word 97-2003 document (.doc): a press office's release, an archive's
copy from before .docx.

The format is a binary compound file no Python library reads; Debian's antiword does, a
paragraph to a line (`-w 0`), in UTF-8. Its paragraphs are cleaned as a Word document's are,
and a news database's download is split into its articles (paragraph_article.py). Offsets
point into the text as antiword reads it, the file holding no text of its own to point into.
Without antiword the file is skipped, the reason naming the package to install. A ".doc"
that is Rich Text or an HTML page (Word saves both under that name) is read as what it is.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from index.ingest.paragraph_article import document_articles
from index.ingest.raw import RawArticle, Skipped, safe_id
from index.ingest.rtf_text import read_rtf

DOC_SUFFIX = ".doc"
NO_ANTIWORD = "a Word 97-2003 document: install antiword to read it (apt-get install antiword)"
_SECONDS = 60  # antiword reads a document in well under a second; a damaged one may hang


def read_doc(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    source = str(path)
    if data.lstrip().startswith(b"{\\rtf"):  # Rich Text named .doc, as Word and WordPad save it
        return read_rtf(path, data)
    antiword = shutil.which("antiword")
    if antiword is None:
        return [Skipped(source, NO_ANTIWORD)]
    with tempfile.NamedTemporaryFile(suffix=DOC_SUFFIX) as copy:  # the file may be a member
        copy.write(data)
        copy.flush()
        try:
            done = subprocess.run(
                [antiword, "-m", "UTF-8.txt", "-w", "0", copy.name],
                capture_output=True,
                timeout=_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return [
                Skipped(
                    source, f"not a readable Word 97-2003 document: antiword took over {_SECONDS} s"
                )
            ]
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").replace(copy.name, path.name).strip()
        reason = said.splitlines()[-1] if said else f"antiword exited with {done.returncode}"
        return [Skipped(source, f"not a readable Word 97-2003 document: {reason}")]
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    paragraphs = [" ".join(line.split()) for line in lines if line.strip()]
    if not paragraphs:
        return [Skipped(source, "no text in this Word 97-2003 document")]
    return list(document_articles(source, safe_id(path.stem), paragraphs, None, "", "doc"))
