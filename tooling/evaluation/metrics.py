"""Ranking measures computed by ir-measures (pytrec_eval underneath), never by hand.

Our rankings are ordered lists; ir-measures wants scored runs and breaks score ties by id, so
`run_from_rankings` turns each list into strictly decreasing scores that keep our order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

MISSING = "<nothing retrieved>"  # keeps a query with an empty ranking in the run, scoring 0


def run_from_rankings(rankings: Mapping[str, Sequence[str]]) -> dict[str, dict[str, float]]:
    """{query: [id best first]} -> {query: {id: score}} with scores that preserve the order."""
    run: dict[str, dict[str, float]] = {}
    for qid, ranking in rankings.items():
        unique = list(dict.fromkeys(ranking))
        run[qid] = {item: float(len(unique) - rank) for rank, item in enumerate(unique)}
        if not unique:
            run[qid] = {MISSING: 0.0}
    return run


def measure(
    rankings: Mapping[str, Sequence[str]],
    qrels: Mapping[str, Mapping[str, int]],
    names: Sequence[str],
) -> dict[str, float]:
    """Mean of each named measure (ir-measures syntax, e.g. "nDCG@10", "R@100", "RR") over qrels' queries."""
    import ir_measures

    parsed = [ir_measures.parse_measure(name) for name in names]
    judged = {q: dict(rels) for q, rels in qrels.items() if rels}
    run = run_from_rankings({q: rankings.get(q, []) for q in judged})
    totals = ir_measures.calc_aggregate(parsed, judged, run)
    return {name: float(totals[m]) for name, m in zip(names, parsed, strict=True)}
