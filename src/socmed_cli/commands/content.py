"""`socmed content`: SOP stage 2 (production) and the scheduling step of stage 3."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from socmed_cli.choices import CONTENT_TYPE, EnumChoice
from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import as_of_option, console, emit, format_option, to_plain

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm")


def draft_options(func: Any) -> Any:
    options = [
        click.option("--text", help="Main text (caption) of the post."),
        click.option("--text-file", "text_file", default=None, metavar="PATH",
                     help="Read the main text from this UTF-8 file ('-': standard input)."),
        click.option("--caption-file", "caption_files", multiple=True,
                     metavar="PLATFORM=PATH",
                     help="Platform-specific caption read from a UTF-8 file, repeatable."),
        click.option("--platform", "platforms", multiple=True, metavar="PLATFORM",
                     help="Target platform, repeatable: instagram, facebook, linkedin, "
                     "tiktok, x."),
        click.option("--type", "content_type", type=EnumChoice(CONTENT_TYPE),
                     help="Content type."),
        click.option("--caption", "captions", multiple=True, metavar="PLATFORM=TEXT",
                     help="Platform-specific caption, repeatable."),
        click.option("--hashtag", "hashtags", multiple=True, help="Hashtag, repeatable."),
        click.option("--media", "media", multiple=True, metavar="URI",
                     help="Media file path or http(s) URL, repeatable; read once from its "
                     "bytes (type, size, duration) and kept in the store's media folder."),
        click.option("--sponsored/--not-sponsored", default=None,
                     help="Paid partnership: needs a disclosure such as #iklan."),
        click.option("--own-brand/--not-own-brand", default=None,
                     help="Promotes the company's own products or services (TikTok's "
                     "'Your brand' disclosure)."),
        click.option("--ai-generated/--not-ai-generated", default=None,
                     help="Made or substantially changed with generative AI (declared to "
                     "platforms that take it, e.g. TikTok's AIGC label)."),
        click.option("--planned-for", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Planned publication date (calendar), YYYY-MM-DD."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_draft(base: Any, text: str | None, platforms: tuple[str, ...],
                content_type: str | None, captions: tuple[str, ...],
                hashtags: tuple[str, ...], media: tuple[str, ...], sponsored: bool | None,
                planned_for: Any, own_brand: bool | None = None,
                ai_generated: bool | None = None, text_file: str | None = None,
                caption_files: tuple[str, ...] = ()) -> Any:
    """A Draft from the options; with `base`, unspecified fields carry over from it."""
    if text_file is not None:
        if text is not None:
            from socmed_domain.errors import InvalidInputError

            raise InvalidInputError("error.text_twice")
        text = read_caption(text_file, "--text-file")
    if caption_files:
        captions = (*captions, *_caption_files(caption_files))
    from attrs import evolve

    from socmed_domain.platforms import platform_named
    from socmed_domain.production.revision import (
        CaptionVariant,
        ContentType,
        Draft,
        MediaRef,
    )

    def parse_caption(raw: str) -> CaptionVariant:
        name, sep, caption = raw.partition("=")
        if not sep:
            raise click.BadParameter(f"'{raw}' is not PLATFORM=TEXT", param_hint="--caption")
        return CaptionVariant(platform_named(name), caption)

    def parse_media(uri: str) -> MediaRef:
        kind = "video" if uri.lower().endswith(VIDEO_SUFFIXES) else "image"
        return MediaRef(uri=uri, kind=kind)

    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = text
    if platforms:
        changes["platforms"] = tuple(platform_named(p) for p in platforms)
    if content_type:
        changes["content_type"] = ContentType(content_type)
    if captions:
        changes["captions"] = tuple(parse_caption(c) for c in captions)
    if hashtags:
        changes["hashtags"] = tuple(hashtags)
    if media:
        changes["media"] = tuple(parse_media(m) for m in media)
    if sponsored is not None:
        changes["sponsored"] = sponsored
    if own_brand is not None:
        changes["own_brand"] = own_brand
    if ai_generated is not None:
        changes["ai_generated"] = ai_generated
    if planned_for is not None:
        changes["planned_for"] = date(planned_for.year, planned_for.month, planned_for.day)
    if base is not None:
        return evolve(base, **changes)
    if not changes:
        return None
    if "platforms" not in changes:
        raise click.UsageError("a draft needs at least one --platform")
    return Draft(text=changes.pop("text", ""), platforms=changes.pop("platforms"), **changes)


def read_caption(path: str, option: str) -> str:
    """A caption from a UTF-8 file ('-': standard input), its final line break dropped."""
    if path == "-":
        import sys

        text = sys.stdin.read()
    else:
        from socmed_adapters.files import read_text

        text = read_text(path, "caption")
    return text[:-1] if text.endswith("\n") else text


def _caption_files(pairs: tuple[str, ...]) -> list[str]:
    """--caption-file PLATFORM=PATH as the PLATFORM=TEXT of --caption."""
    captions = []
    for raw in pairs:
        name, sep, path = raw.partition("=")
        if not sep or not path:
            raise click.BadParameter(f"'{raw}' is not PLATFORM=PATH",
                                     param_hint="--caption-file")
        captions.append(f"{name}={read_caption(path, '--caption-file')}")
    return captions


def say_checks(state: CliState, check: Any) -> None:
    """The automatic checks' result: nothing found, or each finding on its own line."""
    if check.passed:
        state.say("check.passed", id=check.item_id[:8], revision=check.revision)
        return
    state.say("check.findings", id=check.item_id[:8], revision=check.revision,
              count=len(check.findings))
    for finding in check.findings:
        click.echo(f"  - {finding.message(state.lang)}")


@click.group()
def content() -> None:
    """Draft, review, approve, schedule and inspect content (SOP stages 2-3).

    \b
    Example:
      socmed --as budi.dm content create --title "Promo 12.12" --text "Diskon 12.12!" \\
          --platform instagram --platform x --media https://cdn.example/1212.jpg
    """


@content.command("create")
@click.option("--title", required=True, help="Working title (not published).")
@click.option("--campaign", default=None, help="Campaign id this content belongs to.")
@click.option("--note", default="", help="Note for the first revision.")
@draft_options
@as_option
@pass_state
def create(state: CliState, /, title: str, campaign: str | None, note: str,
           acting_as: str | None, **draft: Any) -> None:
    """Create content: an idea (title only) or a first draft (with --text and --platform).

    \b
    Example:
      socmed --as budi.dm content create --title "Tips menabung" \\
          --text "5 tips menabung akhir tahun" --platform linkedin --platform x
    """
    actor = state.acting(acting_as)
    built = build_draft(None, **draft)
    check = state.app.content.create_checked(actor, title, built, campaign, note)
    state.say("created", id=check.item_id, status="draft" if built else "idea")
    if built is not None:
        say_checks(state, check)


@content.command("revise")
@click.argument("item")
@click.option("--note", default="", help="What changed and why.")
@draft_options
@as_option
@pass_state
def revise(state: CliState, /, item: str, note: str, acting_as: str | None,
           **draft: Any) -> None:
    """Save a new revision; options not given carry over. Voids any approval.

    \b
    Example:
      socmed --as budi.dm content revise 3f2a --text "Teks baru" --note "per feedback MM"
    """
    actor = state.acting(acting_as)
    detail = state.app.content.get(item)
    base = detail.revisions[-1].draft if detail.revisions else None
    built = build_draft(base, **draft)
    if built is None:
        raise click.UsageError("nothing to revise: give --text, --platform or another option")
    revision, check = state.app.content.revise_checked(actor, item, built, note)
    state.say("revised", revision=revision.number, id=detail.summary.item_id[:8],
              hash=revision.sha256[:12])
    say_checks(state, check)


@content.command("check")
@click.argument("item")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for people, json for scripts.")
@as_option
@pass_state
def check(state: CliState, item: str, fmt: str, acting_as: str | None) -> None:
    """Run every automatic check of a review on the current revision, without a review.

    Nothing is recorded and the status stays; exits 1 when a check finds something.

    \b
    Example:
      socmed --as budi.dm content check 3f2a
    """
    result = state.app.content.check(state.acting(acting_as), item)
    if fmt == "json":
        click.echo(json.dumps({"id": result.item_id, "revision": result.revision,
                               "passed": result.passed,
                               "findings": [{"code": f.code, "params": f.params,
                                             "message": f.message(state.lang)}
                                            for f in result.findings]},
                              ensure_ascii=False, indent=2))
    else:
        say_checks(state, result)
    if not result.passed:
        raise click.exceptions.Exit(1)


@content.command("clone")
@click.argument("item")
@click.option("--title", default="", help="Title of the copy (default: the item's).")
@click.option("--note", default="", help="Note for the copy's first revision.")
@as_option
@pass_state
def clone(state: CliState, item: str, title: str, note: str, acting_as: str | None) -> None:
    """Copy an item into a new draft (new id, same campaign, its current revision).

    The copy's history records the item and revision it came from.

    \b
    Example:
      socmed --as budi.dm content clone 3f2a --title "Promo 12.12 (ulang)"
    """
    new_id = state.app.content.clone(state.acting(acting_as), item, title, note)
    state.say("cloned", source=item, id=str(new_id))


@content.command("import")
@click.argument("file", metavar="FILE.csv")
@click.option("--dry-run", is_flag=True,
              help="Only read and check: list what would be created and every problem.")
@format_option
@as_option
@pass_state
def import_csv(state: CliState, file: str, dry_run: bool, fmt: str,
               acting_as: str | None) -> None:
    """Create many drafts from a CSV, all checked first: all of them or none.

    One row per item; columns title, text, platforms (space separated), type,
    caption_<platform> (its variant), hashtags, media, sponsored, own_brand, ai_generated,
    planned_for (YYYY-MM-DD), campaign, note. Every problem is listed with its row (the
    header is row 1) and column; with any problem nothing is created (exit 1).

    \b
    Example:
      socmed --as budi.dm content import posts-desember.csv --dry-run
    """
    from socmed_adapters.files import read_text
    from socmed_cli.i18n import t

    text = read_text(file, "content_csv")
    report = state.app.content.import_drafts(state.acting(acting_as), text, dry_run)
    if report.problems:
        rows = [{"row": p.row, "column": p.column, "code": p.code,
                 "problem": p.message(state.lang)} for p in report.problems]
        if fmt == "table":
            for row in rows:
                click.echo(t("import.problem", state.lang, row=row["row"],
                             column=row["column"], message=row["problem"]), err=True)
            state.say("import.refused", count=len(rows), file=file)
        else:
            emit(rows, [("row", "Row"), ("column", "Column"), ("code", "Code"),
                        ("problem", "Problem")], fmt, state.zone, lang=state.lang)
        raise click.exceptions.Exit(1)
    listed = [{"row": r.row, "id": (report.created[n] if report.created else ""),
               "title": r.title, "platforms": ", ".join(p.value for p in r.draft.platforms),
               "findings": len(r.findings)} for n, r in enumerate(report.rows)]
    columns = [("row", "Row"), ("id", "ID"), ("title", "Title"), ("platforms", "Platforms"),
               ("findings", "Findings")]
    if fmt != "table" or dry_run:
        emit(listed, columns, fmt, state.zone, lang=state.lang)
    if fmt == "table":
        state.say("import.would_create" if dry_run else "import.created", count=len(listed))


@content.command("submit-review")
@click.argument("item")
@click.option("--note", default="", help="Note for the reviewer.")
@as_option
@pass_state
def submit_review(state: CliState, item: str, note: str, acting_as: str | None) -> None:
    """Submit the current draft for internal review.

    \b
    Example:
      socmed --as budi.dm content submit-review 3f2a
    """
    route = state.app.content.submit_for_review(state.acting(acting_as), item, note)
    state.say("submitted_review", id=item)
    if route is not None and route.steps:
        state.say("route_bound", route=route.names(),
                  steps=", ".join(step.describe() for step in route.steps))


@content.command("review")
@click.argument("item")
@click.option("--check", "checks", multiple=True, metavar="KEY",
              help="A confirmed checklist item (see 'content checklist'), repeatable.")
@click.option("--all-checks", is_flag=True, help="Confirm every checklist item.")
@click.option("--comment", default="", help="Reviewer's comment.")
@click.option("--step", default=None, metavar="STEP",
              help="Record this step of the item's approval route instead (e.g. legal: a "
              "Legal compliance review); needs --hash.")
@click.option("--hash", "revision_hash", default=None, metavar="SHA256",
              help="With --step: the revision hash you read (at least 8 characters).")
@as_option
@pass_state
def review(state: CliState, item: str, checks: tuple[str, ...], all_checks: bool,
           comment: str, step: str | None, revision_hash: str | None,
           acting_as: str | None) -> None:
    """Review against the quality checklist; automatic checks run too.

    The review passes only when every item is confirmed and no automatic check finds
    anything; otherwise the item goes back with changes requested.

    With --step, record a step the item's approval route requires before the Marketing
    Manager may approve (shown by 'content show'): never by the revision's author, and one
    step per person.

    \b
    Example:
      socmed --as sari.dm content review 3f2a --all-checks --comment "siap"
      socmed --as sari.legal content review 3f2a --step legal --hash 9c1e44d2
    """
    if step is not None:
        if checks or all_checks:
            raise click.UsageError("--step records a route step: give it without --check "
                                   "or --all-checks")
        state.app.content.record_step(state.acting(acting_as), item, step, revision_hash,
                                      comment, require_hash=True)
        state.say("step_recorded", id=item, step=step)
        return
    if revision_hash is not None:
        raise click.UsageError("--hash goes with --step")
    outcome = state.app.content.review(state.acting(acting_as), item, checks, comment,
                                       all_checks=all_checks)
    if outcome.passed:
        state.say("review_passed", id=item)
    else:
        state.say("review_failed", id=item, count=len(outcome.findings))
        for finding in outcome.findings:
            click.echo(f"  - {finding.message(state.lang)}")


@content.command("checklist")
@format_option
@pass_state
def checklist(state: CliState, fmt: str) -> None:
    """List the Content Quality Checklist items a reviewer confirms.

    \b
    Example:
      socmed content checklist --format csv
    """
    rows = [{"key": i.key, "item": i.id if state.lang == "id" else i.en}
            for i in state.app.content.checklist()]
    emit(rows, [("key", "Key"), ("item", "Item")], fmt, state.zone, lang=state.lang)


@content.command("submit-approval")
@click.argument("item")
@click.option("--note", default="", help="Note for the approver.")
@as_option
@pass_state
def submit_approval(state: CliState, item: str, note: str, acting_as: str | None) -> None:
    """Submit reviewed content to the Marketing Manager for approval.

    \b
    Example:
      socmed --as budi.dm content submit-approval 3f2a
    """
    state.app.content.submit_for_approval(state.acting(acting_as), item, note)
    state.say("submitted_approval", id=item)


@content.command("approve")
@click.argument("item")
@click.option("--hash", "revision_hash", default=None, metavar="SHA256",
              help="The revision hash you read (at least 8 characters); refused if stale.")
@click.option("--comment", default="", help="Approver's comment.")
@as_option
@pass_state
def approve(state: CliState, item: str, revision_hash: str | None, comment: str,
            acting_as: str | None) -> None:
    """Approve the current revision (Marketing Manager; never your own revision).

    An approval names the revision you read: give --hash (from 'content show'), or on a
    terminal leave it out to be shown the revision (text per platform, media, checks) and
    asked to confirm. Without a terminal, --hash is required.

    \b
    Example:
      socmed --as rina.mm content approve 3f2a --hash 9c1e44d2
    """
    who = state.acting(acting_as)
    if revision_hash is None and on_terminal():
        revision_hash = _confirm_what_was_read(state, item)
        if revision_hash is None:
            state.say("identity.cli.approve_declined")
            raise click.exceptions.Exit(1)
    sha = state.app.content.approve(who, item, revision_hash, comment, require_hash=True)
    state.say("approved", id=item, hash=sha[:12])


def on_terminal() -> bool:
    """Whether a person is at a terminal to be shown the revision and asked."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def _confirm_what_was_read(state: CliState, item: str) -> str | None:
    """Show the current revision (text per platform, media, checks) and ask; its full
    SHA-256 when confirmed, else None. Off a terminal nobody can be shown anything, so the
    command passes no hash and the domain refuses it, naming --hash."""
    from socmed_cli.i18n import t

    detail = state.app.content.get(item)
    if not detail.revisions:
        return None
    _print_detail(state, detail)
    revision = detail.revisions[-1]
    if click.confirm(t("identity.cli.approve_confirm", state.lang, number=revision.number,
                       sha=revision.sha256[:12]), default=False):
        return str(revision.sha256)
    return None


@content.command("request-changes")
@click.argument("item")
@click.option("--comment", required=True, help="What must change and why.")
@as_option
@pass_state
def request_changes(state: CliState, item: str, comment: str, acting_as: str | None) -> None:
    """Send content back with comments (Marketing Manager or Legal).

    \b
    Example:
      socmed --as sari.legal content request-changes 3f2a --comment "tambahkan #iklan"
    """
    state.app.content.request_changes(state.acting(acting_as), item, comment)
    state.say("changes_requested", id=item)


@content.command("schedule")
@click.argument("item")
@click.option("--at", "when", required=True,
              help="When, with a zone: '2026-12-12 19:00 WIB' or '2026-12-12T19:00+07:00'.")
@click.option("--platform", "platforms", multiple=True,
              help="Only these platforms (default: all the revision targets).")
@as_option
@pass_state
def schedule(state: CliState, item: str, when: str, platforms: tuple[str, ...],
             acting_as: str | None) -> None:
    """Book a publication slot after the final check of caption, hashtags and format.

    Content not approved by its slot expires instead of publishing.

    \b
    Example:
      socmed --as adi.admin content schedule 3f2a --at "2026-12-12 19:00 WIB"
    """
    from socmed_domain.platforms import platform_named

    chosen = tuple(platform_named(p) for p in platforms)
    slot = state.app.content.schedule(state.acting(acting_as), item,
                                      state.parse_time(when, "--at"),
                                      chosen)
    state.say("scheduled", id=item, at=state.time(slot.at),
              platforms=", ".join(p.value for p in slot.platforms))


@content.command("withdraw")
@click.argument("item")
@click.option("--reason", required=True, help="Why it is withdrawn.")
@as_option
@pass_state
def withdraw(state: CliState, item: str, reason: str, acting_as: str | None) -> None:
    """Withdraw content; a pending publication is cancelled.

    \b
    Example:
      socmed --as rina.mm content withdraw 3f2a --reason "produk ditarik"
    """
    state.app.content.withdraw(state.acting(acting_as), item, reason)
    state.say("withdrawn", id=item)


@content.command("archive")
@click.argument("item")
@click.option("--note", default="", help="Archive note.")
@as_option
@pass_state
def archive(state: CliState, item: str, note: str, acting_as: str | None) -> None:
    """Archive published, failed, expired or withdrawn content.

    \b
    Example:
      socmed --as budi.dm content archive 3f2a
    """
    state.app.content.archive(state.acting(acting_as), item, note)
    state.say("archived", id=item)


SUMMARY_COLUMNS = [("id", "ID"), ("title", "Title"), ("status", "Status"),
                   ("revision", "Rev"), ("author", "Author"), ("approved_by", "Approved by"),
                   ("scheduled_at", "Slot"), ("platforms", "Platforms"),
                   ("published", "Published on")]


def summary_row(summary: Any, full_id: bool) -> dict[str, Any]:
    return {"id": summary.item_id if full_id else summary.item_id[:8],
            "title": summary.title, "status": summary.status, "revision": summary.revision,
            "sha256": summary.revision_sha256, "author": summary.author_id,
            "approved_by": summary.approved_by, "scheduled_at": summary.scheduled_at,
            "platforms": list(summary.platforms), "published": list(summary.published),
            "campaign": summary.campaign_id, "updated_at": summary.updated_at}


@content.command("list")
@click.option("--status", default=None, help="Only this status, e.g. awaiting_approval.")
@click.option("--platform", default=None, help="Only content targeting this platform.")
@as_of_option
@format_option
@pass_state
def list_content(state: CliState, status: str | None, platform: str | None, as_of: str | None,
                 fmt: str) -> None:
    """List content with status, revision, approver and slot.

    \b
    Example:
      socmed content list --status awaiting_approval --format json
      socmed content list --as-of "2026-12-05 09:00 WIB"
    """
    from socmed_domain.errors import InvalidInputError
    from socmed_domain.platforms import platform_named
    from socmed_domain.production.content_item import Status

    wanted = None
    if status:
        try:
            wanted = Status(status)
        except ValueError:
            raise InvalidInputError("error.unknown_choice", kind="status", value=status,
                                    choices=", ".join(s.value for s in Status)) from None
    chosen = platform_named(platform).value if platform else None
    if as_of:
        summaries = state.read_models.content_list_as_of(
            state.parse_time(as_of, "--as-of"), wanted.value if wanted else None, chosen)
    else:
        summaries = state.read_models.content_list(wanted.value if wanted else None, chosen)
    rows = [summary_row(s, full_id=fmt != "table") for s in summaries]
    columns = SUMMARY_COLUMNS if fmt == "table" else [
        *SUMMARY_COLUMNS, ("sha256", "SHA-256"), ("campaign", "Campaign"),
        ("updated_at", "Updated")]
    emit(rows, columns, fmt, state.zone, lang=state.lang)


@content.command("show")
@click.argument("item")
@click.option("--as-of", default=None, help="Show the item as it stood then (with a zone).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for people, json for scripts.")
@pass_state
def show(state: CliState, item: str, as_of: str | None, fmt: str) -> None:
    """Show one item: current revision, review, approval, slot and publications.

    \b
    Example:
      socmed content show 3f2a --as-of "2026-12-05 09:00 WIB"
    """
    detail = state.app.content.get(item, state.parse_time(as_of, "--as-of") if as_of else None)
    if fmt == "json":
        click.echo(json.dumps(to_plain(detail, state.zone), ensure_ascii=False, indent=2))
        return
    _print_detail(state, detail)


def _print_detail(state: CliState, detail: Any) -> None:
    from socmed_cli.i18n import code_value, t
    from socmed_cli.output import yes_no

    s, lang = detail.summary, state.lang
    out = console()

    def line(key: str, **params: Any) -> None:
        out.print(t(key, lang, **params), markup=False)

    out.print(f"[bold]{s.title}[/bold]  ({s.item_id})")
    line("show_status", status=code_value("status", str(s.status), lang),
         version=detail.version, who=detail.created_by, at=state.time(detail.created_at))
    if detail.revisions:
        revision = detail.revisions[-1]
        draft = revision.draft
        line("show_revision", number=revision.number, who=revision.author_id,
             sha=revision.sha256)
        line("show_type", type=draft.content_type.value, sponsored=yes_no(draft.sponsored, lang),
             planned=draft.planned_for or "-")
        for platform in draft.platforms:
            out.print(f"--- {platform.label} ---")
            out.print(draft.body_for(platform), markup=False)
        if draft.own_brand or draft.ai_generated:
            line("show_disclosure", own_brand=yes_no(draft.own_brand, lang),
                 ai=yes_no(draft.ai_generated, lang))
        for media in draft.media:
            out.print(f"media: {media.kind} {media.uri}", markup=False)
            if media.probe is not None:
                probe = media.probe
                line("show_media_probe", type=probe.mime_type,
                     size=f"{probe.width}x{probe.height}", bytes=f"{probe.size_bytes:,}",
                     seconds="-" if probe.duration_ms is None else f"{probe.duration_ms / 1000:g}",
                     sha=probe.sha256[:16])
    if detail.review:
        review = detail.review
        line("show_review_passed" if review.passed else "show_review_failed",
             number=review.revision_number)
        for finding in review.findings:
            out.print(f"  - {finding.message(lang)}", markup=False)
    route = getattr(detail, "route", None)
    if route is not None:
        line("show_route", route=route.names() or "-",
             version=route.version or "-", number=route.revision_number)
        for match in route.matches:
            out.print(f"  {match.route}: {'; '.join(match.reasons)}", markup=False)
        recorded = {r.step: r for r in detail.steps_recorded
                    if r.revision_sha256 == route.revision_sha256}
        for step in route.steps:
            record = recorded.get(step.key)
            if step.key in detail.steps_missing:
                line("show_step_missing", step=step.key, label=step.label or step.key,
                     who=step.who())
            else:
                line("show_step_done", step=step.key, label=step.label or step.key,
                     who=record.member_id if record is not None else "-")
    if detail.approval:
        approval = detail.approval
        line("show_approved", who=approval.approver_id, at=state.time(approval.approved_at),
             number=approval.revision_number, sha=approval.revision_sha256)
    if detail.slot:
        line("show_slot", at=state.time(detail.slot.at),
             platforms=", ".join(p.value for p in detail.slot.platforms))
    for pub in detail.publications:
        line("show_publication", platform=pub.platform.value,
             state=code_value("state", pub.state.value, lang), attempts=pub.attempts,
             where=(pub.receipt.url if pub.receipt else pub.last_error) or "")
    if detail.last_comment:
        line("show_comment", comment=detail.last_comment)


@content.command("history")
@click.argument("item")
@format_option
@pass_state
def history(state: CliState, item: str, fmt: str) -> None:
    """The item's full event history: who did what, when and why.

    \b
    Example:
      socmed content history 3f2a --format csv
    """
    item_id = str(state.app.content.resolve(item))
    emit_audit(state, state.read_models.item_history(item_id), fmt)


AUDIT_COLUMNS = [("position", "#"), ("at", "At"), ("actor", "Actor"), ("role", "Role"),
                 ("event", "Event"), ("summary", "Summary"), ("reason", "Reason / comment")]


def audit_row(entry: Any, lang: str, table: bool = False) -> dict[str, Any]:
    """One audit entry as a row. A table shows its description with the codes in it (a role,
    a category) in the reader's language; json and csv keep them as recorded."""
    from socmed_cli.i18n import audit_summary, code_label

    summary = audit_summary(entry.code, entry.params, lang) if table else entry.summary(lang)
    return {"position": entry.position, "at": entry.at, "actor": entry.actor_id,
            "role": code_label(entry.actor_role, lang) if table else entry.actor_role,
            "via": entry.via, "event": entry.event_type,
            "aggregate": entry.aggregate, "aggregate_id": entry.aggregate_id,
            "version": entry.version, "summary": summary, "reason": entry.reason}


def emit_audit(state: CliState, entries: Any, fmt: str) -> None:
    """Audit entries as a listing, with how each actor was established (`via`); json and
    csv also carry the aggregate and its version (via last, so earlier columns keep their
    places for spreadsheets made before it)."""
    columns = [*AUDIT_COLUMNS[:4], ("via", "Via"), *AUDIT_COLUMNS[4:]] if fmt == "table" else [
        *AUDIT_COLUMNS, ("aggregate", "Aggregate"), ("aggregate_id", "Aggregate id"),
        ("version", "Version"), ("via", "Via")]
    emit([audit_row(e, state.lang, table=fmt == "table") for e in entries], columns, fmt,
         state.zone, lang=state.lang)
