"""docs/api.md's `http` examples, sent as written to the API over a real store; the
`# -> STATUS` under each is the status it must get (placeholders: see the document)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.web.conftest import Api

DOC = Path(__file__).parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"```http\n(.*?)```\n# -> (\d{3})", re.S)


def examples() -> list[tuple[str, int]]:
    return [(m.group(1), int(m.group(2))) for m in BLOCK.finditer(DOC.read_text("utf-8"))]


def test_the_document_has_examples() -> None:
    assert len(examples()) >= 8


def test_api_doc_examples(sqlite_api: Api) -> None:
    bound: dict[str, str] = {}
    client = sqlite_api.client
    for text, expected in examples():
        for name, value in bound.items():
            text = text.replace(f"${name}", value)
        head, _, body = text.partition("\n\n")
        request_line, *header_lines = head.strip().splitlines()
        method, path = request_line.split(" ", 1)
        headers = dict(line.split(": ", 1) for line in header_lines)
        client.cookies.clear()
        answer = client.request(method, path, headers=headers,
                                content=body.strip().encode() if body.strip() else None)
        assert answer.status_code == expected, (request_line, answer.text)
        if "socmed_session" in answer.cookies:
            bound["SESSION"] = answer.cookies["socmed_session"]
        found = answer.json() if answer.headers["content-type"].endswith("json") else {}
        if isinstance(found, dict):
            for key, name in (("csrf_token", "CSRF"), ("secret", "TOKEN"),
                              ("item_id", "ITEM")):
                if key in found:
                    bound[name] = str(found[key])
            if "summary" in found:
                bound["SHA"] = found["summary"]["revision_sha256"]
    assert {"SESSION", "CSRF", "TOKEN", "ITEM", "SHA"} <= bound.keys()
