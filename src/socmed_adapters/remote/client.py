"""HTTP to a socmed server's /api/v1, and its RFC 9457 problems back into domain errors.

Every answer that is not a success is a problem carrying the domain's error `code` and its
`params` (socmed_web.problems): the client raises a `SocmedError` of the same kind with the
same code and parameters, so the CLI prints the very line it prints on a local store, in
whichever language it was asked for. A server the CLI cannot reach, or one that no longer
accepts the stored token, is one line of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from socmed_domain.access.rules import StaleVersionError
from socmed_domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    SocmedError,
)

API = "/api/v1"
TIMEOUT = httpx.Timeout(30.0, connect=5.0)
#: The kind of error each status stands for (the inverse of socmed_web.problems.STATUS_OF).
KIND_OF_STATUS: dict[int, type[SocmedError]] = {
    401: NotAuthenticatedError, 404: NotFoundError, 403: PermissionDeniedError, 409: ConflictError,
    422: InvalidInputError, 412: ConflictError,
}
#: Codes whose kind the status does not tell (a 409 may be a conflict or a wrong stage).
KIND_OF_CODE: dict[str, type[SocmedError]] = {
    "error.invalid_state": InvalidStateError, "error.rule_violation": RuleViolationError,
}


class ServerUnreachableError(SocmedError):
    code = "error.server_unreachable"


class ServerAnswerError(SocmedError):
    """The server answered with something that is not the API's JSON (a proxy's page)."""

    code = "error.server_answer"


class LoginRejectedError(SocmedError):
    """The stored token is no longer accepted (revoked, expired, member deactivated)."""

    code = "error.login_rejected"


class SecondFactorCodeError(SocmedError):
    """A command the server refused for want of a second factor, and no code to send."""

    code = "error.second_factor_code"


#: The header carrying a TOTP code for one request (the server's step-up).
STEP_UP_HEADER = "X-Socmed-TOTP"
#: Asks for the member's current TOTP code (a terminal prompt, $SOCMED_OTP), or None.
StepUp = Callable[[], "str | None"]


class Rendered:
    """A nested message the server rendered in both languages (findings, terms)."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = dict(texts)

    def message(self, lang: str = "en") -> str:
        return self.texts.get(lang) or self.texts.get("en") or ""

    def __str__(self) -> str:
        return self.message("en")


def _param(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"rendered"} and isinstance(
            value["rendered"], dict):
        return Rendered(value["rendered"])
    return value


class RemoteError(SocmedError):
    """A refusal the server reported; renders like the local one from its code and params,
    or, for a code this CLI does not know, as the server's own sentence."""

    def __init__(self, code: str, params: Mapping[str, Any], detail: str) -> None:
        self.detail = detail
        super().__init__(code, **{k: _param(v) for k, v in params.items()})

    def message(self, lang: str = "en", formatter: Any = None) -> str:
        try:
            line = super().message(lang, formatter)
        except (KeyError, IndexError, ValueError):
            return self.detail
        return self.detail if line == self.code else line


def domain_error(status: int, body: Mapping[str, Any]) -> SocmedError:
    """The domain error a problem document stands for (same class kind, code and params)."""
    code = str(body.get("code") or "error.generic")
    params = body.get("params") if isinstance(body.get("params"), dict) else {}
    detail = str(body.get("detail") or code)
    if status == 412 and "current_version" in body:
        kind: type[SocmedError] = StaleVersionError
    else:
        kind = KIND_OF_CODE.get(code) or KIND_OF_STATUS.get(status, SocmedError)
    error_type = type(kind.__name__, (RemoteError, kind), {})
    error: SocmedError = error_type(code, params, detail)
    return error


class ApiClient:
    """One server, one credential; each call is one request."""

    def __init__(self, server: str, secret: str | None = None, lang: str = "en",
                 transport: httpx.BaseTransport | None = None,
                 step_up: StepUp | None = None) -> None:
        self.server = server
        self.step_up = step_up
        headers = {"Accept": "application/json", "Accept-Language": lang,
                   "User-Agent": "socmed-cli"}
        if secret is not None:
            headers["Authorization"] = f"Bearer {secret}"
        self.http = httpx.Client(base_url=server + API, headers=headers, timeout=TIMEOUT,
                                 transport=transport, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json: Any = None, headers: Mapping[str, str] | None = None) -> Any:
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            answer = self.http.request(method, path, params=clean, json=json,
                                       headers=headers)
            refused = self._needs_second_factor(answer)
            if refused is not None:
                code = self.step_up() if self.step_up is not None else None
                if not code:
                    raise SecondFactorCodeError(action=_param(refused.get("action", "")))
                # the refused request wrote nothing: it is sent again with the code
                answer = self.http.request(method, path, params=clean, json=json, headers={
                    **(headers or {}), STEP_UP_HEADER: code.strip()})
        except httpx.HTTPError as error:
            raise ServerUnreachableError(url=self.server,
                                         detail=str(error) or type(error).__name__) from None
        return self.decode(answer)

    @staticmethod
    def _needs_second_factor(answer: httpx.Response) -> dict[str, Any] | None:
        """The params of a refusal for want of a second factor (which a TOTP code sent with
        the request lifts), else None."""
        if answer.status_code != 403:
            return None
        try:
            body = answer.json()
        except ValueError:
            return None
        if not isinstance(body, dict) or body.get("code") != "error.second_factor_needed":
            return None
        params = body.get("params")
        return params if isinstance(params, dict) else {}

    def decode(self, answer: httpx.Response) -> Any:
        try:
            body = answer.json() if answer.content else {}
        except ValueError:
            raise ServerAnswerError(url=self.server, status=answer.status_code) from None
        if answer.is_success:
            return body
        if not isinstance(body, dict) or "code" not in body:
            raise ServerAnswerError(url=self.server, status=answer.status_code)
        if answer.status_code == 401 and "Authorization" in self.http.headers:
            raise LoginRejectedError(url=self.server)
        raise domain_error(answer.status_code, body)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, json={} if body is None else body)

    def upload(self, file: str) -> Any:
        """Send a local media file's bytes (POST /media, streamed); the server answers the
        stored reference with what the bytes are. A missing file is the local line."""
        from pathlib import Path

        from socmed_domain.errors import InvalidInputError

        path = Path(file).expanduser()
        try:
            stream = path.open("rb")
        except OSError:
            raise InvalidInputError("error.media_unreadable", media=file,
                                    detail="no such file") from None
        with stream:
            try:
                answer = self.http.post("/media", content=iter(
                    lambda: stream.read(1 << 20), b""), headers={
                    "Content-Type": "application/octet-stream"},
                    timeout=httpx.Timeout(600.0, connect=5.0))
            except httpx.HTTPError as error:
                raise ServerUnreachableError(
                    url=self.server, detail=str(error) or type(error).__name__) from None
        return self.decode(answer)

    def get_bytes(self, path: str, **params: Any) -> bytes:
        """A download (a zip): its bytes, or the problem it was refused with."""
        clean = {k: v for k, v in params.items() if v is not None}
        try:
            answer = self.http.get(path, params=clean)
        except httpx.HTTPError as error:
            raise ServerUnreachableError(url=self.server,
                                         detail=str(error) or type(error).__name__) from None
        if answer.is_success:
            return answer.content
        self.decode(answer)
        raise ServerAnswerError(url=self.server, status=answer.status_code)

    def send(self, path: str, content: bytes, content_type: str) -> Any:
        """POST a body that is not JSON (JSON Lines)."""
        try:
            answer = self.http.post(path, content=content,
                                    headers={"Content-Type": content_type})
        except httpx.HTTPError as error:
            raise ServerUnreachableError(url=self.server,
                                         detail=str(error) or type(error).__name__) from None
        return self.decode(answer)

    def pages(self, path: str, limit: int = 500, **params: Any) -> list[Any]:
        """Every item of a keyset-paged listing (one request per page of `limit`)."""
        items: list[Any] = []
        after: str | None = None
        while True:
            page = self.get(path, limit=limit, after=after, **params)
            items.extend(page["items"])
            after = page.get("next")
            if not after:
                return items


#: How long a token made by `socmed login` lives unless asked otherwise (days).
LOGIN_TOKEN_DAYS = 30


def issue_login(server: str, member_id: str, password: str, otp: str | None, *,
                name: str, days: int = LOGIN_TOKEN_DAYS, lang: str = "en",
                transport: httpx.BaseTransport | None = None) -> Any:
    """Sign in (password and, where the server asks for it, a TOTP code), create an API token
    for oneself with the `commands` scope and an expiry, and end the session again: what is
    kept is only the token, which the member can list and revoke on the server."""
    from socmed_adapters.remote.credentials import Login

    client = ApiClient(server, None, lang, transport=transport)
    try:
        signed = client.post("/session", {"member_id": member_id, "password": password,
                                          "otp": otp})
        csrf = {"X-CSRF-Token": str(signed.get("csrf_token", ""))}
        issued = client.request("POST", "/tokens", headers=csrf, json={
            "name": name, "scope": "commands", "expires_in_days": days})
        client.request("DELETE", "/session", headers=csrf)
    finally:
        client.close()
    from datetime import datetime

    return Login(server=server, member_id=str(signed.get("member_id", member_id)),
                 token_id=str(issued["token_id"]), secret=str(issued["secret"]),
                 expires_at=datetime.fromisoformat(str(issued["expires_at"])))


def revoke_login(login: Any, lang: str = "en",
                 transport: httpx.BaseTransport | None = None) -> bool:
    """Revoke the login's token on its server; False when the server no longer accepted it
    (revoked or expired already), so there was nothing left to revoke."""
    client = ApiClient(login.server, login.secret, lang, transport=transport)
    try:
        client.request("DELETE", f"/tokens/{login.token_id}")
    except LoginRejectedError:
        return False
    finally:
        client.close()
    return True


def who_am_i(login: Any, lang: str = "en") -> dict[str, Any]:
    """The server's view of the login: member, role, via and scope (GET /me)."""
    client = ApiClient(login.server, login.secret, lang)
    try:
        answer: dict[str, Any] = client.get("/me")
        return answer
    finally:
        client.close()
