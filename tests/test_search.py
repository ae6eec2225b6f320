from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from index.errors import InvalidInputError
from index.stores.bm25 import top_ids
from index.text.sentences import split_sentences
from index.text.terms import tokenize
from qa import Searcher
from qa.citations import cite
from qa.options import SearchOptions
from qa.retrieval.candidates import Candidate
from qa.retrieval.fusion import reciprocal_rank_fusion

from .conftest import SEEDS


def _original(source: str) -> str:
    with open(source, encoding="utf-8", errors="replace", newline=None) as handle:
        return handle.read()


def test_passage_invariants_hold_for_every_dev_question(
    searcher: Searcher, dev_questions: list[dict]
) -> None:
    for q in dev_questions:
        result = searcher.search(q["question"], k=5, history=q.get("history", []))
        assert result.passages, q["id"]
        for p in result.passages:
            doc = searcher.document(p.doc_id)
            assert doc["text"][p.start : p.end] == p.text
            assert p.highlights, "every passage marks its answering sentence(s)"
            for hs, he in p.highlights:
                assert p.start <= hs < he <= p.end
            if len(split_sentences(p.text)) > 2:
                marked = sum(he - hs for hs, he in p.highlights)
                assert marked < len(p.text), "a highlight is never the whole passage"
            original = _original(p.source)
            span = original[p.source_start : p.source_end]
            if "\n\n" not in p.text:  # one paragraph: cleaning removed nothing inside it
                assert span == p.text
            else:  # paragraphs in order, whatever furniture lay between them
                pos = 0
                for paragraph in p.text.split("\n\n"):
                    pos = span.index(paragraph, pos) + len(paragraph)


def test_dev_answers_in_top_three(searcher: Searcher, dev_questions: list[dict]) -> None:
    answerable = [q for q in dev_questions if q["answers"]]
    found = 0
    for q in answerable:
        passages = searcher.search(q["question"], k=3, history=q.get("history", [])).passages
        found += any(
            p.doc_id == a["doc"] and a["contains"] in p.text for p in passages for a in q["answers"]
        )
    assert found == len(answerable)  # issue 4: hit@3 = 1.0


def test_unanswerable_and_boilerplate_questions_abstain(
    searcher: Searcher, dev_questions: list[dict]
) -> None:
    for q in dev_questions:
        result = searcher.search(q["question"], k=3, history=q.get("history", []))
        if q["kind"] in {"unanswerable", "boilerplate"}:
            assert result.abstained, q["question"]
            assert result.passages, "near misses are still returned"


def test_followup_uses_history(searcher: Searcher) -> None:
    result = searcher.search(
        "What did he accuse the United States of?",
        history=["Who is the Venezuelan defense minister?"],
    )
    assert result.query != result.question and "defense minister" in result.query
    assert "undeclared war" in result.passages[0].text


def test_dense_ranking_matches_numpy_brute_force(searcher: Searcher) -> None:
    vectors = np.asarray(searcher.stored.passage_vectors)
    query = searcher.encoder.encode(["Which countries has the gang spread to?"])[0]
    expected = list(np.argsort(-(vectors @ query), kind="stable")[:10])
    assert searcher.stored.passage_store.dense(query, 100, None)[:10] == [int(i) for i in expected]


def test_bm25_scores_match_the_formula(searcher: Searcher) -> None:
    """Lucene BM25 (k1=1.5, b=0.75, no (k1+1) factor), computed by hand over the stored passages."""
    docs = searcher.stored.documents
    texts = [docs[d].text[s:e] for d, s, e in searcher.stored.passages]
    tokens = tokenize(texts)
    question = "deportation flights from the United States"
    terms = tokenize([question])[0]
    n, avg = len(tokens), sum(map(len, tokens)) / len(tokens)
    df = Counter(t for doc in tokens for t in set(doc))
    expected = []
    for doc in tokens:
        tf = Counter(doc)
        score = 0.0
        for t in terms:
            if tf[t]:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                score += idf * tf[t] / (tf[t] + 1.5 * (1 - 0.75 + 0.75 * len(doc) / avg))
        expected.append(score)
    assert np.allclose(
        searcher.stored.passage_store.bm25.scores(question), expected, rtol=1e-4, atol=1e-5
    )


def test_reciprocal_rank_fusion_by_hand() -> None:
    fused = reciprocal_rank_fusion([[3, 1, 2], [1, 4]], k=60)
    assert fused == pytest.approx({3: 1 / 61, 1: 1 / 62 + 1 / 61, 2: 1 / 63, 4: 1 / 62})
    assert top_ids(np.array([0.1, 0.9, 0.5, 0.9]), 3) == [1, 3, 2]
    assert top_ids(np.array([0.1, 0.9, 0.5]), 2, allowed=np.array([True, False, True])) == [2, 0]


def test_filters(searcher: Searcher) -> None:
    only = searcher.search("Maduro letter", k=5, outlet="firstpost")
    assert {p.outlet for p in only.passages} == {"Firstpost"}
    dated = searcher.search(
        "Maduro letter", k=5, published_from="2025-09-23", published_to="2025-09-23"
    )
    assert {p.published for p in dated.passages} == {"2025-09-23"}
    assert searcher.search("Maduro letter", outlet="No Such Outlet").passages == []
    unnamed = searcher.search("Maduro letter", outlet="(none)", k=5).passages
    assert unnamed and {p.doc_id for p in unnamed} == {"001_6dd0d9ca4f747149"}  # no outlet


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"question": ""}, "The question is empty"),
        ({"question": "   \n\t"}, "The question is empty"),
        ({"question": "x" * 5000}, "5000 characters long; the limit is 2000"),
        ({"question": 42}, "must be text, not int"),
        ({"question": "ok", "k": 0}, "k must be from 1 to 50; got 0"),
        ({"question": "ok", "k": "3"}, "k must be a whole number"),
        ({"question": "ok", "history": "not a list"}, "history must be a list"),
        ({"question": "ok", "published_from": "yesterday"}, "published_from must be a date"),
    ],
)
def test_bad_input_is_refused_clearly(searcher: Searcher, kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        searcher.search(**kwargs)


def test_control_characters_are_neutralised(searcher: Searcher) -> None:
    result = searcher.search("Who said\x00 Maduro's letter\x1b[31m was full of lies?")
    assert "\x00" not in result.query and "\x1b" not in result.query
    assert result.passages


def test_document_lookup(searcher: Searcher) -> None:
    doc = searcher.document("003_d437317e571d7d5a")
    assert doc["outlet"] == "Firstpost" and doc["source"] == str(SEEDS / "003_d437317e571d7d5a.txt")
    with pytest.raises(InvalidInputError, match="No document with id '../etc/passwd'"):
        searcher.document("../etc/passwd")


def test_batch_equals_single(searcher: Searcher) -> None:
    questions = ["Why did Maduro write to Trump?", "Which countries has Tren de Aragua spread to?"]
    batch = searcher.answer_all(questions, SearchOptions(k=3))
    assert [r.to_dict() for r in batch] == [searcher.search(q, k=3).to_dict() for q in questions]


def test_recency_preference_keeps_the_newest_and_discounts_the_rest(searcher: Searcher) -> None:
    question = "What did Maduro write to Trump?"
    plain = {(p.doc_id, p.start): p.score for p in searcher.search(question, k=10).passages}
    recent = searcher.search(question, k=10, prefer_recent=1).passages
    newest = max(d.published for d in searcher.stored.documents if d.published)
    assert any(p.published != newest for p in recent), "the check needs older articles too"
    for p in recent:
        before = plain.get((p.doc_id, p.start))
        if before is None:
            continue
        if p.published == newest:
            assert p.score == pytest.approx(before, abs=1e-4)
        else:
            assert p.score < before
    scores = [p.score for p in recent]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("bad", [0, -3, float("nan"), "30", True])
def test_recency_half_life_must_be_a_positive_number(searcher: Searcher, bad: object) -> None:
    with pytest.raises(InvalidInputError, match="prefer_recent must be a half-life in days"):
        searcher.search("Maduro", prefer_recent=bad)  # type: ignore[arg-type]


def _cand(doc_row: int, start: int, end: int, score: float) -> Candidate:
    return Candidate(doc_row, start, end, score, score, [[start, min(end, start + 10)]])


def test_cite_merges_overlapping_and_adjacent_passages_of_one_article() -> None:
    cited = cite(
        [
            _cand(0, 443, 685, 0.9),
            _cand(0, 0, 441, 0.8),  # two characters (a paragraph break) before the first
            _cand(1, 0, 441, 0.7),  # another article
            _cand(0, 600, 800, 0.6),  # overlaps the merged passage
            _cand(0, 803, 900, 0.5),  # three characters away: a passage of its own
        ],
        k=5,
    )
    assert [(c.doc_row, c.start, c.end) for c in cited] == [(0, 0, 800), (1, 0, 441), (0, 803, 900)]
    assert cited[0].score == 0.9 and cited[0].highlights == [[443, 453]]  # the better one's


def test_a_merged_passage_keeps_the_highlight_that_gives_the_sum_asked_for() -> None:
    lede = _cand(0, 0, 300, 0.9)  # restates the question, gives no sum
    gives = replace(_cand(0, 250, 600, 0.8), highlight_gives_sum=True)
    for order in ([lede, gives], [gives, lede]):
        (merged,) = cite(order, k=2)
        assert (merged.start, merged.end, merged.score) == (0, 600, 0.9)
        assert merged.highlights == [[250, 260]] and merged.highlight_gives_sum
        assert merged.highlight_score == 0.8  # the score of the sentence highlighted
    both = cite([lede, replace(gives, highlight_gives_sum=False)], k=2)
    assert both[0].highlights == [[0, 10]]  # neither gives one: the better passage's


def test_cite_keeps_merged_passages_short_and_few_per_article() -> None:
    long = cite([_cand(0, 0, 500, 0.9), _cand(0, 502, 1000, 0.8)], k=5)
    assert [(c.start, c.end) for c in long] == [(0, 500), (502, 1000)]  # 1,000 > 900 characters
    many = [_cand(0, i * 1000, i * 1000 + 400, 1 - i / 10) for i in range(4)]
    cited = cite([*many, _cand(1, 0, 400, 0.1)], k=3)
    assert [(c.doc_row, c.start) for c in cited] == [(0, 0), (0, 1000), (1, 0)]
    assert len(cite(many, k=3)) == 3  # one article only: it may take more than two
