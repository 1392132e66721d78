"""`socmed inbox`: SOP stage 4, comments, messages and mentions from ingestion to close.

Personal values (handles, names, texts) are stored sealed; this command opens them through
the vault only to show them, and shows '[erased]' once a subject's data was erased.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from socmed_cli.choices import CONVERSATION_STATUS, PLATFORM, POLARITY, PRIORITY, TAG, EnumChoice
from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import as_of_option, emit, format_option

STATUSES = ("received", "assigned", "replied", "closed")
ref_argument = click.argument("ref", metavar="CONVERSATION")


def _say(state: CliState, code: str, **params: Any) -> None:
    from socmed_domain.i18n import render

    click.echo(render(code, state.lang, **params))


@click.group()
def inbox() -> None:
    """Ingest, triage, answer and close audience conversations (SOP stage 4).

    \b
    Example:
      socmed --as adi.admin inbox ingest komentar-hari-ini.jsonl
      socmed inbox list --status received --platform instagram
      socmed --as adi.admin inbox reply 3f2a --template complaint_ack --param channel=DM
    """


#: From this size a file's assessment (sentiment, watchlist) runs on other cores: below it
#: starting the worker processes costs more than it saves.
PARALLEL_FROM_BYTES = 1 << 20


@inbox.command("ingest")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default=None,
              help="File format (default from the extension).")
@click.option("--workers", type=click.IntRange(0, 64), default=None,
              help="Processes that read sentiment and the watchlist while this one stores "
              "(0: none; default: one per extra core for files of 1 MB or more).")
@click.option("--no-alerts", is_flag=True, help="Do not check for spikes afterwards.")
@as_option
@pass_state
def ingest(state: CliState, path: Path, fmt: str | None, workers: int | None,
           no_alerts: bool, acting_as: str | None) -> None:
    """Ingest interactions from a JSON Lines or CSV file; repeats are skipped.

    The whole file is read first: a bad line is refused with its line number and nothing
    is stored. Running the same file again adds only what is missing.

    \b
    Example:
      socmed --as adi.admin inbox ingest export-2026-12-10.csv
      socmed --as adi.admin inbox ingest listening-tool-2026-12.jsonl --workers 3
    """
    from socmed_adapters.monitoring.bulk import bulk_ingestion
    from socmed_adapters.monitoring.files import FileSource
    from socmed_adapters.monitoring.parallel_assess import default_workers
    from socmed_cli.output import progress
    from socmed_domain.monitoring.ingest_log import IngestLog

    actor = state.acting(acting_as)
    app = state.services(create=True).app
    if workers is None:
        large = path.stat().st_size >= PARALLEL_FROM_BYTES and (os.cpu_count() or 1) > 1
        workers = default_workers() if large else 0
    source = FileSource(path, fmt)
    written = IngestLog()  # so the spike check need not catch the inbox read model up
    with bulk_ingestion(app, workers):  # the workers start while the file is checked
        total = source.check()  # a bad line is refused before anything is stored
        report = app.inbox.ingest_interactions(actor, progress(
            source.interactions(), total, path.name), log=written)
    _say(state, "inbox.ingested", received=report.received, new=report.new,
         duplicates=report.duplicates, opened=report.conversations_opened)
    if not no_alerts and report.first_at is not None and report.last_at is not None:
        for alert_id in app.inbox.raise_spike_alerts(actor, report.first_at, report.last_at,
                                                     after=written):
            _say(state, "inbox.alert", alert=alert_id)


@inbox.command("fetch")
@click.option("--since", default=None, metavar="WHEN",
              help="Comments, messages and mentions received from this time (with a zone), "
              "day (YYYY-MM-DD, in --tz) or this long ago (30m, 6h, 2d); default 2d.")
@click.option("--posts-since", "posts_since", default=None, metavar="WHEN",
              help="Read comments on our posts published from then (same forms); default "
              "30d.")
@click.option("--platform", "platform_names", multiple=True,
              help="Only this platform (repeatable); default every configured one.")
@click.option("--no-alerts", is_flag=True, help="Do not check for spikes afterwards.")
@as_option
@pass_state
def fetch(state: CliState, since: str | None, posts_since: str | None,
          platform_names: tuple[str, ...], no_alerts: bool, acting_as: str | None) -> None:
    """Fetch comments, direct messages and mentions from the platforms' APIs and ingest them.

    Uses the publishing credentials (docs/platforms.md). Every platform is read before
    anything is stored: one that fails (expired token, rate limit beyond the deadline) stops
    the fetch with one line and the inbox stays as it was. Repeats are skipped, so the
    windows of two runs may overlap: run it every few minutes from a scheduler.

    \b
    Example:
      socmed --as adi.admin inbox fetch
      socmed --as adi.admin inbox fetch --since 6h --platform instagram --platform x
    """
    from socmed_adapters.interactions.source import interactions_from_config
    from socmed_adapters.reports.monthly_source import SqlReportSource
    from socmed_domain.evaluation.sources import PostRef
    from socmed_domain.platforms import Platform, platform_named

    actor = state.acting(acting_as)
    chosen = [platform_named(name) for name in platform_names] or None
    services = state.services(create=True)
    if state.is_remote:  # the server fetches, with its own platform credentials
        from datetime import datetime

        here = datetime.now(state.zone)
        names, start, report = services.app.inbox.fetch_on_server(  # type: ignore[attr-defined]
            _when(state, since, here) if since else None,
            _when(state, posts_since, here) if posts_since else None, chosen or ())
        _fetched(state, services, actor, names, start, report, no_alerts)
        return
    now = services.clock()
    start = _when(state, since or "2d", now)
    posts: dict[Platform, list[PostRef]] = {}
    for post in SqlReportSource(services.projector).published_posts(
            _when(state, posts_since or "30d", now), now):
        posts.setdefault(post.platform, []).append(PostRef(post.post_id, post.published_at))
    source = interactions_from_config(clock=services.clock, since=start, posts=posts,
                                      platforms=chosen)
    try:
        report = services.app.inbox.fetch_interactions(actor, source)
    finally:
        source.close()
    read = [p.value for p in (chosen or source.platforms) if p in source.platforms]
    _fetched(state, services, actor, read, start, report, no_alerts)


def _fetched(state: CliState, services: Any, actor: Any, read: list[str], start: Any,
             report: Any, no_alerts: bool) -> None:
    _say(state, "inbox.fetched", platforms=", ".join(read) or "-", since=state.time(start))
    _say(state, "inbox.ingested", received=report.received, new=report.new,
         duplicates=report.duplicates, opened=report.conversations_opened)
    if not no_alerts and report.first_at is not None and report.last_at is not None:
        for alert_id in services.app.inbox.raise_spike_alerts(actor, report.first_at,
                                                        report.last_at):
            _say(state, "inbox.alert", alert=alert_id)


def _when(state: CliState, text: str, now: Any) -> Any:
    """'2d', '6h', '30m' before now; a day (its start in --tz); or a time with a zone."""
    import re
    from datetime import date, timedelta

    from socmed_domain.errors import InvalidInputError

    value = text.strip().lower()
    ago = re.fullmatch(r"(\d{1,4})\s*([mhd])", value)
    if ago:
        unit = {"m": "minutes", "h": "hours", "d": "days"}[ago.group(2)]
        return now - timedelta(**{unit: int(ago.group(1))})
    try:
        day = date.fromisoformat(value)
    except ValueError:
        pass
    else:
        return state.day_start(day, "--since")
    try:
        return state.parse_time(text, "--since")
    except InvalidInputError:
        raise InvalidInputError("error.bad_since", value=text) from None


@inbox.command("webhook")
@click.option("--platform", required=True,
              type=EnumChoice(PLATFORM, extra=["meta"]),
              help="Who sent it (instagram and facebook are both Meta webhooks).")
@click.option("--file", "path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The request body exactly as received (the signature covers its bytes).")
@click.option("--signature", default=None, help="The signature header's value: "
              "X-Hub-Signature-256, x-twitter-webhooks-signature, TikTok-Signature or "
              "X-LI-Signature.")
@click.option("--no-alerts", is_flag=True, help="Do not check for spikes afterwards.")
@as_option
@pass_state
def webhook(state: CliState, platform: str, path: Path, signature: str | None,
            no_alerts: bool, acting_as: str | None) -> None:
    """Ingest one captured webhook delivery after checking its signature.

    The app secret is read from SOCMED_META_APP_SECRET, SOCMED_X_CONSUMER_SECRET,
    SOCMED_TIKTOK_CLIENT_SECRET or SOCMED_LINKEDIN_CLIENT_SECRET. A missing or wrong
    signature stores nothing. 'socmed inbox listen' takes the same deliveries over HTTP.

    \b
    Example:
      socmed --as adi.admin inbox webhook --platform instagram --file body.json \\
        --signature sha256=6f1c...
    """
    from socmed_adapters.files import read_bytes
    from socmed_adapters.monitoring.webhook_delivery import mention_reader, receive_delivery
    from socmed_adapters.monitoring.webhooks import family_of

    actor = state.acting(acting_as)
    # The store is opened only once the delivery is verified and read: a refused delivery
    # creates and writes nothing.
    family = family_of(platform)
    report = receive_delivery(family, read_bytes(path, "webhook"), signature, actor,
                              lambda: state.services(create=True).app, alerts=not no_alerts,
                              mentions=mention_reader() if family == "meta" else None,
                              source=str(path))
    _say(state, "inbox.ingested", received=report.received, new=report.new,
         duplicates=report.duplicates, opened=report.opened)
    if report.skipped or report.unread:
        _say(state, "inbox.webhook_skipped", skipped=report.skipped, unread=report.unread)
    for alert_id in report.alerts:
        _say(state, "inbox.alert", alert=alert_id)


def _size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    from socmed_adapters.monitoring.webhook_delivery import parse_size
    from socmed_domain.errors import InvalidInputError

    state = ctx.find_object(CliState)
    try:
        return parse_size(value)
    except InvalidInputError as error:
        raise click.BadParameter(error.message(state.lang if state else "en")) from None


@inbox.command("listen")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (0.0.0.0 for every interface; put TLS in front).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to bind (0 picks a free one, printed at start).")
@click.option("--path-prefix", "prefix", default="/webhooks", show_default=True,
              help="Serves PREFIX/meta, /x, /tiktok and /linkedin.")
@click.option("--max-body", "max_body", default="1MB", show_default=True, callback=_size,
              help="Larger bodies are refused with 413 (K, M, G: powers of 1024).")
@click.option("--max-concurrent", type=click.IntRange(1, 100000), default=256,
              show_default=True, help="Deliveries handled at once; beyond, 503 and the "
              "platform retries.")
@click.option("--body-timeout", type=click.FloatRange(0.1, 600), default=10.0,
              show_default=True, help="Seconds a client may take to send a body (408 after).")
@click.option("--worker/--no-worker", default=True, show_default=True,
              help="Process recorded deliveries in this process (--no-worker: run "
              "'socmed worker' apart).")
@click.option("--no-alerts", is_flag=True, help="Do not check for spikes after deliveries.")
@click.option("--quiet", is_flag=True, help="No log line per request on stderr.")
@as_option
@pass_state
def listen(state: CliState, host: str, port: int, prefix: str, max_body: int,
           max_concurrent: int, body_timeout: float, worker: bool, no_alerts: bool,
           quiet: bool, acting_as: str | None) -> None:
    """Serve the webhook endpoints over HTTP until stopped (SIGTERM or Ctrl+C).

    Serves GET and POST on PREFIX/meta, PREFIX/x, PREFIX/tiktok and PREFIX/linkedin: GET
    answers the subscription checks (Meta hub.challenge with SOCMED_META_VERIFY_TOKEN, X
    crc_token, LinkedIn challengeCode); POST checks the signature on the raw body with the
    secret from SOCMED_META_APP_SECRET, SOCMED_X_CONSUMER_SECRET, SOCMED_TIKTOK_CLIENT_SECRET
    or SOCMED_LINKEDIN_CLIENT_SECRET, records the delivery with its verdict in the store's
    webhook inbox, and answers only once the record is committed. A worker (in this
    process, or 'socmed worker' with --no-worker) ingests signed deliveries exactly as
    'inbox webhook' does; refused ones are kept, never processed. One line per request
    goes to stderr (none with --quiet). Serve it over HTTPS through a reverse proxy: the
    platforms call only https:// URLs.

    \b
    Example:
      export SOCMED_LINKEDIN_CLIENT_SECRET=...
      socmed --as adi.admin inbox listen --port 8080
      # register https://hooks.example.co.id/webhooks/linkedin at LinkedIn
    """
    import json
    import socket

    from socmed_adapters.monitoring.webhook_inbox import WebhookInbox
    from socmed_adapters.monitoring.webhooks import ALL_FAMILIES, LABELS, SECRET_ENV
    from socmed_domain.i18n import render
    from socmed_domain.roles import Action, check_may

    member: str | None = None
    services = state.services(create=True)
    if worker:
        principal = state.acting(acting_as)
        actor = services.app.actor(principal)  # refuse a wrong --as now, not at a delivery
        member = principal.member_id
        check_may(actor.member_id, actor.role, Action.INGEST_INTERACTIONS)
    WebhookInbox.of(services)  # the table exists before the first request

    def log(line: str) -> None:
        click.echo(line, err=True)

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    clean = "/" + prefix.strip("/") if prefix.strip("/") else ""
    options = {"data_dir": str(services.storage.data_dir) if services.storage.data_dir
               else None, "database_url": services.storage.database_url, "prefix": clean,
               "max_body": max_body, "max_concurrent": max_concurrent,
               "body_timeout": body_timeout, "lang": state.lang, "quiet": quiet,
               "member": member, "alerts": not no_alerts}
    os.environ["SOCMED_WEBHOOKS_OPTIONS"] = json.dumps(options)
    url_host = f"[{host}]" if ":" in host else host
    log(render("inbox.listen_started", state.lang, url=f"http://{url_host}:{bound}{clean}",
               member=member or "-"))
    log(render("webhooks.serving" if worker else "webhooks.no_worker", state.lang))
    for name in ALL_FAMILIES:
        if not os.environ.get(SECRET_ENV[name], "").strip():
            log(render("inbox.listen_no_secret", state.lang, platform=LABELS[name],
                       env=SECRET_ENV[name]))
    serve_webhooks(sock, max_concurrent)


def serve_webhooks(sock: Any, max_concurrent: int) -> None:
    """uvicorn on a bound socket, building the app from its import string (the CLI does not
    import the web entry point): a stop (SIGTERM, Ctrl+C) finishes requests in flight."""
    import signal

    import uvicorn

    # uvicorn raises the stop signal again once it has stopped, to the handler found before:
    # a stop asked for is a clean exit (0), not a death by SIGTERM or a KeyboardInterrupt.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: None)
    config = uvicorn.Config("socmed_web.webhooks:listen_app", factory=True,
                            log_level="warning", access_log=False, lifespan="on",
                            timeout_keep_alive=5, timeout_graceful_shutdown=10,
                            limit_concurrency=max_concurrent * 2 + 16, proxy_headers=False,
                            server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


def _reveal(state: CliState, packed: str) -> str:
    from socmed_adapters.projections.inbox import unpack
    from socmed_domain.monitoring.vault import reveal

    return reveal(state.app.inbox.personal_data_vault(), unpack(packed))


@inbox.command("list")
@click.option("--status", "statuses", multiple=True, type=EnumChoice(CONVERSATION_STATUS),
              help="Only these statuses (repeatable); default: all but closed.")
@click.option("--all", "show_all", is_flag=True, help="Closed conversations too.")
@click.option("--platform", default=None, help="instagram, facebook, linkedin, tiktok or x.")
@click.option("--assignee", default=None, help="Only those assigned to this member.")
@click.option("--tag", type=EnumChoice(TAG), default=None)
@click.option("--priority", type=EnumChoice(PRIORITY), default=None)
@click.option("--sentiment", type=EnumChoice(POLARITY),
              default=None, help="Of the latest message.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@as_of_option
@format_option
@pass_state
def list_command(state: CliState, statuses: tuple[str, ...], show_all: bool,
                 platform: str | None, assignee: str | None, tag: str | None,
                 priority: str | None, sentiment: str | None, limit: int, as_of: str | None,
                 fmt: str) -> None:
    """The inbox, latest activity first.

    \b
    Example:
      socmed inbox list --sentiment negative --priority high --format csv
    """
    from socmed_adapters.monitoring.inbox_queries import list_conversations
    from socmed_domain.platforms import platform_named

    chosen = statuses or (() if show_all else STATUSES[:3])
    which = platform_named(platform).value if platform else None
    moment = state.parse_time(as_of, "--as-of") if as_of else None
    if state.is_remote and moment is not None:
        rows = [{**r, "author_handle": r["author"] or "", "last_text": r["last_message"] or "",
                 "last_sentiment": r["sentiment"], "last_received_at": r["received_at"]}
                for r in state.read_models.inbox_page_as_of(
                    state.acting(), moment, status=chosen or STATUSES, platform=which,
                    assignee=assignee, tag=tag, priority=priority, sentiment=sentiment,
                    limit=limit)]

        def shown_text(text: str) -> str:
            return text
    elif moment is not None:
        rows = state.read_models.conversations_as_of(
            moment, status=chosen, platform=which, assignee=assignee, tag=tag,
            priority=priority, sentiment=sentiment, limit=limit)

        def shown_text(text: str) -> str:
            return _reveal(state, text)
    elif state.is_remote:
        # the server reveals the audience's handles and texts only to the roles that need
        # them (withheld: empty); an empty status filter there means "all but closed"
        rows = [{**r, "author_handle": r["author"] or "", "last_text": r["last_message"] or "",
                 "last_sentiment": r["sentiment"], "last_received_at": r["received_at"]}
                for r in state.read_models.inbox_page(
                    state.acting(), None, status=chosen or STATUSES, platform=which,
                    assignee=assignee, tag=tag, priority=priority, sentiment=sentiment,
                    limit=limit)]

        def shown_text(text: str) -> str:
            return text
    else:
        rows = list_conversations(
            state.services(), status=chosen, platform=which, assignee=assignee, tag=tag,
            priority=priority, sentiment=sentiment, limit=limit)

        def shown_text(text: str) -> str:
            return _reveal(state, text)
    shown = [{"id": r["conversation_id"][:8] if fmt == "table" else r["conversation_id"],
              "platform": r["platform"], "kind": r["kind"], "status": r["status"],
              "priority": r["priority"], "assignee": r["assignee"] or "",
              "author": shown_text(r["author_handle"]),
              "last_message": shown_text(r["last_text"]),
              "sentiment": r["last_sentiment"], "tags": r["tags"],
              "breaches": r["breaches"], "received_at": r["last_received_at"]}
             for r in rows]
    emit(shown, [("id", "ID"), ("platform", "Platform"), ("kind", "Kind"),
                 ("status", "Status"), ("priority", "Priority"), ("assignee", "Assignee"),
                 ("author", "Author"), ("last_message", "Last message"),
                 ("sentiment", "Sentiment"), ("tags", "Tags"), ("breaches", "SLA breaches"),
                 ("received_at", "Received")], fmt, state.zone, lang=state.lang)


@inbox.command("show")
@ref_argument
@format_option
@pass_state
def show(state: CliState, ref: str, fmt: str) -> None:
    """The conversation: every message and reply, notes, tags and both SLA clocks.

    \b
    Example:
      socmed inbox show 3f2a
    """
    from socmed_cli.i18n import code_value
    from socmed_cli.i18n import t as text
    from socmed_domain.monitoring.vault import reveal

    view = state.app.inbox.get_conversation(ref)
    vault = state.app.inbox.personal_data_vault()
    # a table is for people (the reader's language); json and csv keep stable English codes
    lang = state.lang if fmt == "table" else "en"

    def say(code: str, **params: Any) -> str:
        return text(code, lang, **params)

    def value(code: str) -> str:
        return code_value("kind", code, lang)

    rows: list[dict[str, Any]] = []
    author = reveal(vault, view.author_handle)
    for message in view.messages:
        rows.append({"at": message.received_at, "who": f"@{author}",
                     "what": value(message.kind.value), "text": reveal(vault, message.text),
                     "detail": value(message.assessment.sentiment.value) + "".join(
                         f", {t.value}" for t in message.assessment.topics)})
    for reply in view.replies:
        rows.append({"at": reply.at, "who": reply.by, "what": say("inbox_show_reply"),
                     "text": reveal(vault, reply.text),
                     "detail": say("inbox_show_approved_by", who=reply.approved_by)
                     if reply.approved_by else reply.template})
    if view.pending is not None:
        rows.append({"at": view.pending.at, "who": view.pending.by,
                     "what": say("inbox_show_held_reply"),
                     "text": reveal(vault, view.pending.text),
                     "detail": say("inbox_show_waiting", incident=view.pending.incident_ref)})
    for at, who, note in view.notes:
        rows.append({"at": at, "who": who, "what": say("inbox_show_note"), "text": note,
                     "detail": ""})
    for clock, check in view.sla:
        rows.append({"at": check.due_at, "who": "",
                     "what": say("inbox_show_sla", clock=clock.value),
                     "text": value(check.status.value),
                     "detail": say("inbox_show_priority",
                                   priority=value(view.priority.value))})
    rows.sort(key=lambda r: r["at"])
    if fmt == "table":
        click.echo(say("inbox_show_header", ref=view.ref, platform=view.platform.label,
                       author=author, name=reveal(vault, view.author_name) or "-",
                       status=value(view.status.value), priority=value(view.priority.value),
                       assignee=view.assignee or "-",
                       tags=", ".join(t.value for t in view.tags) or "-"))
    emit(rows, [("at", "When"), ("who", "Who"), ("what", "What"), ("text", "Text"),
                ("detail", "Detail")], fmt, state.zone, lang=state.lang)


refs_argument = click.argument("refs", metavar="CONVERSATION...", nargs=-1)
filter_option = click.option(
    "--filter", "where", default=None, metavar="'KEY=VALUE ...'",
    help="Instead of ids: every conversation matching all terms, e.g. 'status=new "
    "platform=instagram' (keys: status, platform, assignee, tag, priority, sentiment; "
    "a,b for either). Without status, open conversations only.")


def _chosen(refs: tuple[str, ...], where: str | None) -> Any:
    """The parsed --filter (None for ids alone); no ids and no filter is a usage error."""
    from socmed_domain.errors import InvalidInputError
    from socmed_domain.monitoring.bulk_filter import ConversationFilter

    if where is None:
        if not refs:
            raise click.UsageError("give one or more CONVERSATION ids, or --filter")
        return None
    if refs:
        raise InvalidInputError("filter.ids_and_filter")
    return ConversationFilter.parse(where)


@inbox.command("assign")
@refs_argument
@click.option("--to", "assignee", required=True, help="The member who will answer.")
@click.option("--note", default="")
@filter_option
@as_option
@pass_state
def assign(state: CliState, refs: tuple[str, ...], assignee: str, note: str,
           where: str | None, acting_as: str | None) -> None:
    """Give conversations to a member who may reply (a Social Media Admin).

    Several ids, or --filter: all of them are assigned, or (one refused) none.

    \b
    Example:
      socmed --as budi.dm inbox assign 3f2a 9b1c --to adi.admin
      socmed --as budi.dm inbox assign --filter 'status=new platform=instagram' --to adi.admin
    """
    chosen = _chosen(refs, where)
    if chosen is None and len(refs) == 1:
        state.app.inbox.assign_conversation(state.acting(acting_as), refs[0], assignee, note)
        _say(state, "inbox.assigned", ref=refs[0], member=assignee)
        return
    count = state.app.inbox.assign_conversations(state.acting(acting_as), refs, assignee,
                                                 note, where=chosen)
    _say(state, "inbox.bulk_assigned", count=count, member=assignee)


@inbox.command("tag")
@refs_argument
@click.option("--tag", "tags", multiple=True, type=EnumChoice(TAG), required=True,
              help="Repeatable; replaces the conversation's tags.")
@click.option("--priority", type=EnumChoice(PRIORITY), default=None)
@click.option("--reason", default="", help="Why the priority changed.")
@filter_option
@as_option
@pass_state
def tag(state: CliState, refs: tuple[str, ...], tags: tuple[str, ...], priority: str | None,
        reason: str, where: str | None, acting_as: str | None) -> None:
    """Tag conversations (question, complaint, praise, spam, feedback_*).

    Several ids, or --filter: all of them are tagged, or (one refused) none.

    \b
    Example:
      socmed --as budi.dm inbox tag 3f2a --tag complaint --tag feedback_service
      socmed --as budi.dm inbox tag --filter 'sentiment=negative status=new' --tag complaint
    """
    from socmed_domain.monitoring.interaction import Tag
    from socmed_domain.monitoring.sla import Priority

    actor = state.acting(acting_as)
    chosen = _chosen(refs, where)
    if chosen is None and len(refs) == 1:
        state.app.inbox.tag_conversation(actor, refs[0], [Tag(t) for t in tags])
        if priority:
            state.app.inbox.prioritise_conversation(actor, refs[0], Priority(priority), reason)
        _say(state, "inbox.tagged", ref=refs[0], tags=", ".join(tags))
        return
    count = state.app.inbox.tag_conversations(
        actor, refs, [Tag(t) for t in tags], where=chosen,
        priority=Priority(priority) if priority else None, reason=reason)
    _say(state, "inbox.bulk_tagged", count=count, tags=", ".join(tags))


@inbox.command("reply")
@ref_argument
@click.option("--text", default="", help="The reply (or use --template).")
@click.option("--template", default="", help="A template of the response guide "
              "('socmed inbox templates').")
@click.option("--reply-lang", "reply_lang", type=click.Choice(["id", "en"]), default="id",
              show_default=True, help="Language of the template.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A template placeholder ({name} is filled in for you).")
@as_option
@pass_state
def reply(state: CliState, ref: str, text: str, template: str, reply_lang: str,
          params: tuple[str, ...], acting_as: str | None) -> None:
    """Answer through the platform; held for approval during a level 3+ incident.

    \b
    Example:
      socmed --as adi.admin inbox reply 3f2a --template complaint_ack --param channel=DM
    """
    if not text and not template:
        raise click.UsageError("give --text or --template")
    values = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep:
            raise click.BadParameter(f"'{param}' is not NAME=VALUE", param_hint="--param")
        values[name.strip()] = value
    outcome = state.app.inbox.reply_to_conversation(state.acting(acting_as), ref, text,
                                              template=template, lang=reply_lang,
                                              values=values)
    _say(state, f"inbox.reply_{outcome}", ref=ref)


@inbox.command("approve-reply")
@ref_argument
@as_option
@pass_state
def approve_reply(state: CliState, ref: str, acting_as: str | None) -> None:
    """Approve and send a reply held during an incident (Marketing Manager, Legal).

    \b
    Example:
      socmed --as sari.legal inbox approve-reply 3f2a
    """
    state.app.inbox.approve_reply(state.acting(acting_as), ref)
    _say(state, "inbox.reply_sent", ref=ref)


@inbox.command("note")
@ref_argument
@click.option("--text", required=True)
@as_option
@pass_state
def note(state: CliState, ref: str, text: str, acting_as: str | None) -> None:
    """Add an internal note (never sent to the audience).

    \b
    Example:
      socmed --as adi.admin inbox note 3f2a --text "dicek tim TI"
    """
    state.app.inbox.note_conversation(state.acting(acting_as), ref, text)
    _say(state, "inbox.noted", ref=ref)


@inbox.command("close")
@refs_argument
@click.option("--note", default="")
@filter_option
@as_option
@pass_state
def close(state: CliState, refs: tuple[str, ...], note: str, where: str | None,
          acting_as: str | None) -> None:
    """Close conversations (a new message from the audience reopens one).

    Several ids, or --filter: all of them are closed, or (one refused) none.

    \b
    Example:
      socmed --as adi.admin inbox close 3f2a --note "selesai"
      socmed --as adi.admin inbox close --filter 'status=replied tag=praise'
    """
    chosen = _chosen(refs, where)
    if chosen is None and len(refs) == 1:
        state.app.inbox.close_conversation(state.acting(acting_as), refs[0], note)
        _say(state, "inbox.closed", ref=refs[0])
        return
    count = state.app.inbox.close_conversations(state.acting(acting_as), refs, note,
                                                where=chosen)
    _say(state, "inbox.bulk_closed", count=count)


@inbox.command("reopen")
@ref_argument
@click.option("--reason", required=True)
@as_option
@pass_state
def reopen(state: CliState, ref: str, reason: str, acting_as: str | None) -> None:
    """Reopen a closed conversation, with a reason.

    \b
    Example:
      socmed --as budi.dm inbox reopen 3f2a --reason "nasabah menelepon lagi"
    """
    state.app.inbox.reopen_conversation(state.acting(acting_as), ref, reason)
    _say(state, "inbox.reopened", ref=ref)


@inbox.command("sla-check")
@as_option
@format_option
@pass_state
def sla_check(state: CliState, acting_as: str | None, fmt: str) -> None:
    """Flag every SLA clock that ran out (run it from a scheduler, like 'publish due').

    \b
    Example:
      socmed --as adi.admin inbox sla-check --format json
    """
    flagged = state.app.inbox.flag_sla_breaches(state.acting(acting_as))
    emit([{"id": ref, "clock": clock.value} for ref, clock in flagged],
         [("id", "ID"), ("clock", "SLA")], fmt, state.zone, lang=state.lang)


@inbox.command("templates")
@format_option
@pass_state
def templates(state: CliState, fmt: str) -> None:
    """The response guide (Panduan Respon Audiens): templates and their placeholders.

    \b
    Example:
      socmed inbox templates
    """
    guide = state.app.configuration  # the templates of the configuration in force
    rows = [{"template": key, "lang": lang,
             "placeholders": ", ".join(guide.reply_placeholders(key, lang)), "text": text}
            for key, texts in guide.reply_templates().items() for lang, text in texts.items()]
    emit(rows, [("template", "Template"), ("lang", "Lang"), ("placeholders", "Placeholders"),
                ("text", "Text")], fmt, state.zone, lang=state.lang)
