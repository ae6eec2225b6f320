"""One process: the Gradio UI at /, the JSON API under /api, OpenAPI docs at /docs."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from fastapi import FastAPI

from index import config
from index.build.report import counted
from index.errors import IndexMissingError
from ui.live import LiveSearcher

log = logging.getLogger(__name__)


def create_app(
    index_dir: str | os.PathLike[str] | None = None,
    *,
    hosts: frozenset[str] | None = None,
    origins: Sequence[str] = (),
) -> FastAPI:
    """The app; `hosts` are the Host names answered (default: loopback names only) and
    `origins` the cross-origin readers allowed beside pages on those hosts."""
    import gradio as gr

    from ui import api, writes
    from ui.api_docs import install_docs
    from ui.api_errors import install_error_handlers
    from ui.app import build_app
    from ui.gradio_errors import GradioCallErrors
    from ui.hosts import HostCheck, allowed_names
    from ui.limits import BodyLimit
    from ui.page import CSS

    live = LiveSearcher(config.index_dir(index_dir))
    app = FastAPI(
        title="News QA",
        description="Cited passages from a news corpus; no generated text.",
        docs_url=None,  # served offline by install_docs, not from a CDN
        redoc_url=None,
    )
    install_docs(app, "News QA")
    app.include_router(api.router(live))
    app.include_router(writes.router(live, config.api_token()))
    app.add_middleware(BodyLimit)
    install_error_handlers(app)
    app = gr.mount_gradio_app(
        app, build_app(live), path="/", css=CSS, theme=gr.themes.Soft(), footer_links=["api"]
    )
    app.add_middleware(GradioCallErrors)
    app.add_middleware(HostCheck, hosts=hosts or allowed_names("127.0.0.1"), origins=origins)
    return app


def ensure_index(
    index_dir: str | os.PathLike[str] | None, corpus: Sequence[str], exclude: Sequence[str] = ()
) -> None:
    """Build the index from `corpus` (less the files `exclude` matches) when there is none
    yet, with progress on the terminal.

    An index that exists but cannot be read is not rebuilt here: it may hold articles added
    through the API that no corpus file has. The QAError raised names the repair.
    """
    from index.stores.versions import read_manifest

    target = config.index_dir(index_dir)
    try:
        read_manifest(target)
        return
    except IndexMissingError:
        print(f"No index at {target}; building it from {' '.join(corpus)} …", file=sys.stderr)
    from index import build_index

    report = build_index(corpus, target, progress=True, exclude=exclude)
    for skipped in report.skipped:
        print(skipped.line(), file=sys.stderr)
    print(
        f"Indexed {counted(report.documents, 'document')} as {counted(report.passages, 'passage')} in {report.seconds:.1f}s.",
        file=sys.stderr,
    )


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 7860,
    index_dir: str | None = None,
    corpus: Sequence[str] = ("seeds",),
    allowed_hosts: Sequence[str] = (),
    allowed_origins: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> None:
    import uvicorn

    from ui.hosts import allowed_names

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    ensure_index(index_dir, corpus, exclude)
    app = create_app(index_dir, hosts=allowed_names(host, allowed_hosts), origins=allowed_origins)
    print(
        f"Serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)", file=sys.stderr
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
