"""Shared fixtures: the seed corpus indexed once per session with the real packaged model."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEV_SET = Path(os.environ.get("QA_DEV_SET", ROOT.parent / "shared" / "eval" / "dev_seeds.jsonl"))


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from index import build_index

    directory = tmp_path_factory.mktemp("seed-index")
    build_index([SEEDS], directory)
    return directory


@pytest.fixture(scope="session")
def searcher(seed_index: Path):  # type: ignore[no-untyped-def]
    from qa import Searcher

    return Searcher.load(seed_index)


@pytest.fixture(scope="session")
def dev_questions() -> list[dict]:
    if not DEV_SET.is_file():
        pytest.fail(
            f"dev set not found at {DEV_SET}; set QA_DEV_SET or put ../shared beside the checkout"
        )
    return [json.loads(line) for line in DEV_SET.read_text().splitlines() if line.strip()]


@pytest.fixture()
def index_copy(seed_index: Path, tmp_path: Path) -> Path:
    """A private copy of the seed index that a test may damage."""
    target = tmp_path / "index"
    shutil.copytree(seed_index, target)
    return target
