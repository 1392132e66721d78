"""A real OpenID Connect provider on 127.0.0.1, for the single sign-on tests.

`oidc-provider-mock` (authlib's server on Flask) implements discovery, the authorization
endpoint (a form where the test "signs in" as a subject), the token endpoint, JWKS and ID
tokens signed with its own RSA key. It is served by werkzeug on 127.0.0.1, port 0, in a
thread, and every request it receives is recorded so tests can check what the relying party
sent (the PKCE challenge and verifier, the nonce). Nothing leaves the machine.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

import httpx
import oidc_provider_mock
import werkzeug.serving


class RecordingMiddleware:
    """Records (method, path, query, form) of every request the provider receives."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[tuple[str, str, dict[str, list[str]], dict[str, list[str]]]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        form: dict[str, list[str]] = {}
        if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            form = parse_qs(body.decode())
            environ["wsgi.input"] = io.BytesIO(body)
        self.requests.append((environ["REQUEST_METHOD"], environ["PATH_INFO"],
                              parse_qs(environ.get("QUERY_STRING", "")), form))
        return self.app(environ, start_response)

    def sent_to(self, path: str) -> list[tuple[dict[str, list[str]], dict[str, list[str]]]]:
        return [(query, form) for _, p, query, form in self.requests if p == path]


class LocalProvider:
    """The running provider: its issuer URL, its users, and what it was sent."""

    def __init__(self, server: werkzeug.serving.BaseWSGIServer,
                 recorder: RecordingMiddleware) -> None:
        self.server = server
        self.recorder = recorder
        self.issuer = f"http://127.0.0.1:{server.server_port}"

    def set_user(self, subject: str, **claims: Any) -> None:
        """The claims the provider states for `subject` (email, email_verified, name)."""
        response = httpx.put(f"{self.issuer}/users/{subject}", json=claims, timeout=10)
        assert response.status_code == 204, response.text


@contextmanager
def local_provider(**options: Any) -> Iterator[LocalProvider]:
    app = oidc_provider_mock.app(require_nonce=True, **options)
    recorder = RecordingMiddleware(app)
    server = werkzeug.serving.make_server("127.0.0.1", 0, recorder, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield LocalProvider(server, recorder)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def sign_in_at_provider(client: httpx.Client, authorize_url: str, subject: str,
                        deny: bool = False) -> httpx.Response:
    """What a person does on the provider's page: open it, then submit the form as
    `subject` (or press Deny). Returns the provider's redirect (not followed)."""
    page = client.get(authorize_url)
    assert page.status_code == 200, page.text
    form = {"action": "deny"} if deny else {"sub": subject}
    response = client.post(authorize_url, data=form, follow_redirects=False)
    assert response.status_code == 302, response.text
    return response
