"""Sentiment accuracy on the labelled set, per split and per language, against two baselines.

Baselines, measured in the same run on the same rows:
- majority: always the most frequent label of the dev split;
- naive word count: the same normaliser and the lexicon's single words, each counting +1 or
  -1 by its sign, label by the sign of the sum; no phrases, negation, boosters, contrast,
  expectations or question handling. The gap to it is what the rules add.

Run: .venv/bin/python -m benchmarks.sentiment_accuracy [--data tests/data/sentiment_labelled.jsonl]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from socmed_domain.monitoring.lexicon import DEFAULT
from socmed_domain.monitoring.normalise import tokenise
from socmed_domain.monitoring.sentiment import analyse

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("positive", "negative", "neutral")
LANGS = ("id", "en", "mix")
Row = dict[str, str]
Classifier = Callable[[str], str]


def load(path: Path) -> list[Row]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def socmed(text: str) -> str:
    return analyse(text).label.value


def naive_word_count(text: str) -> str:
    vocabulary = DEFAULT.vocabulary
    total = 0
    for token in tokenise(text, vocabulary):
        score = DEFAULT.terms.get(token, 0.0)
        total += (score > 0) - (score < 0)
    return "positive" if total > 0 else "negative" if total < 0 else "neutral"


def majority_of(rows: list[Row]) -> Classifier:
    label = Counter(row["label"] for row in rows).most_common(1)[0][0]
    return lambda _text: label


def confusion(rows: list[Row], predict: Classifier) -> dict[tuple[str, str], int]:
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        counts[(row["label"], predict(row["text"]))] += 1
    return dict(counts)


def accuracy(matrix: dict[tuple[str, str], int]) -> float:
    total = sum(matrix.values())
    return sum(n for (gold, guess), n in matrix.items() if gold == guess) / total if total else 0


def macro_f1(matrix: dict[tuple[str, str], int]) -> float:
    scores = []
    for label in LABELS:
        true_pos = matrix.get((label, label), 0)
        predicted = sum(n for (_, guess), n in matrix.items() if guess == label)
        actual = sum(n for (gold, _), n in matrix.items() if gold == label)
        precision = true_pos / predicted if predicted else 0.0
        recall = true_pos / actual if actual else 0.0
        scores.append(2 * precision * recall / (precision + recall) if true_pos else 0.0)
    return sum(scores) / len(scores)


def print_matrix(title: str, matrix: dict[tuple[str, str], int]) -> None:
    print(f"\n{title} (rows: gold, columns: predicted)\n")
    print("| gold \\ predicted | " + " | ".join(LABELS) + " |")
    print("|---|" + "---|" * len(LABELS))
    for gold in LABELS:
        cells = " | ".join(str(matrix.get((gold, guess), 0)) for guess in LABELS)
        print(f"| {gold} | {cells} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests/data/sentiment_labelled.jsonl")
    args = parser.parse_args()
    rows = load(args.data)
    dev = [row for row in rows if row["split"] == "dev"]
    systems: dict[str, Classifier] = {
        f"socmed (lexicon {DEFAULT.version})": socmed,
        "naive word count": naive_word_count,
        "majority (dev)": majority_of(dev),
    }
    print(f"{len(rows)} rows: {dict(Counter(row['label'] for row in rows))}")
    print("\n| split | lang | n | " + " | ".join(f"{name} acc / macro-F1" for name in systems)
          + " |")
    print("|---|---|---|" + "---|" * len(systems))
    matrices: list[tuple[str, dict[tuple[str, str], int]]] = []
    for split in ("dev", "test"):
        for lang in ("all", *LANGS):
            subset = [row for row in rows if row["split"] == split
                      and (lang == "all" or row["lang"] == lang)]
            cells = []
            for name, predict in systems.items():
                matrix = confusion(subset, predict)
                cells.append(f"{accuracy(matrix):.1%} / {macro_f1(matrix):.3f}")
                if name.startswith("socmed"):
                    matrices.append((f"socmed, {split}, {lang}", matrix))
            print(f"| {split} | {lang} | {len(subset)} | " + " | ".join(cells) + " |")
    for title, matrix in matrices:
        print_matrix(title, matrix)


if __name__ == "__main__":
    main()
