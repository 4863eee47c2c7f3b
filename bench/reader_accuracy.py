"""起草辅助's accuracy (issue 13): on the five documents' sentences that the policy catalog encodes, how many of
the catalog's amounts, groups and thresholds the reader proposes (precision and recall per kind), and what it
misses or adds. The gold is read from the catalog's parsed rules (rencai/workbench/reader/accuracy.py), never
typed by hand.

    .venv/bin/python bench/reader_accuracy.py            # the figures, the misses and the additions
    .venv/bin/python bench/reader_accuracy.py --quiet    # the figures only
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KIND_NAMES = {"amounts": "数额（金额、面积、月数、比例）", "groups": "对象（学历、类别、等级…）",
              "thresholds": "界限（年龄、毕业年限…）", "exclusive": "不可兼得"}


def report(scores) -> list[str]:
    lines = [f"{'kind':<12} {'right':>6} {'proposed':>9} {'gold':>5} {'precision':>10} {'recall':>7}"]
    for kind, score in scores.items():
        lines.append(f"{kind:<12} {score.right:>6} {score.proposed:>9} {score.gold:>5} {score.precision:>10.3f} "
                     f"{score.recall:>7.3f}   {KIND_NAMES[kind]}")
    amounts = scores["amounts"]
    lines.append(f"amounts added that the catalog states only in words (a programme's screening text): "
                 f"{amounts.in_words}; precision counting them right: {amounts.precision_with_words:.3f}")
    return lines


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
    import django

    django.setup()
    from rencai.workbench.reader.accuracy import measure

    started = time.perf_counter()
    scores, passages = measure()
    seconds = time.perf_counter() - started
    print(f"{len(passages)} passages (sentences of one or more catalog policies) over the five documents; "
          f"{seconds:.2f} s")
    print("\n".join(report(scores)))
    if not args.quiet:
        for kind, score in scores.items():
            for who, item in score.misses:
                print(f"  missed {kind}: {who}: {item}")
            for who, item in score.extras:
                print(f"  added  {kind}: {who}: {item}")
    return scores


if __name__ == "__main__":
    main()
