"""Slides per teaching minute of each episode, from a real ``nnmath slides`` build.

Run:  python bench/slides_per_minute.py [--start HH:MM] [--keep DIR]

For every episode: its slides (frames, a derivation's overlays counted once), its PDF pages (every
overlay a page), its declared teaching minutes, and both per minute.  Mathematics lectures run at
about 1–2 slides per minute; an episode below :data:`LOW` or above :data:`HIGH` slides per teaching
minute is flagged.  The title and agenda slides belong to no episode and are counted apart.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

LOW, HIGH = 0.5, 3.0  # "far outside" 1–2 slides per minute


def per_episode(frames: list[dict], record: dict) -> list[dict]:
    """One row per episode: number, title, teaching minutes, slides, pages, slides and pages per minute, flag."""
    rows = []
    for e in record["episodes"]:
        mine = [f for f in frames if f["key"].startswith(f"e{e['number']:02d}/")]
        slides, pages = len(mine), sum(f["overlays"] for f in mine)
        minutes = e["teaching_minutes"]
        rate = slides / minutes if minutes else float("inf")
        flag = "" if LOW <= rate <= HIGH else ("too few" if rate < LOW else "too many")
        rows.append(
            {
                "number": e["number"],
                "title": e["title"],
                "minutes": minutes,
                "slides": slides,
                "pages": pages,
                "slides_per_minute": rate,
                "pages_per_minute": pages / minutes if minutes else float("inf"),
                "flag": flag,
            }
        )
    return rows


def table(rows: list[dict], frames: list[dict], pages: int) -> str:
    """The rows as a plain-text table, with the totals."""
    lines = [f"{'#':>2}  {'episode':<58} {'min':>4} {'slides':>6} {'pages':>6} {'sl/min':>7} {'pg/min':>7}  flag"]
    for r in rows:
        lines.append(
            f"{r['number']:>2}  {r['title'][:58]:<58} {r['minutes']:>4} {r['slides']:>6} {r['pages']:>6} "
            f"{r['slides_per_minute']:>7.2f} {r['pages_per_minute']:>7.2f}  {r['flag']}"
        )
    other = [f for f in frames if not f["key"].startswith("e")]
    minutes = sum(r["minutes"] for r in rows)
    slides = sum(r["slides"] for r in rows)
    lines.append(
        f"    {'all episodes':<58} {minutes:>4} {slides:>6} {sum(r['pages'] for r in rows):>6} {slides / minutes:>7.2f}"
    )
    lines.append(f"    + {len(other)} title and agenda slides; {len(frames)} slides, {pages} PDF pages in all")
    return "\n".join(lines)


def main() -> int:
    from nnmath.render.slides.build import build_slides, workshop_record

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="leave the PDFs here")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="nnmath-slides-bench-"))
    try:
        result = build_slides(out, start=args.start)
        pages = result.reports["slides"].pages
        assert sum(f["overlays"] for f in result.frames) == pages, "overlay count differs from the PDF's pages"
        print(table(per_episode(result.frames, workshop_record()), result.frames, pages))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for pdf in (result.slides, result.notes):
                shutil.copyfile(pdf, args.keep / pdf.name)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
