"""`qa eval` and `qa calibrate`: measures pinned to ir-measures and to hand-worked values."""

from __future__ import annotations

import json
import math
from pathlib import Path

import ir_measures
import pytest

from index.errors import InvalidInputError
from qa import Searcher
from qa.abstain import AbstentionModel
from tooling.evaluation import datasets
from tooling.evaluation.calibrate import calibrate
from tooling.evaluation.metrics import measure, run_from_rankings
from tooling.evaluation.runner import evaluate, open_index

from .conftest import DEV_SET, needs_shared

RANKINGS = {"q1": ["d1", "d2", "d3"], "q2": ["d3", "d1"], "q3": []}
QRELS = {"q1": {"d2": 1}, "q2": {"d3": 1, "d4": 1}, "q3": {"d9": 1}}


def test_measures_match_hand_worked_values() -> None:
    got = measure(RANKINGS, QRELS, ["nDCG@10", "RR", "R@100", "Success@1", "Success@3"])
    ndcg_q1 = 1 / math.log2(3)
    ndcg_q2 = 1 / (1 + 1 / math.log2(3))
    assert got["nDCG@10"] == pytest.approx((ndcg_q1 + ndcg_q2 + 0) / 3)
    assert got["RR"] == pytest.approx((0.5 + 1 + 0) / 3)
    assert got["R@100"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert got["Success@1"] == pytest.approx(1 / 3)
    assert got["Success@3"] == pytest.approx(2 / 3)


def test_measures_match_the_reference_library_called_directly() -> None:
    names = ["nDCG@10", "RR", "R@100", "P@1"]
    parsed = [ir_measures.parse_measure(n) for n in names]
    run = {q: {d: 1.0 / (r + 1) for r, d in enumerate(ds)} for q, ds in RANKINGS.items()}
    direct = ir_measures.calc_aggregate(parsed, QRELS, run)
    ours = measure(RANKINGS, QRELS, names)
    for name, m in zip(names, parsed, strict=True):
        assert ours[name] == pytest.approx(direct[m]), name


def test_our_order_survives_ids_that_sort_the_other_way() -> None:
    # Equal scores would let the library break the tie by id and put "a" first.
    assert measure({"q": ["b", "a"]}, {"q": {"a": 1}}, ["RR"])["RR"] == pytest.approx(0.5)
    run = run_from_rankings({"q": ["z", "y", "z"]})
    assert list(run["q"]) == ["z", "y"] and run["q"]["z"] > run["q"]["y"]


def test_a_question_with_nothing_retrieved_counts_as_zero() -> None:
    assert measure({"q": []}, {"q": {"a": 1}}, ["RR"])["RR"] == 0.0


def _dev_set() -> datasets.QuestionSet:
    needs_shared(DEV_SET)
    return datasets.load(DEV_SET)


def test_dev_evaluation_agrees_with_search(searcher: Searcher) -> None:
    qset = _dev_set()
    result = evaluate(qset, searcher)
    assert list(result.rows) == ["dense", "bm25", "fused", "full"]
    answerable = [q for q in qset.questions if q.answerable]
    hits_at_1 = hits_at_3 = 0
    for q in answerable:
        passages = searcher.search(q.text, k=3, history=list(q.history)).passages
        found = [any(p.doc_id == d and s in p.text for d, s in q.contains) for p in passages]
        hits_at_1 += found[0]
        hits_at_3 += any(found)
    full = result.rows["full"]
    assert full["Success@1"] == pytest.approx(hits_at_1 / len(answerable))
    assert full["Success@3"] == pytest.approx(hits_at_3 / len(answerable))
    should = [q for q in qset.questions if not q.answerable]
    abstained = sum(searcher.search(q.text, k=1).abstained for q in should)
    assert full["abstention"] == pytest.approx(abstained / len(should))
    assert full["highlight"] is not None and 0 <= full["highlight"] <= 1
    assert result.rows["dense"]["highlight"] is None

    rows = json.loads(json.dumps(result.to_dict()))["judged"]  # what --json writes, per question
    assert [r["qid"] for r in rows] == [q.qid for q in qset.questions]
    for q, row in zip(qset.questions, rows, strict=True):
        answer = searcher.search(q.text, history=list(q.history))
        assert (row["abstained"], row["query"]) == (answer.abstained, answer.query)


def _write_beir(folder: Path) -> Path:
    (folder / "qrels").mkdir(parents=True)
    docs = {
        "a": ("Volcanoes", "Mount Etna erupted again on Sunday, covering Catania in ash."),
        "b": ("Football", "The cup final ended two to one after extra time in Madrid."),
        "c": ("Bread", "Sourdough bread rises slowly because wild yeast ferments the dough."),
    }
    (folder / "corpus.jsonl").write_text(
        "".join(json.dumps({"_id": k, "title": t, "text": x}) + "\n" for k, (t, x) in docs.items())
    )
    queries = {"1": "Which volcano covered Catania in ash?", "2": "Why does sourdough rise slowly?"}
    (folder / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": k, "text": v}) + "\n" for k, v in queries.items())
    )
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n1\ta\t1\n2\tc\t1\n")
    return folder


def test_beir_folder_is_read_and_scored(tmp_path: Path) -> None:
    qset = datasets.load(_write_beir(tmp_path / "tiny"))
    assert qset.format == "beir" and len(qset.questions) == 2 and len(qset.documents or []) == 3
    assert qset.documents and qset.documents[0].text.startswith("Volcanoes\n\nMount Etna")
    result = evaluate(qset, open_index(qset, tmp_path / "work"))
    for mode in ("dense", "bm25", "fused", "full"):
        assert result.rows[mode]["nDCG@10"] == pytest.approx(1.0), mode


def _squad(articles: list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]) -> dict:
    return {
        "version": "1.1",
        "data": [
            {
                "title": title,
                "paragraphs": [
                    {
                        "context": context,
                        "qas": [
                            {
                                "id": f"{title}-{p}-{n}",
                                "question": question,
                                "answers": [
                                    {"text": answer, "answer_start": context.index(answer)}
                                ],
                            }
                            for n, (question, answer) in enumerate(qas)
                        ],
                    }
                    for p, (context, qas) in enumerate(paragraphs)
                ],
            }
            for title, paragraphs in articles
        ],
    }


SQUAD_ARTICLES = [
    (
        "Harbour",
        [
            (
                "The old harbour was dredged in 1911. Fishing boats moved to the new pier in 1962. "
                "Ferries to the islands leave every morning at seven.",
                [
                    ("When was the harbour dredged?", "1911"),
                    ("When do the ferries leave?", "seven"),
                ],
            )
        ],
    ),
    (
        "Orchard",
        [
            (
                "The orchard grows twelve kinds of apple. Its cider won a national prize in 2004. "
                "Frost in April destroyed half the blossom last year.",
                [
                    ("What prize did the cider win?", "a national prize"),
                    ("What destroyed the blossom?", "Frost in April"),
                ],
            )
        ],
    ),
]


def test_squad_highlight_accuracy_is_judged_on_top_one_hits(tmp_path: Path) -> None:
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(_squad(SQUAD_ARTICLES)))
    qset = datasets.load(path)
    assert qset.format == "squad" and len(qset.questions) == 4
    assert qset.questions[0].relevant == {"0-0": 1} and qset.questions[0].answers == ("1911",)
    result = evaluate(qset, open_index(qset, tmp_path / "work"))
    full = result.rows["full"]
    assert full["Success@1"] == pytest.approx(1.0)
    assert full["highlight"] == pytest.approx(1.0)  # each answer's own sentence is the best one


MORE_ARTICLES = [
    (
        "Glacier",
        [
            (
                "The glacier retreated four hundred metres since 1990. Meltwater feeds the valley's "
                "hydroelectric dam. Climbers now reach the summit hut by a steel ladder.",
                [
                    ("How far has the glacier retreated?", "four hundred metres"),
                    ("What does the meltwater feed?", "hydroelectric dam"),
                    ("How do climbers reach the summit hut?", "steel ladder"),
                ],
            )
        ],
    ),
    (
        "Library",
        [
            (
                "The city library lends telescopes to members. Its reading room seats two hundred "
                "people. A fire in 1887 burned the original manuscripts.",
                [
                    ("What does the library lend?", "telescopes"),
                    ("How many people does the reading room seat?", "two hundred"),
                    ("What burned the original manuscripts?", "A fire in 1887"),
                ],
            )
        ],
    ),
    (
        "Railway",
        [
            (
                "The mountain railway climbs with a rack and pinion. Steam engines were replaced by "
                "electric ones in 1934. The line closes each winter because of avalanches.",
                [
                    ("How does the mountain railway climb?", "rack and pinion"),
                    ("When were the steam engines replaced?", "1934"),
                    ("Why does the line close in winter?", "avalanches"),
                ],
            )
        ],
    ),
    (
        "Beekeeping",
        [
            (
                "Beekeepers smoke the hive to calm the colony. A strong hive makes thirty kilograms "
                "of honey a season. Varroa mites are the worst threat to the bees.",
                [
                    ("Why do beekeepers smoke the hive?", "to calm the colony"),
                    ("How much honey does a strong hive make?", "thirty kilograms"),
                    ("What is the worst threat to the bees?", "Varroa mites"),
                ],
            )
        ],
    ),
]


def test_squad_read_as_whole_articles_is_one_file_per_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qa.cli import main

    two_paragraphs = (
        "Harbour",
        [
            SQUAD_ARTICLES[0][1][0],
            (
                "A storm in 1953 wrecked the harbour wall. It was rebuilt in granite by 1958.",
                [("What was the harbour wall rebuilt in?", "granite")],
            ),
        ],
    )
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(_squad([two_paragraphs, *SQUAD_ARTICLES[1:], *MORE_ARTICLES])))
    qset = datasets.load(path, whole_articles=True)
    assert len(qset.documents or []) == 6
    harbour = (qset.documents or [])[0]
    assert harbour.doc_id == "0" and harbour.text == (
        f"{SQUAD_ARTICLES[0][1][0][0]}\n\n{two_paragraphs[1][1][0]}"
    )
    assert [q.relevant for q in qset.questions[:3]] == [{"0": 1}] * 3
    assert qset.name != datasets.load(path).name  # each reading keeps its own index

    out = tmp_path / "figures.json"
    command = ["eval", str(path), "--as-files", "--whole-articles"]
    assert main([*command, "--work", str(tmp_path / "work"), "--json", str(out)]) == 0
    written = sorted((tmp_path / "work").glob("*/files/*.txt"))
    assert len(written) == 6
    assert written[0].read_text(encoding="utf-8") == f"Harbour\n\n{harbour.text}\n"
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["questions"] == 17
    assert figures["ranking"]["Success@1"] == pytest.approx(1.0)
    assert figures["answer in first passage"] == pytest.approx(1.0)
    assert figures["highlight@1"] == pytest.approx(1.0)  # each answer's own sentence is the best
    rows = figures["judged"]  # per question: the answer cited first, inside the highlight
    assert [r["qid"] for r in rows] == [q.qid for q in qset.questions]
    assert {(r["kind"], r["rank"], r["highlighted"], r["abstained"]) for r in rows} == {
        ("squad", 1, True, False)
    }

    with pytest.raises(InvalidInputError, match="from a SQuAD file"):
        datasets.load(_write_beir(tmp_path / "tiny"), whole_articles=True)
    assert main(["eval", str(path), "--whole-articles"]) == 1
    assert "--whole-articles goes with --as-files" in capsys.readouterr().err


def test_calibration_fits_a_model_the_searcher_can_use(tmp_path: Path) -> None:
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(_squad(SQUAD_ARTICLES + MORE_ARTICLES)))
    qset = datasets.load(path)
    searcher = open_index(qset, tmp_path / "work")
    result = calibrate(qset, searcher, per_side=6)
    model = AbstentionModel.from_settings(result.settings)
    assert result.settings["fitted_on"]["questions_fitted"] == 6
    assert set(result.held_out) == {"precision", "recall", "false_abstention"}
    assert all(0.0 <= v <= 1.0 for v in result.held_out.values())
    assert model.w_sentence > 0, "a better matching sentence must make an answer more likely"


def test_unknown_formats_and_bad_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="Cannot tell the format"):
        datasets.load(tmp_path / "x.csv") if (tmp_path / "x.csv").write_text("a") else None
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"question": "ok", "answers": []}\nnot json\n')
    with pytest.raises(InvalidInputError, match=r"q.jsonl:2: not a question record"):
        datasets.load(bad)
    with pytest.raises(InvalidInputError, match="not a BEIR one"):
        datasets.load(tmp_path)
    with pytest.raises(InvalidInputError, match="No such file"):
        datasets.load(tmp_path / "missing.json")


def test_a_beir_set_is_scored_from_its_corpus_written_as_files(tmp_path: Path) -> None:
    from qa.cli import main

    folder = _write_beir(tmp_path / "tiny")
    out = tmp_path / "figures.json"
    assert (
        main(
            [
                "eval",
                str(folder),
                "--as-files",
                "--work",
                str(tmp_path / "work"),
                "--json",
                str(out),
            ]
        )
        == 0
    )
    written = {
        p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "work").glob("*/files/*.txt")
    }
    assert (
        written["a.txt"]
        == "Volcanoes\n\nMount Etna erupted again on Sunday, covering Catania in ash.\n"
    )
    assert len(written) == 3
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["questions"] == 2
    assert figures["ranking"]["nDCG@10"] == pytest.approx(1.0)
    assert [(r["qid"], r["kind"], r["rank"], r["highlighted"]) for r in figures["judged"]] == [
        ("1", "beir", 1, None),  # no answer string: nothing to find in a highlight
        ("2", "beir", 1, None),
    ]
    assert figures["ranking"]["Success@1"] == pytest.approx(1.0)


def test_a_run_lists_the_questions_whose_outcome_changed_since_an_earlier_one(
    seed_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from qa.cli import main

    needs_shared(DEV_SET)
    earlier = tmp_path / "earlier.json"
    command = ["eval", str(DEV_SET), "--index", str(seed_index), "--modes", "full", "--limit", "4"]
    assert main([*command, "--json", str(earlier)]) == 0
    assert main([*command, "--against", str(earlier)]) == 0
    assert f"0 of 4 questions changed since {earlier}" in capsys.readouterr().out

    written = json.loads(earlier.read_text(encoding="utf-8"))
    row = written["judged"][2]
    row["abstained"] = not row["abstained"]  # as if that run had answered the other way
    earlier.write_text(json.dumps(written), encoding="utf-8")
    assert main([*command, "--against", str(earlier), "--json", str(tmp_path / "now.json")]) == 0
    out = capsys.readouterr().out
    assert f"1 of 4 questions changed since {earlier}" in out
    listed = [line for line in out.splitlines() if line.startswith(f"| {row['qid']} |")]
    assert len(listed) == 1 and listed[0].count("abstained") == 1
    now = json.loads((tmp_path / "now.json").read_text(encoding="utf-8"))
    assert [q[0] for q in now["details"]["changed"]["questions"]] == [row["qid"]]

    (tmp_path / "figures.json").write_text('{"ranking": {}}', encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    refused = {
        "missing.json": "no such file",
        "figures.json": "holds no per-question rows",
        "broken.json": "not the JSON of a qa eval run",
    }
    for name, message in refused.items():
        assert main([*command, "--against", str(tmp_path / name)]) == 1
        assert message in capsys.readouterr().err
    beir = _write_beir(tmp_path / "tiny")
    assert main(["eval", str(beir), "--against", str(earlier)]) == 1
    assert "or a BEIR or SQuAD set with --as-files" in capsys.readouterr().err
    work = ["--as-files", "--work", str(tmp_path / "work")]
    assert main(["eval", str(beir), *work, "--json", str(tmp_path / "beir.json")]) == 0
    assert main(["eval", str(beir), *work, "--against", str(tmp_path / "beir.json")]) == 0
    assert f"0 of 2 questions changed since {tmp_path / 'beir.json'}." in capsys.readouterr().out
