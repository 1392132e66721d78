"""`content import` reading (socmed_domain.production.bulk_import.read_import): whatever rows
and whichever cells are spoiled, every spoiled cell is named by its row and column, and no
other problem is reported; a file without spoiled cells reads into one draft per row."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from socmed_adapters.twitter_text import wired_rules
from socmed_domain.production.bulk_import import read_import
from socmed_domain.production.quality import ContentPolicy

RULES = wired_rules()
HEADER = ["title", "text", "platforms", "type", "planned_for", "sponsored", "caption_x"]
#: A spoiled value per column, each refused on its own.
SPOILED = {"title": "", "platforms": "myspace", "type": "podcast",
           "planned_for": "31-12-2026", "sponsored": "maybe",
           "text": "Dijamin 100% cair", "caption_x": "x" * 400}

#: Columns whose spoiled value is readable: the automatic checks find it.
CHECKED = frozenset({"text", "caption_x"})


def _row(n: int) -> dict[str, str]:
    return {"title": f"Post {n}", "text": f"Info produk {n}", "platforms": "x linkedin",
            "type": "text", "planned_for": "2026-12-20", "sponsored": "no",
            "caption_x": ""}


@settings(max_examples=60, deadline=None)
@given(count=st.integers(1, 40), spoil=st.data())
def test_every_spoiled_cell_is_named_and_nothing_else(count: int, spoil: st.DataObject) -> None:
    rows = [_row(n) for n in range(count)]
    chosen = spoil.draw(st.sets(st.tuples(st.integers(0, count - 1),
                                          st.sampled_from(sorted(SPOILED))), max_size=5))
    by_row: dict[int, str] = {}
    for index, column in sorted(chosen):
        if index not in by_row:  # one spoiled cell per row: each row has one problem
            by_row[index] = column
            rows[index][column] = SPOILED[column]
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    report = read_import(out.getvalue(), ContentPolicy(), RULES)
    named = {(p.row, p.column) for p in report.problems}
    assert named == {(index + 2, column) for index, column in by_row.items()}, [
        (p.row, p.column, p.message()) for p in report.problems]
    # a row a check finds wrong is read (and listed) but is a problem all the same
    found = {i for i, column in by_row.items() if column in CHECKED}
    assert len(report.rows) == count - len(by_row) + len(found)
    assert {r.row - 2 for r in report.rows if r.findings} == found
