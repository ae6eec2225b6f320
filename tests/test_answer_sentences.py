"""Choosing the answering sentence: attribution parts, the kind of answer asked for, question words."""

from __future__ import annotations

import numpy as np
import pytest

from index.text.passages import passage_spans
from index.text.sentences import attributions, nested, sentence_units, split_sentences
from index.text.terms import question_terms
from qa import Searcher
from qa.query.followup import Query
from qa.rerank.answer_type import asked_kind, holds_kind, missing_kind
from qa.rerank.continuation import previous_sentences, refers_back
from qa.rerank.highlight import by_sentence, choose_highlights
from qa.rerank.ranker import FEATURES
from qa.rerank.reranker import cut_sentences
from tests.conftest import searcher_over

QUOTING = (
    "“I invite you to settle this through dialogue,” the minister wrote in a memo seen by "
    "Reuters. Officials declined to comment."
)


def _texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def _first_highlights(searcher: Searcher, question: str) -> list[str]:
    """The highlighted sentences of the first passage, which must be an answer."""
    result = searcher.search(question, k=1)
    assert not result.abstained
    first = result.passages[0]
    return _texts(searcher.document(first.doc_id)["text"], [(a, b) for a, b in first.highlights])


def test_a_quoting_sentence_yields_its_attribution() -> None:
    first = split_sentences(QUOTING)[0]
    assert _texts(QUOTING, attributions(QUOTING, *first)) == [
        "the minister wrote in a memo seen by Reuters"
    ]
    lead = 'The minister said: "We will not accept any foreign troops here." Nothing else.'
    assert _texts(lead, attributions(lead, *split_sentences(lead)[0])) == ["The minister said"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The mayor says voters were told “fake news” about the budget.",  # scare quotes
        "“We will always seek peace and dialogue,” he said.",  # too short an attribution
        "No quotation at all in this sentence, only reporting.",
    ],
)
def test_no_attribution_without_a_real_quotation_and_source(sentence: str) -> None:
    assert attributions(sentence, 0, len(sentence)) == []


def test_units_are_sentences_each_followed_by_the_parts_inside_it() -> None:
    units = np.array(sentence_units(QUOTING))
    inner = nested(units)
    assert inner.tolist() == [False, True, False]
    assert [tuple(u) for u in units[~inner]] == split_sentences(QUOTING)
    parent = units[0]
    assert parent[0] <= units[1][0] and units[1][1] <= parent[1]


def test_a_sentence_scores_as_its_best_part_and_parts_are_never_highlighted() -> None:
    units = np.array(sentence_units(QUOTING))
    # The same article's units in two overlapping passages: the second passage's first
    # sentence is not inside the first passage's sentences.
    spans = np.concatenate([units, units])
    passages = np.array([0, 0, 0, 1, 1, 1])
    kept, scores, owners = by_sentence(spans, np.array([0.4, 0.9, 0.5, 0.1, 0.2, 0.3]), passages)
    assert [tuple(s) for s in kept] == split_sentences(QUOTING) * 2
    assert scores.tolist() == [0.9, 0.5, 0.2, 0.3]
    assert owners.tolist() == [0, 0, 1, 1]
    empty = np.zeros(0, dtype=np.int64)
    assert all(len(a) == 0 for a in by_sentence(empty.reshape(0, 2), np.zeros(0), empty))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Why did the mayor write to the minister?", "reason"),
        ("What was the reason for the strike?", "reason"),
        ("When did the envoy visit Lisbon?", "time"),
        ("In what year was the treaty signed?", "time"),
        ("How many boats were struck?", "quantity"),
        ("What percentage of the vote did he win?", "quantity"),
        ("How many people died when the bridge fell?", "quantity"),  # the first asking phrase
        ("How much prize money does the award carry?", "money"),
        ("What was the production budget of the film?", "money"),
        ("How much did the price of oil increase?", "quantity"),  # a change, often a share
        ("What was the idealised value of the empire?", None),
        ("Who rejected the letter?", None),
        ("Which teams reached the final?", None),
    ],
)
def test_the_kind_of_answer_asked_for(question: str, kind: str | None) -> None:
    assert asked_kind(question) == kind


def test_which_sentences_hold_that_kind_of_answer() -> None:
    held = holds_kind(
        "reason",
        [
            "The council published a letter the mayor sent to Paris.",  # "to" before a name
            "He sent a letter asking for talks to avoid a strike.",
            "The flights stopped because of the sanctions.",
        ],
    )
    assert held.tolist() == [False, True, True]
    assert holds_kind("time", ["It happened in February.", "On 9/22 it ended.", "Later."]).tolist()[
        :2
    ] == [True, True]
    assert holds_kind(
        "quantity", ["Seven percent of it.", "About 70% of it.", "Most of it."]
    ).tolist() == [
        True,
        True,
        False,
    ]
    assert holds_kind(None, ["anything"]).tolist() == [False]


def test_a_sentence_holds_the_kind_asked_for_only_in_words_the_question_does_not_say() -> None:
    """The "third week" that restates a question about a film's third weekend holds no answer
    to "how much"; the takings do. Nor, for a "when", does a year the question names."""
    question = "How much did the film take over its third weekend at number one?"
    held = holds_kind(
        "quantity",
        [
            "The film topped the box office for the third week in a row.",
            "It made $17.1m in ticket sales from Friday to Sunday.",
            "It took three times its first weekend's sum.",  # a number word the question lacks
        ],
        question,
    )
    assert held.tolist() == [False, True, True]
    assert holds_kind(
        "time",
        ["The ban on tenders in 2005 was confirmed.", "It was first announced in March."],
        "When was the ban on 2005 tenders announced?",
    ).tolist() == [False, True]
    assert holds_kind(
        "reason",
        ["He agreed to resign.", "He agreed to resign to end the row."],
        "Why did he agree to resign?",
    ).tolist() == [False, True]


def test_a_sum_of_money_is_held_only_where_a_currency_writes_it() -> None:
    """Asked for prize money, "three British authors" holds a number but no sum; "£60,000",
    "$17.1m", "2.4 million pounds" and "6 million lira" do."""
    held = holds_kind(
        "money",
        [
            "Three British authors are on the shortlist.",
            "The new £60,000 award is open to writers of all nationalities.",
            "It made $17.1m (£8.8m) in ticket sales.",
            "The work will cost 2.4 million pounds.",
            "He could claim 6 million lira in damages.",
        ],
        "How much prize money does the new award carry?",
    )
    assert held.tolist() == [False, True, True, True, True]


def test_question_words_are_not_searched_for() -> None:
    assert question_terms("Why did the mayor write to Paris?") == ("mayor", "write", "pari")
    assert question_terms("Which news agency saw the letter?")[0] == "news"
    assert question_terms("Why?") == ()


def test_highlights_are_whole_sentences(searcher: Searcher, dev_questions: list[dict]) -> None:
    for q in dev_questions:
        for p in searcher.search(q["question"], k=5, history=q.get("history", [])).passages:
            text = searcher.document(p.doc_id)["text"]
            sentences = set(split_sentences(text))
            assert all((s, e) in sentences for s, e in p.highlights), (q["id"], p.highlights)


def test_a_passage_that_gives_no_sum_or_number_asked_for_is_missing_one() -> None:
    """`missing_kind`: a sum or a number is a condition on the answer; a vague amount counts
    as one given, and a number only the question says does not."""
    paid = "How much did the firm pay for the start-up?"
    assert missing_kind(paid, "The firm said it would buy the start-up this spring.") == "money"
    assert missing_kind(paid, "The firm paid $40m (£21m) for the start-up.") is None
    many = "How many people work at the plant's three sites?"
    assert missing_kind(many, "The plant's three sites make car parts.") == "quantity"
    assert missing_kind(many, "About 1,200 people work there.") is None
    assert missing_kind(many, "Several hundred work there, twice as many as in 2001.") is None
    assert missing_kind("How often does the council meet?", "It meets twice a year.") is None
    # times and reasons are left to the model: their answers take too many written forms
    assert missing_kind("When did the plant open?", "The plant opened after the war.") is None
    assert missing_kind("Who runs the plant?", "The plant makes car parts.") is None


def test_the_sentence_before_is_the_one_a_unit_refers_back_to() -> None:
    """`previous_sentences`: the last whole sentence ending before each unit; an attribution
    part refers back past the sentence it lies in."""
    text = 'The trust runs the docks. "We will keep every berth open," it said on Monday. It grew.'
    units = sentence_units(text)
    assert [text[a:b][:9] for a, b in units] == ["The trust", '"We will ', "it said o", "It grew."]
    other = sentence_units("A second article. Its second line.")
    # two articles' rows, interleaved as an index updated in place may hold them
    table = np.array(
        [
            (7, *units[0]),
            (3, *other[0]),
            (7, *units[1]),
            (7, *units[2]),
            (3, *other[1]),
            (7, *units[3]),
        ]
    )
    assert previous_sentences(table).tolist() == [-1, -1, 0, 0, 1, 2]
    assert previous_sentences(np.zeros((0, 3), dtype=np.int64)).tolist() == []


def test_which_sentences_refer_back() -> None:
    assert refers_back(
        [
            "It was founded in 1887.",
            "“They will stay,” she said.",
            "The company said it would appeal.",
            "The Harbour Trust runs tours.",  # names its subject
            "Italy lost.",  # "It" inside a word
            "Iteration is slow.",
        ]
    ).tolist() == [True, True, True, False, False, False]


def test_a_sentence_that_refers_back_holds_the_terms_of_the_one_before(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Asked when the trust was established, the answer says "It was founded in 1887": its
    "It" stands for the Harbour Trust named in the sentence before, so it holds those terms
    too and is the highlight, not the sentence that only names the trust."""
    searcher = searcher_over(
        tmp_path,
        {
            "trust.txt": "Harbour charity marks its anniversary\n\n"
            "The Harbour Trust is the charity that looks after the old docks and the lighthouse "
            "on the north quay. It was founded in 1887 by a group of fishermen to keep the port "
            "open in winter. Volunteers now run tours of the lighthouse every summer weekend.\n"
        },
    )
    assert _first_highlights(searcher, "When was the Harbour Trust established?") == [
        "It was founded in 1887 by a group of fishermen to keep the port open in winter."
    ]


def test_the_highlight_is_the_sentence_that_gives_the_sum_asked_for(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Asked how much the film took, the lede that restates the question scores best, but it
    gives no sum: the sentence that gives one is the answer and is highlighted."""
    searcher = searcher_over(
        tmp_path,
        {
            "film.txt": "Harbour film tops the box office\n\n"
            "The Harbour Lights film has topped the North American box office on its opening "
            "weekend, ahead of two comedies. Its story follows a lighthouse keeper and his "
            "daughter. The adventure took $21.4m between Friday and "
            "Sunday, according to studio estimates. Critics praised its lead actor.\n"
        },
    )
    highlighted = _first_highlights(
        searcher,
        "How much did the Harbour Lights film earn on its opening weekend at the box office?",
    )
    assert (
        "The adventure took $21.4m between Friday and Sunday, according to studio estimates."
        in highlighted
    )


def test_the_best_sentence_that_gives_the_sum_asked_for_is_chosen() -> None:
    spans = [(0, 10), (11, 20), (21, 30), (31, 40)]
    scores = np.array([0.9, 0.5, 0.6, 0.58])
    none = np.zeros(4, dtype=bool)
    assert choose_highlights(spans, scores, none, none) == ([[0, 10]], 0)
    gives = np.array([False, True, False, True])
    # the best that gives it, with its neighbour when that scores within the margin
    assert choose_highlights(spans, scores, gives, none) == ([[21, 30], [31, 40]], 3)
    assert choose_highlights([], np.zeros(0), np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)) == (
        [],
        -1,
    )


def test_a_question_is_never_the_highlight_while_a_statement_is_there() -> None:
    spans = [(0, 10), (11, 20), (21, 30)]
    scores = np.array([0.9, 0.88, 0.5])
    none = np.zeros(3, dtype=bool)
    asks = np.array([True, False, False])
    assert choose_highlights(spans, scores, none, asks) == ([[11, 20]], 1)  # not as a neighbour
    gives = np.array([True, False, True])  # a question that holds a sum does not answer either
    assert choose_highlights(spans, scores, gives, asks) == ([[11, 20], [21, 30]], 2)
    every = np.ones(3, dtype=bool)  # nothing but questions: the best of them
    assert choose_highlights(spans, scores, none, every) == ([[0, 10], [11, 20]], 0)


def test_a_headline_that_asks_the_question_is_not_its_answer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    searcher = searcher_over(
        tmp_path,
        {
            "bridge.txt": "Will the harbour bridge reopen before winter?\n\n"
            "Engineers finished the repairs to the harbour bridge last week. The council said on "
            "Monday that the bridge will open to traffic again on 3 November, before the first "
            "frosts. Buses will use it from the same day.\n"
        },
    )
    highlighted = _first_highlights(searcher, "Will the harbour bridge reopen before winter?")
    assert highlighted and not any(h.rstrip().endswith("?") for h in highlighted)


def test_a_sentence_that_reports_a_question_can_be_the_highlight(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """It ends with a question mark, but its attribution states: it answers "what did she
    ask?"."""
    searcher = searcher_over(
        tmp_path,
        {
            "letter.txt": "Minister writes to the harbour council\n\n"
            "The council met on Tuesday to discuss the bridge repairs. The minister asked in a "
            'letter seen by Reuters: "Why should taxpayers pay for the harbour bridge?" The '
            "council has not replied. Work on the bridge is due to start in May.\n"
        },
    )
    assert _first_highlights(searcher, "What did the minister ask in her letter?") == [
        'The minister asked in a letter seen by Reuters: "Why should taxpayers pay for the '
        'harbour bridge?"'
    ]


CUT_STORY = (
    "Port Ellis harbour history\n\n"
    "The harbour at Port Ellis was dredged in 1911 and again in 1958, when the old stone quay "
    "was rebuilt in granite and the lighthouse keeper's cottage was turned into a small museum "
    "about the fishing fleet and the storms that wrecked it. "
    "In 1962, after a long and bitter debate between the harbour commissioners and the island "
    "council about who would pay for the work, the fleet of the U.S. "
    "Navy moved its submarine base from the harbour to Kestrel Sound on the northern island, "
    "where the deep water let the boats leave at any tide and where it stayed for thirty years. "
    "Ferries to the mainland still leave from the old quay every morning at seven, and in "
    "summer a second boat sails at noon for the visitors who come to see the seals.\n"
)
CUT_SENTENCE = CUT_STORY[CUT_STORY.index("In 1962") : CUT_STORY.index(" Ferries")]


def test_a_sentence_the_passages_cut_apart_is_scored_highlighted_and_quoted_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The passages are cut after "U.S." (a full stop and a space), the sentence goes on, and
    the cut is too far into the sentence for the passages' overlap to repeat it: no passage
    holds the sentence. It still answers, highlighted and quoted whole."""
    passages = passage_spans(CUT_STORY.rstrip("\n"), size=500, overlap=100)
    start = CUT_STORY.index(CUT_SENTENCE)
    assert not any(a <= start and start + len(CUT_SENTENCE) <= b for a, b in passages)

    searcher = searcher_over(tmp_path, {"harbour.txt": CUT_STORY})
    result = searcher.search("Where did the US Navy move its submarine base in 1962?", k=1)
    assert not result.abstained
    first = result.passages[0]
    assert _first_highlights(
        searcher, "Where did the US Navy move its submarine base in 1962?"
    ) == [CUT_SENTENCE]
    assert CUT_SENTENCE in first.text


def test_each_sentence_no_passage_holds_goes_to_the_passage_holding_most_of_it() -> None:
    # document row, start, end: two articles' passages, not in document order
    passages = np.array([[1, 0, 100], [0, 0, 50], [0, 40, 90], [1, 90, 200]])
    sentences = np.array(
        [
            [0, 0, 30],  # inside the first passage of article 0
            [0, 35, 48],  # inside both of its passages (the overlap)
            [0, 45, 95],  # past the end of every passage: held mostly by [40, 90)
            [1, 60, 130],  # cut: 40 characters in [0, 100), 40 in [90, 200): the first
            [1, 95, 180],  # inside the second passage of article 1
            [1, 150, 260],  # runs past the article's last passage, which holds most of it
        ]
    )
    cut = cut_sentences(sentences, passages)
    assert {p: rows.tolist() for p, rows in cut.items()} == {2: [2], 0: [3], 3: [5]}
    assert cut_sentences(sentences[:0], passages) == {}


def test_word_pairs_raise_the_passage_but_leave_its_highlight_and_confidence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The question's word pairs ("harbour fees", "fees rise") held close together order
    passages; the highlight and the abstention's evidence are scored without them."""
    searcher = searcher_over(
        tmp_path,
        {
            "port.txt": "Port news in brief\n\nThe port confirmed on Friday that harbour fees "
            "will rise this spring. The new charges take effect on 1 April. A new ferry starts "
            "in May.\n"
        },
    )
    weights = searcher.reranker.ranker.weights
    pairs = FEATURES.index("pair_share")
    assert weights[pairs] > 0
    with_pairs = searcher.search("When do harbour fees rise?", k=1)
    weights[pairs] = 0.0  # this searcher's own ranker, loaded for this test
    without = searcher.search("When do harbour fees rise?", k=1)
    assert with_pairs.passages[0].score > without.passages[0].score
    assert with_pairs.passages[0].highlights == without.passages[0].highlights
    assert with_pairs.confidence == without.confidence
    assert not with_pairs.abstained


def test_a_follow_up_leaning_on_the_conversation_is_reranked_without_word_pairs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A follow-up's own words ("is it increasing its fees?") lack the subject they refer
    to, so their word pairs would favour the same phrase about anything else: when the words
    searched are not the question's own, the passages are ordered as with no pair weight."""
    searcher = searcher_over(
        tmp_path,
        {
            "port.txt": "Port news in brief\n\nThe port confirmed on Friday that harbour fees "
            "will rise this spring. The new charges take effect on 1 April.\n",
            "club.txt": "Sailing club news\n\nThe sailing club is increasing its fees for "
            "moorings this year, members were told.\n",
        },
    )
    own, searched = "Is it increasing its fees?", "Is it increasing its fees? harbour port"
    vectors = searcher.encoder.encode([searched, own], progress=False)

    def scores(words: str, vector: np.ndarray) -> dict[str, float]:
        ranked = searcher.reranked(Query(words, own), vector)
        return {searcher.stored.documents[c.doc_row].doc_id: c.score for c in ranked}

    follow_up, alone = scores(searched, vectors[0]), scores(own, vectors[1])
    searcher.reranker.ranker.weights[FEATURES.index("pair_share")] = 0.0  # its own ranker
    assert follow_up == scores(searched, vectors[0])  # as with no pair weight
    club = next(d for d in alone if "club" in d)
    assert alone[club] > scores(own, vectors[1])[club]  # asked alone, the pairs count
