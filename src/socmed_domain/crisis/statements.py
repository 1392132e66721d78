"""Whether an incident's official statement can go out: the warning given when it is linked.

An official statement goes out (freeze or not) only after a Legal member passed the review of
the revision the Marketing Manager approved (`IncidentService.publication_hold`). A review is
recorded on a revision in review, so a statement reviewed without Legal (approved, even
scheduled) goes back first: Legal or the Marketing Manager request changes, the author
resubmits, Legal reviews, the Marketing Manager approves. Rather than a second kind of
review, the member who links the statement is told, at link time, which of these steps are
still due (decision recorded in docs/decisions.md, issue 17).
"""

from __future__ import annotations

from attrs import frozen

from socmed_domain.i18n import render
from socmed_domain.production.content_item import ContentItem, Status

#: Statuses in which the current revision's review is over (passed, awaiting approval,
#: approved, scheduled): a Legal review needs the revision sent back first.
PAST_REVIEW = frozenset({Status.REVIEWED, Status.AWAITING_APPROVAL, Status.APPROVED,
                         Status.SCHEDULED})
#: Statuses in which a review by Legal is still ahead.
BEFORE_REVIEW = frozenset({Status.IDEA, Status.DRAFT, Status.IN_REVIEW,
                           Status.CHANGES_REQUESTED})


@frozen
class StatementLink:
    """A statement linked to an incident, with what still stands between it and going out
    (`warning`: a message code, "" when nothing does)."""

    content_id: str
    warning: str = ""

    def message(self, lang: str = "en") -> str:
        return render(self.warning, lang, content=self.content_id[:8]) if self.warning else ""


def statement_warning(item: ContentItem, legal_reviewed: bool) -> str:
    """The warning code for a statement (`legal_reviewed`: a Legal member passed the review
    of its approved revision), "" when none is due."""
    if legal_reviewed:
        return ""
    if item.status in PAST_REVIEW:
        return "statement.legal_after_review"
    if item.status in BEFORE_REVIEW:
        return "statement.legal_review_due"
    return ""
