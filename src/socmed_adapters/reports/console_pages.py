"""The console's monthly report pages, kept so that no reader waits while one is computed.

A month's report is a function of the whole month's events (on a store of a million events,
twelve thousand posts grouped by platform, campaign, slot and format, their latest metric
snapshots, the charts drawn): one to three seconds of work, too long for a page. Its "so far"
figures also follow the clock. So the page is kept per (month, zone, language) with the log
position and the time it was computed, and:

- a kept page computed at the log's current head less than `FRESH_FOR` ago is shown as it is;
- an older one is shown at once, marked as being updated, while one background thread
  (one per page at a time) computes the new one; the next load shows it;
- only the first load of a month in a server process computes while the reader waits.

The report itself is unchanged: `reports.monthly.monthly_report` and `monthly_html.body`,
the same as `socmed report monthly --format html`, under the cards of `socmed dashboard`
(`monthly_dashboard.cards_html`).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from datetime import datetime, tzinfo
from typing import Any

from attrs import frozen

from socmed_domain.months import Month

LOG = logging.getLogger(__name__)

#: How long a kept page is current while the log stands still (its "so far" figures follow
#: the clock, by the minute).
FRESH_FOR = 60.0
#: Pages kept per server (months x zones x languages); the oldest goes first.
KEPT = 32


@frozen
class ReportPage:
    """A rendered report: `current` is False while a newer one is being computed."""

    html: str
    computed_at: datetime
    current: bool


@frozen
class _Kept:
    head: int
    monotonic: float
    html: str
    computed_at: datetime


class ReportPages:
    """The kept pages of one server's services."""

    def __init__(self, services: Any) -> None:
        self._services = weakref.ref(services)  # the pages are kept while the services live
        self._kept: dict[tuple[str, str, str], _Kept] = {}
        #: The report model per (month, zone) with its head and time: the languages' pages
        #: of one moment share it.
        self._models: dict[tuple[str, str], tuple[int, float, Any]] = {}
        self._running: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    @property
    def services(self) -> Any:
        services = self._services()
        if services is None:
            raise RuntimeError("the services of these report pages were closed")
        return services

    def page(self, month: Month, zone: tzinfo, lang: str) -> ReportPage:
        key = (str(month), str(zone), lang)
        head = self.services.projector.head()
        with self._lock:
            kept = self._kept.get(key)
        if kept is None:
            kept = self._compute(key, month, zone, lang)
            return ReportPage(kept.html, kept.computed_at, True)
        if kept.head == head and time.monotonic() - kept.monotonic < FRESH_FOR:
            return ReportPage(kept.html, kept.computed_at, True)
        self._refresh(key, month, zone, lang)
        return ReportPage(kept.html, kept.computed_at, False)

    def _compute(self, key: tuple[str, str, str], month: Month, zone: tzinfo,
                 lang: str) -> _Kept:
        from socmed_adapters.reports.monthly import monthly_report
        from socmed_adapters.reports.monthly_dashboard import cards_html
        from socmed_adapters.reports.monthly_html import body

        head = self.services.projector.head()  # before the read: a later event makes it old
        started = time.monotonic()
        with self._lock:
            model = self._models.get(key[:2])
        if model is not None and model[0] == head and started - model[1] < FRESH_FOR:
            report, started = model[2], model[1]
        else:
            report = monthly_report(self.services, month, zone)
            with self._lock:
                if len(self._models) >= KEPT:
                    self._models.clear()
                self._models[key[:2]] = (head, started, report)
        html = cards_html(report, lang, level=2) + body(report, lang, zone, level=2)
        kept = _Kept(head, started, html, self.services.clock())
        with self._lock:
            if len(self._kept) >= KEPT and key not in self._kept:
                self._kept.pop(min(self._kept, key=lambda k: self._kept[k].monotonic))
            self._kept[key] = kept
        return kept

    def _refresh(self, key: tuple[str, str, str], month: Month, zone: tzinfo,
                 lang: str) -> None:
        with self._lock:
            if key in self._running:
                return
            self._running.add(key)

        def run() -> None:
            try:
                self._compute(key, month, zone, lang)
            except Exception:  # the kept page stays; the next load tries again
                LOG.exception("the monthly report %s could not be computed", key[0])
            finally:
                with self._lock:
                    self._running.discard(key)

        threading.Thread(target=run, name="socmed-report-page", daemon=True).start()

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until no page is being computed (tests, and a server stopping)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._running:
                    return
            time.sleep(0.01)


_PAGES: weakref.WeakKeyDictionary[Any, ReportPages] = weakref.WeakKeyDictionary()
_PAGES_LOCK = threading.Lock()


def report_pages(services: Any) -> ReportPages:
    """The kept pages of these services (one set per server process and store)."""
    with _PAGES_LOCK:
        pages = _PAGES.get(services.projector)
        if pages is None:
            pages = _PAGES[services.projector] = ReportPages(services)
        return pages

