"""Precision and recall of the review-topic lexicon on the labelled sample, as the table docs/REVIEW_TOPICS.md holds.

`python -m collectors.review_topics_eval` prints the table; `--speed` also times the classifier on the
sample repeated to 100,000 texts.
"""

from __future__ import annotations

import argparse
import csv
import time
from dataclasses import dataclass
from pathlib import Path

from collectors.review_topics import DIMENSIONS, LEXICON, classify_topics

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "review_topics_sample.csv"
SPLITS = ("train", "test")


@dataclass(frozen=True)
class Example:
    """One labelled review comment of the sample."""

    source: str
    text: str
    labels: frozenset[str]
    split: str


@dataclass(frozen=True)
class Score:
    """How the lexicon did on one dimension of one split."""

    dimension: str
    split: str
    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float | None:
        """Share of the comments the lexicon flagged that carry the label (None when it flagged none)."""
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        """Share of the labelled comments the lexicon flagged (None when none carry the label)."""
        labelled = self.true_pos + self.false_neg
        return self.true_pos / labelled if labelled else None


def load_sample(path: Path = SAMPLE) -> list[Example]:
    """The labelled sample: one Example per CSV row."""
    with path.open(newline="", encoding="utf-8") as f:
        return [Example(row["source"], row["text"], frozenset(d for d in DIMENSIONS if row[d] == "1"), row["split"])
                for row in csv.DictReader(f)]


def scores(examples: list[Example], lexicon: dict[str, tuple[str, ...]] = LEXICON) -> list[Score]:
    """One Score per split and dimension, in SPLITS then DIMENSIONS order."""
    predicted = [set(classify_topics(e.text, lexicon)) for e in examples]
    out = []
    for split in SPLITS:
        pairs = [(e.labels, p) for e, p in zip(examples, predicted, strict=True) if e.split == split]
        for dim in DIMENSIONS:
            out.append(Score(dim, split,
                             true_pos=sum(dim in want and dim in got for want, got in pairs),
                             false_pos=sum(dim not in want and dim in got for want, got in pairs),
                             false_neg=sum(dim in want and dim not in got for want, got in pairs)))
    return out


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def table(examples: list[Example], lexicon: dict[str, tuple[str, ...]] = LEXICON) -> str:
    """The markdown table of precision and recall per dimension, train and held-out test side by side."""
    by_key = {(s.dimension, s.split): s for s in scores(examples, lexicon)}
    rows = {split: sum(e.split == split for e in examples) for split in SPLITS}
    lines = ["| dimension | train precision | train recall | train TP/FP/FN | test precision | test recall "
             "| test TP/FP/FN |",
             "|---|---|---|---|---|---|---|"]
    for dim in DIMENSIONS:
        cells = []
        for split in SPLITS:
            s = by_key[dim, split]
            cells += [_ratio(s.precision), _ratio(s.recall), f"{s.true_pos}/{s.false_pos}/{s.false_neg}"]
        lines.append(f"| {dim} | " + " | ".join(cells) + " |")
    lines.append(f"\n{rows['train']} train and {rows['test']} test comments.")
    return "\n".join(lines)


def speed(examples: list[Example], total: int = 100_000) -> float:
    """Comments classified per second on the sample's texts repeated to TOTAL comments."""
    texts = [e.text for e in examples]
    batch = (texts * (total // len(texts) + 1))[:total]
    start = time.perf_counter()
    for text in batch:
        classify_topics(text)
    return total / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    """Print the table (and, with --speed, the classifier's throughput)."""
    parser = argparse.ArgumentParser(prog="python -m collectors.review_topics_eval", description=__doc__)
    parser.add_argument("--speed", action="store_true", help="also time the classifier on 100,000 comments")
    args = parser.parse_args(argv)
    examples = load_sample()
    print(table(examples))
    if args.speed:
        print(f"\n{speed(examples):,.0f} comments/s (sample repeated to 100,000 texts)")


if __name__ == "__main__":
    main()
