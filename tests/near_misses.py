"""A check that the year and country tests share: how a near miss is shown."""

from __future__ import annotations

from qa.cli.commands import format_result
from qa.results import SearchResult
from ui.render import answer_html


def assert_shown_as_near_miss(
    missed: SearchResult, answered: SearchResult, field: str, unmentioned: list[str], note: str
) -> None:
    """`missed` abstained because its first article never mentions what `field` lists; it
    still cites the article `answered` cited first, and says why at the terminal and in the
    chat."""
    assert missed.abstained
    assert getattr(missed, field) == unmentioned
    assert missed.to_dict()[field] == unmentioned
    assert missed.passages[0].doc_id == answered.passages[0].doc_id
    assert note in format_result(missed)
    assert note in answer_html(missed)
