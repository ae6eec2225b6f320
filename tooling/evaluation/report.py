"""One table per evaluation: the four retrieval modes side by side."""

from __future__ import annotations

from tooling.evaluation.runner import LABELS, Evaluation

MODE_NAMES = {
    "dense": "dense only",
    "bm25": "BM25 only",
    "fused": "fused (RRF)",
    "full": "full pipeline",
}
EXTRA_LABELS = {
    "highlight": "highlight",
    "abstention": "abstain",
    "false_abstention": "false abstain",
}


def format_table(evaluation: Evaluation) -> str:
    columns: list[str] = []
    for row in evaluation.rows.values():
        columns += [c for c in row if c not in columns]
    headers = ["mode"] + [LABELS.get(c, EXTRA_LABELS.get(c, c)) for c in columns]
    lines = [
        f"{evaluation.name} ({evaluation.format}, {evaluation.questions} questions, "
        f"{evaluation.seconds:.0f}s)",
        "| " + " | ".join(headers) + " |",
        "|" + "|".join(["---"] + ["---:"] * len(columns)) + "|",
    ]
    for mode, row in evaluation.rows.items():
        cells = [MODE_NAMES.get(mode, mode)] + [_cell(row.get(c)) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    if "as_user" in evaluation.details:
        lines += ["", format_as_user(evaluation.details["as_user"])]
    if "reference" in evaluation.details:
        lines += ["", format_as_user(evaluation.details["reference"], "the reference stack")]
    if "paired" in evaluation.details:
        lines += ["", format_paired(evaluation.details["paired"])]
    return "\n".join(lines)


def format_paired(figures: dict[str, dict]) -> str:
    """Question by question against the reference stack: is the difference more than noise?"""
    lines = [
        "question by question against the reference stack (exact McNemar test):",
        "| measure | questions | only ours | only the reference | p-value |",
        "|---|---:|---:|---:|---:|",
    ]
    for measure, row in figures.items():
        lines.append(
            f"| {measure} | {row['questions']} | {row['only_ours']} | {row['only_theirs']} "
            f"| {row['p_value']:.3f} |"
        )
    return "\n".join(lines)


def format_changed(rows: list[tuple[str, str, str, str]], earlier: str, compared: int) -> str:
    """The questions whose outcome changed since an earlier run (as_user.changed)."""
    lines = [f"{len(rows)} of {compared} questions changed since {earlier}{':' if rows else '.'}"]
    if rows:
        lines += ["| question | kind | before | now |", "|---|---|---|---|"]
        lines += [f"| {qid} | {kind} | {before} | {now} |" for qid, kind, before, now in rows]
    return "\n".join(lines)


AS_USER_COLUMNS = ("hit@1", "hit@3", "highlight", "false_abstention", "abstention")


def format_as_user(figures: dict[str, dict], who: str = "through Searcher.search") -> str:
    """Per kind of question, as `Searcher.search` answered (an abstained answer is no hit)."""
    lines = [
        f"{who}, per kind:",
        "| kind | questions | "
        + " | ".join(EXTRA_LABELS.get(c, c) for c in AS_USER_COLUMNS)
        + " |",
        "|---|---:|" + "---:|" * len(AS_USER_COLUMNS),
    ]
    for kind, row in figures.items():
        cells = [kind, str(row["questions"])] + [_cell(row[c]) for c in AS_USER_COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
