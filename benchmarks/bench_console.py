"""Server time of the web console's pages on a seeded SQLite store (issue 16: p95 <= 50 ms).

    .venv/bin/python -m benchmarks.bench_console [items]

Builds a store with the demo team and `items` content items (a third awaiting approval,
a third drafts, a third approved), signs in through the console's form, and times each
page through the ASGI app (Litestar's TestClient: the whole app, middleware included, no
network), after one warm-up request that lets the projections catch up.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def main(items: int = 300, repeat: int = 60) -> list[str]:
    from litestar.testing import TestClient
    from tests.browser.store import approved, awaiting_approval, draft, password, seeded
    from tests.conftest import Backend

    from benchmarks.common import HEADER, line, percentiles
    from socmed_web.app import create_app

    rows = [HEADER]
    with tempfile.TemporaryDirectory() as tmp:
        backend = Backend("sqlite", Path(tmp) / "store", None)
        try:
            services, campaign, _other, totp = seeded(backend)
            app = services.app
            first = ""
            for i in range(items // 3):
                first = first or awaiting_approval(app, campaign, f"Menunggu {i}")
                approved(app, campaign, f"Disetujui {i}")
                app.content.create("budi.dm", f"Draf {i}", draft(f"Draf ke-{i}"), campaign)
            events = services.app.recorder.max_notification_id()
            import pyotp

            with TestClient(create_app(services)) as client:
                for member_id, pages in (("rina.mm", ["/", "/items", f"/items/{first}"]),
                                         ("budi.dm", ["/", "/items/new"])):
                    client.cookies.clear()
                    now = services.clock.advance(seconds=31)
                    otp = pyotp.TOTP(totp[member_id]).at(now) if member_id in totp else ""
                    client.post("/login", data={"member_id": member_id, "otp": otp,
                                                "password": password(member_id)})
                    for path in pages:
                        client.get(path)  # warm-up: projections catch up
                        samples = []
                        for _ in range(repeat):
                            start = time.perf_counter()
                            answer = client.get(path)
                            samples.append(time.perf_counter() - start)
                            assert answer.status_code == 200, answer.text[:300]
                        p50, p95 = percentiles(samples)
                        shown = path if len(path) < 20 else path[:16] + "..."
                        rows.append(line(
                            f"console {shown} as {member_id} ({items} items, {events} events)",
                            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms", "-", "p95 <= 50 ms",
                            "yes" if p95 <= 50 else "no"))
        finally:
            backend.close()
    return rows


if __name__ == "__main__":
    for row in main(int(sys.argv[1]) if len(sys.argv) > 1 else 300):
        print(row)
