"""Process entry points for the concurrency tests (importable under the spawn start method)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_domain.errors import ConflictError, SocmedError
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import Draft


class CountingPublisher(SandboxPublisher):
    """Appends one line per publish() call, so a second call for a post cannot hide."""

    def publish(self, post):  # type: ignore[no-untyped-def]
        with open(self.outbox.parent / "calls.log", "a", encoding="utf-8") as calls:
            calls.write(f"{post.idempotency_key}\n")
        return super().publish(post)


def revise_many(data_dir: str, database_url: str | None, item: str, worker: int,
                count: int) -> tuple[int, int]:
    services = bootstrap(Path(data_dir), database_url=database_url)
    done = conflicts = 0
    try:
        for n in range(count):
            draft = Draft(text=f"worker {worker} revision {n}", platforms=(Platform.LINKEDIN,))
            try:
                services.app.revise_content("budi.dm", item, draft, f"w{worker}")
                done += 1
            except ConflictError:
                conflicts += 1
    finally:
        services.close()
    return done, conflicts


def publish_due(data_dir: str, database_url: str | None, now_iso: str) -> list[str]:
    clock = ManualClock(datetime.fromisoformat(now_iso))
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    outbox = Path(data_dir) / "outbox"
    services = bootstrap(Path(data_dir), database_url=database_url, clock=clock,
                         publisher=CountingPublisher(outbox, clock))
    try:
        lines = services.app.publish_due("adi.admin")
        return [f"{line.item_id}:{line.platform}:{line.outcome}" for line in lines]
    except SocmedError as error:
        return [f"error:{error}"]
    finally:
        services.close()
