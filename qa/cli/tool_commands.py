"""The tooling commands: eval, bench and calibrate (they need the [eval] or [bench] extras)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import QAError

if TYPE_CHECKING:
    from tooling.evaluation.as_user import Judged

# What each extra brings that its commands import.
_EXTRAS = {"eval": ("ir_measures", "sklearn"), "bench": ("langchain_community",)}


def _needs(extra: str, command: str) -> None:
    """A one-line error naming the install when the command's extra is missing."""
    import importlib.util

    missing = [m for m in _EXTRAS[extra] if importlib.util.find_spec(m) is None]
    if missing:
        raise QAError(
            f"qa {command} needs the [{extra}] extra ({missing[0]} is not installed). "
            f"Install it with: pip install -e '.[{extra}]'"
        )


def evaluate(args: argparse.Namespace) -> int:
    _needs("eval", "eval")
    from dataclasses import asdict, replace

    from qa.searcher import Searcher
    from tooling.evaluation import datasets
    from tooling.evaluation.report import format_table
    from tooling.evaluation.runner import evaluate, open_index

    if args.whole_articles and not args.as_files:
        raise QAError("--whole-articles goes with --as-files.")
    qset = datasets.load(args.dataset, args.format, whole_articles=args.whole_articles)
    if args.limit is not None:
        if args.limit < 1:
            raise QAError(f"--limit must be at least 1; got {args.limit}.")
        qset = replace(qset, questions=qset.questions[: args.limit])
    if args.reference and (qset.format != "questions" or args.as_files):
        raise QAError("--reference goes with a .jsonl question set, without --as-files.")
    if args.against and (qset.format == "questions") == args.as_files:
        raise QAError(
            "--against goes with a .jsonl question set, or a BEIR or SQuAD set with --as-files."
        )
    earlier = _earlier_outcomes(Path(args.against)) if args.against else None
    if args.as_files:
        from tooling.evaluation.as_user import Judged
        from tooling.evaluation.ingested import evaluate_ingested, format_ingested, open_ingested

        searcher, stems = open_ingested(qset, Path(args.work), model=args.model)
        figures = evaluate_ingested(qset, searcher, stems)
        print(format_ingested(qset.name, figures))
        if earlier is not None:
            judged = [Judged(**row) for row in figures["judged"]]
            figures["changed"] = _changes(earlier, judged, args.against)
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        return 0
    if args.index and qset.documents is None:
        searcher = Searcher.load(args.index)
    else:
        searcher = open_index(qset, Path(args.work), corpus=args.corpus, model=args.model)
    result = evaluate(
        qset, searcher, modes=args.modes, progress=lambda m: print(m, file=sys.stderr)
    )
    if args.reference:
        from tooling.evaluation.as_user import paired, summarise
        from tooling.evaluation.reference import reference_judged

        print(f"{qset.name}: the reference stack", file=sys.stderr)
        reference = reference_judged(qset, args.corpus, Path(args.work))
        result.details["reference"] = summarise(reference)
        result.details["paired"] = paired(result.judged, reference)
        result.details["reference_judged"] = [asdict(j) for j in reference]
    print(format_table(result))
    if earlier is not None:
        result.details["changed"] = _changes(earlier, result.judged, args.against)
    if args.json:
        Path(args.json).write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    return 0


def _changes(earlier: list[dict[str, Any]], judged: list[Judged], since: str) -> dict[str, Any]:
    """Print the questions whose outcome changed since an earlier run; the same for --json."""
    from tooling.evaluation.as_user import changed
    from tooling.evaluation.report import format_changed

    rows = changed(earlier, judged)
    compared = len({row["qid"] for row in earlier} & {j.qid for j in judged})
    print("\n" + format_changed(rows, since, compared))
    return {"since": since, "questions": [list(r) for r in rows]}


def _earlier_outcomes(path: Path) -> list[dict[str, Any]]:
    """The per-question rows of an earlier `qa eval --json` run, checked before measuring."""
    from dataclasses import fields

    from tooling.evaluation.as_user import Judged

    try:
        rows = json.loads(path.read_text(encoding="utf-8")).get("judged")
    except FileNotFoundError:
        raise QAError(f"--against {path}: no such file.") from None
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as error:
        raise QAError(f"--against {path}: not the JSON of a qa eval run ({error}).") from None
    needed = {f.name for f in fields(Judged)}
    if not rows or not all(isinstance(r, dict) and needed <= set(r) for r in rows):
        raise QAError(
            f"--against {path}: holds no per-question rows; write it with "
            "qa eval QUESTIONS.jsonl --json FILE."
        )
    return [{name: r[name] for name in needed} for r in rows]


def bench(args: argparse.Namespace) -> int:
    _needs("bench", "bench")

    from tooling.benchmark.report import format_report
    from tooling.benchmark.run import run_bench

    corpus, rounds, questions, limit = args.corpus, args.rounds, args.questions, args.limit
    sizes, scale = args.sizes, args.pipeline_sizes
    if args.quick:
        corpus, rounds, questions, limit = ["bbc"], 1, 40, limit or 200
        sizes, scale = [100_000], [20_000]
    if rounds < 1 or questions < 1:
        raise QAError("--rounds and --questions must be at least 1.")
    results = run_bench(
        corpus,
        shared=Path(args.shared),
        rounds=rounds,
        questions=questions,
        limit=limit,
        sizes=sizes,
        pipeline_sizes=scale,
        scale_out=args.scale_out,
        milvus_uri=args.milvus_uri,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )
    command = "qa bench " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "qa bench"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = format_report(results, command)
    (out / "report.md").write_text(report, encoding="utf-8")
    (out / "report.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report)
    return 0


def calibrate(args: argparse.Namespace) -> int:
    _needs("eval", "calibrate")

    from index.config import ABSTENTION_FILE
    from tooling.evaluation import datasets
    from tooling.evaluation.calibrate import calibrate
    from tooling.evaluation.runner import open_index

    qset = datasets.load(args.dataset, "squad")
    searcher = open_index(qset, Path(args.work))
    result = calibrate(
        qset, searcher, per_side=args.per_side, progress=lambda m: print(m, file=sys.stderr)
    )
    out = Path(args.out) if args.out else ABSTENTION_FILE
    out.write_text(json.dumps(result.settings, indent=2) + "\n", encoding="utf-8")
    held = result.held_out
    print(
        f"Abstention on held-out questions: precision {held['precision']:.3f}, "
        f"recall {held['recall']:.3f}, false abstention {held['false_abstention']:.3f}. "
        f"Wrote {out}; new indexes use it."
    )
    return 0
