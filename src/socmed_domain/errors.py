"""Domain errors: one base class, a message a person can act on, in English and Bahasa Indonesia.

Every rule violation raises before anything is saved, so a refused command writes nothing.
An error carries a message code and its parameters rather than a finished sentence, so each
front end (CLI, a web service) can render it in the reader's language.
"""

from __future__ import annotations

from typing import Any

from socmed_domain.i18n import DEFAULT_LANG, Formatter, render


class SocmedError(Exception):
    """Base class of every rule violation the domain reports."""

    code: str = "error.generic"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.message(DEFAULT_LANG))

    def message(self, lang: str = DEFAULT_LANG, formatter: Formatter | None = None) -> str:
        """The one-line message in the given language ('en' or 'id'); an edge passes its
        formatter (Babel) for numbers and plural forms."""
        params = {name: quoted(name, _localised(value, lang))
                  for name, value in self.params.items()}
        return render(self.code, lang, formatter, **params)


#: The most characters of one input an error message quotes: a 100 KB id or handle is shown
#: as its beginning and an ellipsis, so the line stays one readable line.
QUOTE_LIMIT = 80
#: The parameters that quote what a user typed (an id, a handle, a value, a name).
INPUTS = frozenset({"value", "ref", "member", "actor", "name", "title", "term", "key",
                    "subject", "url", "where", "given", "metric", "source", "placeholder",
                    "template", "method", "option", "handle", "recipient", "category"})
#: Every other parameter is composed by the code (a nested message, a list of allowed
#: states or choices) and may be longer; it is still bounded, since it can embed an input.
COMPOSED_LIMIT = 400
PATH_LIMIT = 200


def quoted(name: str, value: Any) -> Any:
    """`value` shortened to what an error line may quote of it (strings only)."""
    if not isinstance(value, str):
        return value
    limit = (QUOTE_LIMIT if name in INPUTS else PATH_LIMIT if name == "path"
             else COMPOSED_LIMIT)
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _localised(value: Any, lang: str) -> Any:
    """Render nested findings (anything with .message(lang)) in the reader's language."""
    if isinstance(value, tuple) and value and all(hasattr(v, "message") for v in value):
        return "; ".join(v.message(lang) for v in value)
    if hasattr(value, "message") and callable(value.message):
        return value.message(lang)
    return value


class NotFoundError(SocmedError):
    """Something named by id or handle does not exist."""

    code = "error.not_found"


class PermissionDeniedError(SocmedError):
    """The acting member's role may not do this (see the role matrix)."""

    code = "error.not_allowed"


class InvalidStateError(SocmedError):
    """The command does not fit the current stage of the workflow."""

    code = "error.invalid_state"


class InvalidInputError(SocmedError):
    """A value given to a command is malformed or out of range."""

    code = "error.invalid_input"


class RuleViolationError(SocmedError):
    """Content breaks a publishing rule (platform limits, banned words, disclosure)."""

    code = "error.rule_violation"


class ConflictError(SocmedError):
    """Someone else changed the same record at the same time; the command can be retried."""

    code = "error.conflict"


class NotAuthenticatedError(SocmedError):
    """Who is asking could not be established: a wrong password or code, an unknown,
    expired or signed-out session, a revoked or expired token, a deactivated member."""

    code = "error.not_authenticated"


class SecondFactorRequiredError(NotAuthenticatedError):
    """The password was right and the member has a second factor: ask for the TOTP code."""

    code = "error.second_factor_required"
