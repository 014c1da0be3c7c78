"""make fuzz: every mistake kind (tests/support/mutations.py) on every content page, judged by strict builds.

Prints the table kind x share handled and each mutation that is not handled;
--out writes the table (and the list) to a Markdown file. --kinds/--pages/--sample
narrow the run. The page list comes from the metadata (kb.labels.source_pages).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from support.fuzz import run, table
from support.mutations import KINDS

from kb.labels import source_pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", nargs="*", default=list(KINDS))
    parser.add_argument("--pages", nargs="*", default=None)
    parser.add_argument("--sample", type=int, default=None)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--shard", default=None, help="i/n: every n-th mutation from the i-th (one run per core)")
    args = parser.parse_args()
    pages = args.pages or source_pages()
    started = time.monotonic()

    def progress(number, total, verdict, seconds):
        mark = "ok " if verdict.handled else "NO "
        m = verdict.mutation
        print(
            f"[{number:4}/{total}] {mark}{m.kind:32} {m.docname}.md:{m.line}  {verdict.how}  ({seconds:.1f} s)",
            flush=True,
        )

    with tempfile.TemporaryDirectory(prefix="kb-fuzz-") as workdir:
        shard = tuple(int(x) for x in args.shard.split("/")) if args.shard else None
        verdicts = run(Path(workdir), pages, args.kinds, args.seed, args.sample, progress, shard)
    report = [
        f"{len(KINDS)} kinds, {len(pages)} pages, {len(verdicts)} mutations, seed {args.seed}, "
        f"{time.monotonic() - started:.0f} s",
        "",
        table(verdicts),
        "",
        "Not handled:",
        "",
    ]
    for v in verdicts:
        if not v.handled:
            m = v.mutation
            shown = "; ".join(v.messages)[:300]
            report.append(f"- {m.kind} at {m.docname}.md:{m.line}: {v.how}" + (f" ({shown})" if shown else ""))
    text = "\n".join(report) + "\n"
    print("\n" + text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
