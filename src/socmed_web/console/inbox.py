"""The inbox in the console: conversations filtered by platform, status, sentiment, tag and
SLA (one read-model query, `ReadModels.inbox_page`); bulk assign, tag and close (one
application command each, all-or-nothing: `InboxService.assign_conversations`, ...); a
conversation's page with its SLA countdowns, its messages, a reply from the response
templates, and the reply held during an incident awaiting approval.

The handlers parse the form and call one command; the domain decides and a refusal is shown
next to the control that caused it, in the domain's words.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.identity.principal import Principal
from socmed_domain.monitoring.conversation import ConversationStatus
from socmed_domain.monitoring.interaction import Tag
from socmed_domain.monitoring.sentiment import Polarity
from socmed_domain.platforms import Platform
from socmed_web.console.base import Req, checked, error_message, lang_of, member, page, redirect
from socmed_web.web import context

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

SLA_CHOICES = ("breaching", "within")


def _many(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _choice(value: str | None, allowed: list[str], kind: str) -> str | None:
    """A filter's value, refused (in the catalogue's words) when it is not one of `allowed`."""
    if not value:
        return None
    if value not in allowed:
        raise InvalidInputError("error.unknown_choice", kind=kind, value=value,
                                choices=", ".join(allowed))
    return value


def _filters(platform: str | None, status: str | None, sentiment: str | None,
             tag: str | None, sla: str | None) -> dict[str, Any]:
    return {
        "platform": _choice(platform, [p.value for p in Platform], "platform"),
        "status": _choice(status, [s.value for s in ConversationStatus], "status"),
        "sentiment": _choice(sentiment, [p.value for p in Polarity], "sentiment"),
        "tag": _choice(tag, [t.value for t in Tag], "tag"),
        "sla": _choice(sla, list(SLA_CHOICES), "sla"),
    }


def _inbox_page(request: Req, principal: Principal, chosen: dict[str, Any],
                errors: dict[str, str] | None = None, done: str | None = None,
                status_code: int = 200) -> Any:
    services = context(request).services
    statuses = ((chosen["status"],) if chosen["status"] else
                tuple(s.value for s in ConversationStatus if s is not ConversationStatus.CLOSED))
    breaching = None if not chosen["sla"] else chosen["sla"] == "breaching"
    rows = services.read_models.inbox_page(
        principal, services, status=statuses, platform=chosen["platform"],
        tag=chosen["tag"], sentiment=chosen["sentiment"], breaching=breaching, limit=200)
    return page(request, "console/inbox.html", principal, status_code=status_code,
                rows=rows, chosen=chosen, errors=errors or {}, done=done,
                platforms=[p.value for p in Platform],
                statuses=[s.value for s in ConversationStatus],
                sentiments=[p.value for p in Polarity], tags=[t.value for t in Tag],
                slas=SLA_CHOICES)


@get("/inbox", sync_to_thread=True, include_in_schema=False)
def inbox_page(request: Req, platform: str | None = None, status: str | None = None,
               sentiment: str | None = None, tag: str | None = None,
               sla: str | None = None, done: str | None = None) -> Any:
    principal = member(request)
    return _inbox_page(request, principal, _filters(platform, status, sentiment, tag, sla),
                       done=done)


@post("/inbox/bulk", sync_to_thread=True, include_in_schema=False, status_code=200)
def bulk(request: Req, data: Form) -> Any:
    """One bulk command on the chosen conversations: all of them or none."""
    principal = checked(request, data)
    inbox = context(request).services.app.inbox
    chosen = _many(data, "ids")
    action = str(data.get("action", ""))
    try:
        if action == "assign":
            count = inbox.assign_conversations(principal, chosen,
                                               str(data.get("assignee", "")).strip(),
                                               str(data.get("note", "")))
        elif action == "tag":
            tags = [Tag(t) for t in _many(data, "tags") if t in {x.value for x in Tag}]
            count = inbox.tag_conversations(principal, chosen, tags)
        elif action == "close":
            count = inbox.close_conversations(principal, chosen, str(data.get("note", "")))
        else:
            raise InvalidInputError("error.unknown_choice", kind="action", value=action,
                                    choices="assign, tag, close")
    except SocmedError as error:
        from socmed_web.problems import status_of

        return _inbox_page(request, principal, _filters(None, None, None, None, None),
                           errors={"bulk": error_message(request, error)},
                           status_code=status_of(error))
    return redirect(f"/inbox?done={action}:{count}")


# ------------------------------------------------------------ a conversation

def _countdown(due: datetime, now: datetime) -> str:
    """'2 h 05 min' left (or over), for the SLA clocks."""
    left = due - now
    minutes = int(abs(left) / timedelta(minutes=1))
    return f"{'-' if left < timedelta(0) else ''}{minutes // 60} h {minutes % 60:02d} min"


def _conversation_page(request: Req, principal: Principal, ref: str,
                       errors: dict[str, str] | None = None, done: str | None = None,
                       status_code: int = 200) -> Any:
    services = context(request).services
    found = services.read_models.conversation_for(principal, ref)
    view = found["view"]
    now = services.clock()
    lang = lang_of(request)
    clocks = [{"clock": clock.value, "status": check.status.value, "due_at": check.due_at,
               "left": _countdown(check.due_at, now)} for clock, check in view.sla]
    guide = services.app.configuration  # the reply templates of the configuration in force
    reply_templates = guide.reply_templates()
    templates = [{"key": key, "text": texts[lang if lang in texts else "en"],
                  "fields": [f for f in guide.reply_placeholders(key, "en") if f != "name"]}
                 for key, texts in reply_templates.items()]
    fields = sorted({f for tpl in templates for f in tpl["fields"]})
    return page(request, "console/conversation.html", principal, status_code=status_code,
                view=view, author=found["author"], messages=found["messages"],
                clocks=clocks, templates=templates, fields=fields, errors=errors or {},
                done=done)


@get("/inbox/{ref:str}", sync_to_thread=True, include_in_schema=False)
def conversation_page(request: Req, ref: str, done: str | None = None) -> Any:
    principal = member(request)
    return _conversation_page(request, principal, ref, done=done)


def _act(request: Req, ref: str, data: dict[str, Any], control: str, call: Any) -> Any:
    principal = checked(request, data)
    try:
        outcome = call(principal)
    except SocmedError as error:
        from socmed_web.problems import status_of

        return _conversation_page(request, principal, ref,
                                  errors={control: error_message(request, error)},
                                  status_code=status_of(error))
    return redirect(f"/inbox/{ref}?done={outcome or control}")


@post("/inbox/{ref:str}/reply", sync_to_thread=True, include_in_schema=False, status_code=200)
def reply(request: Req, ref: str, data: Form) -> Any:
    """A reply from a response template (or free text): sent, or held while an incident
    holds replies (the command answers which)."""
    template = str(data.get("template", ""))
    values = {k[len("value_"):]: str(v) for k, v in data.items()
              if k.startswith("value_") and str(v).strip()}
    inbox = context(request).services.app.inbox
    return _act(request, ref, data, "reply", lambda p: inbox.reply_to_conversation(
        p, ref, str(data.get("text", "")), template=template,
        lang=str(data.get("reply_lang", "id")), values=values))


@post("/inbox/{ref:str}/approve-reply", sync_to_thread=True, include_in_schema=False,
      status_code=200)
def approve_reply(request: Req, ref: str, data: Form) -> Any:
    inbox = context(request).services.app.inbox

    def call(principal: Principal) -> str:
        inbox.approve_reply(principal, ref)
        return "approved"
    return _act(request, ref, data, "approve_reply", call)


HANDLERS = [inbox_page, bulk, conversation_page, reply, approve_reply]
