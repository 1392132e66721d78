"""Many drafts at once from a CSV text (`socmed content import`), and what a check found.

The CSV is read here, in the domain, from its text (no file is opened): one row per content
item, its per-platform variants in `caption_<platform>` columns. Every row is turned into a
Draft and checked (the same automatic checks a review runs) before anything is saved; a row
that cannot be read or whose draft a check finds wrong is a `RowProblem` naming its row (the
CSV's line number, the header being row 1) and its column. The service saves all rows in one
transaction, or none when any row has a problem.

Columns (header names, case-insensitive; only `title`, `platforms` and a text are required):

    title          working title (not published)
    text           main text (caption) for every platform without its own
    platforms      target platforms, separated by spaces, commas or semicolons
    type           text, image, video, carousel or infographic (default text)
    caption_<p>    the caption for platform <p> (caption_instagram, caption_x, ...)
    hashtags       hashtags separated by spaces or commas (with or without '#')
    media          media URIs separated by spaces
    sponsored      yes/no (also true/false, 1/0, ya/tidak)
    own_brand      yes/no
    ai_generated   yes/no
    planned_for    planned publication date, YYYY-MM-DD
    campaign       campaign id (or unique prefix)
    note           note for the first revision
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from datetime import date

from attrs import frozen

from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.i18n import render
from socmed_domain.platform_rules import PlatformRules
from socmed_domain.platforms import Platform, platform_named
from socmed_domain.production.quality import ContentPolicy, Finding, automatic_findings
from socmed_domain.production.revision import (
    CaptionVariant,
    ContentType,
    Draft,
    MediaRef,
    content_type_named,
)

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm")
CAPTION_PREFIX = "caption_"
COLUMNS = ("title", "text", "platforms", "type", "hashtags", "media", "sponsored",
           "own_brand", "ai_generated", "planned_for", "campaign", "note")
REQUIRED = ("title", "platforms")
#: The most rows one import takes (a month of a busy team's posts is a few hundred).
MAX_ROWS = 5000
_YES = {"yes", "y", "true", "1", "ya"}
_NO = {"no", "n", "false", "0", "tidak", ""}
_SPLIT = re.compile(r"[\s,;]+")


@frozen
class DraftCheck:
    """What the automatic checks found on an item's current revision (nothing: it passes)."""

    item_id: str
    revision: int
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return not self.findings


@frozen
class RowProblem:
    """One problem of an import: the CSV row (the header is row 1), its column, and what."""

    row: int
    column: str
    code: str
    params: dict[str, str]

    def message(self, lang: str = "en") -> str:
        return render(self.code, lang, **self.params)


@frozen
class ImportRow:
    """One row read into a draft, with the checks' findings on it."""

    row: int
    title: str
    draft: Draft
    campaign: str | None
    note: str
    findings: tuple[Finding, ...]


@frozen
class ImportReport:
    """What an import would create (dry run) or created: every row, every problem, and the
    new items' ids (empty on a dry run or when anything is wrong)."""

    rows: tuple[ImportRow, ...]
    problems: tuple[RowProblem, ...]
    created: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _flag(raw: str, column: str) -> bool:
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInputError("error.unknown_choice", kind=column, value=raw,
                            choices="yes, no")


def _date(raw: str) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInputError("import.bad_date", value=raw) from None


def _problem(row: int, column: str, error: SocmedError) -> RowProblem:
    return RowProblem(row, column, error.code, {k: str(v) for k, v in error.params.items()})


def _finding_column(finding: Finding, captions: Mapping[Platform, str]) -> str:
    """The column a finding is about: the media, the caption of its platform when the row has
    one, else the main text."""
    kind = finding.code.partition(".")[2]
    if kind.startswith(("media", "video", "aspect", "file", "frame", "mixed")):
        return "media"
    if kind == "too_many_hashtags":
        return "hashtags"
    name = finding.params.get("platform", "")
    for platform in captions:
        if platform.value == name:
            return CAPTION_PREFIX + name
    return "text"


def _row_draft(values: Mapping[str, str], row: int,
               problems: list[RowProblem]) -> tuple[Draft | None, dict[Platform, str]]:
    """The draft of one row, or None with the problems added (one per column at fault)."""
    before = len(problems)

    def read(column: str, parse: Callable[[str], object]) -> object:
        try:
            return parse(values.get(column, ""))
        except SocmedError as error:
            problems.append(_problem(row, column, error))
            return None

    platforms = read("platforms", lambda raw: tuple(
        platform_named(p) for p in _SPLIT.split(raw.strip()) if p))
    if platforms == ():
        problems.append(RowProblem(row, "platforms", "error.empty", {"field": "platforms"}))
    kind = read("type", lambda raw: content_type_named(raw) if raw.strip() else None)
    flags = {c: read(c, lambda raw, c=c: _flag(raw, c))  # type: ignore[misc]
             for c in ("sponsored", "own_brand", "ai_generated")}
    planned = read("planned_for", _date)
    captions: dict[Platform, str] = {}
    for column, text in values.items():
        if column.startswith(CAPTION_PREFIX) and text.strip():
            name = column[len(CAPTION_PREFIX):]
            try:
                captions[platform_named(name)] = text
            except SocmedError as error:
                problems.append(_problem(row, column, error))
    if len(problems) > before:
        return None, captions
    hashtags = tuple(t for t in _SPLIT.split(values.get("hashtags", "").strip()) if t)
    media = tuple(MediaRef(uri=u, kind="video" if u.lower().endswith(VIDEO_SUFFIXES)
                           else "image")
                  for u in values.get("media", "").split() if u)
    try:
        draft = Draft(
            text=values.get("text", ""), platforms=platforms,  # type: ignore[arg-type]
            captions=tuple(CaptionVariant(p, t) for p, t in captions.items()),
            hashtags=hashtags, media=media, planned_for=planned,  # type: ignore[arg-type]
            sponsored=bool(flags["sponsored"]), own_brand=bool(flags["own_brand"]),
            ai_generated=bool(flags["ai_generated"]),
            content_type=kind if isinstance(kind, ContentType) else ContentType.TEXT)
        draft.validate()
    except SocmedError as error:
        field = str(error.params.get("field", ""))
        column = {"text": "text", "platforms": "platforms"}.get(field, "")
        if not column:
            column = ("hashtags" if error.params.get("kind") == "hashtag" else
                      "media" if "media" in error.code or error.params.get("kind") ==
                      "media kind" else "planned_for" if "date" in error.code or
                      "planned" in str(error.params) else
                      CAPTION_PREFIX + str(error.params.get("platform", ""))
                      if error.code == "error.platform_not_targeted" else "text")
        problems.append(_problem(row, column, error))
        return None, captions
    return draft, captions


def read_import(csv_text: str, policy: ContentPolicy,
                rules: Mapping[Platform, PlatformRules]) -> ImportReport:
    """Every row of `csv_text` read and checked; nothing is saved here."""
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")), restval="")
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        return ImportReport((), (RowProblem(1, "-", "import.no_header", {}),))
    problems: list[RowProblem] = []
    known = set(COLUMNS) | {CAPTION_PREFIX + p.value for p in Platform}
    for name in header:
        if name not in known:
            problems.append(RowProblem(1, name or "-", "import.unknown_column", {
                "column": name, "columns": ", ".join(
                    [*COLUMNS, *(CAPTION_PREFIX + p.value for p in Platform)])}))
    for name in REQUIRED:
        if name not in header:
            problems.append(RowProblem(1, name, "import.missing_column", {"column": name}))
    if problems:
        return ImportReport((), tuple(problems))
    rows: list[ImportRow] = []
    for raw in reader:
        line = reader.line_num
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(RowProblem(line, "-", "import.too_many_rows",
                                       {"limit": str(MAX_ROWS)}))
            break
        if None in raw:  # more cells than the header names
            problems.append(RowProblem(line, "-", "import.extra_cells",
                                       {"count": str(len(raw[None]))}))
            continue
        values = {(k or "").strip().lower(): (v or "") for k, v in raw.items()}
        if not any(v.strip() for v in values.values()):
            continue  # a blank line
        title = values.get("title", "").strip()
        count = len(problems)
        if not title:
            problems.append(RowProblem(line, "title", "error.empty", {"field": "title"}))
        elif len(title) > 200:
            problems.append(RowProblem(line, "title", "error.too_long", {
                "field": "title", "length": str(len(title)), "limit": "200"}))
        draft, captions = _row_draft(values, line, problems)
        if draft is None or len(problems) > count:
            continue
        findings = automatic_findings(draft, policy, rules)
        for finding in findings:
            problems.append(RowProblem(line, _finding_column(finding, captions),
                                       finding.code, dict(finding.params)))
        rows.append(ImportRow(line, title, draft, values.get("campaign", "").strip() or None,
                              values.get("note", ""), findings))
    if not rows and not problems:
        problems.append(RowProblem(1, "-", "import.no_rows", {}))
    return ImportReport(tuple(rows), tuple(problems))
