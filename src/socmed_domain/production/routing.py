"""Approval routes: the company's rules for what must happen before the Marketing Manager's
approval of a revision can be recorded (issue 17, "Approval routes as data").

A route (`ApprovalRoute`) is a rule: conditions on the revision (sponsored or carrying
`#iklan`, a campaign, a platform, a category of claims such as financial products, prizes and
lotteries, health or halal claims, or plain matched terms) and the further steps they require
(a Legal compliance review, a second approver, a sign-off by a named group of members). The
company's routes (`ApprovalRoutes`) come from its configuration.

When a revision is submitted for review the routes are evaluated once, and the result
(`BoundRoute`) is stored in the submission event: the steps are copied there with who may
record them, so no later change of the configuration (a rule deleted, a group emptied, a
member removed) can make a step disappear for an item already routed. A new revision is
evaluated afresh at its submission; the same revision submitted again keeps every step it
was bound to, and gains any the routes in force add.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from attrs import field, frozen

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import Draft
from socmed_domain.roles import Role

STEP_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
#: The disclosure that marks an advertisement (Etika Pariwara Indonesia): a route asking for
#: sponsored content matches it even when the author did not tick "sponsored".
AD_MARKERS = ("#iklan", "#ad", "#sponsored", "#paidpartnership", "#kerjasama")


def _tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _platforms(value: Iterable[Platform]) -> tuple[Platform, ...]:
    order = list(Platform)
    return tuple(sorted(set(value), key=order.index))


@frozen
class RouteStep:
    """A further step a route requires, and who may record it: members of a role, or the
    members a named group lists (as they were when the revision was routed, once bound)."""

    key: str
    role: Role | None = None
    members: tuple[str, ...] = field(default=(), converter=_tuple)
    label: str = ""

    def eligible(self, actor: Actor) -> bool:
        return (self.role is not None and actor.role is self.role) or (
            actor.member_id in self.members)

    def who(self) -> str:
        """Who may record it, for messages: "legal", "m-1, m-2", "legal or m-1"."""
        parts = ([self.role.value] if self.role is not None else []) + list(self.members)
        return " or ".join(parts) if parts else "-"

    def describe(self) -> str:
        return f"{self.key} ({self.who()})"


@frozen
class TermCategory:
    """A category of claims recognised by its terms (whole words or phrases, any case)."""

    name: str
    terms: tuple[str, ...] = field(converter=_tuple)

    def found_in(self, text: str) -> tuple[str, ...]:
        return terms_in(text, self.terms)


def terms_in(text: str, terms: Iterable[str]) -> tuple[str, ...]:
    """The terms found in `text` as whole words or phrases, ignoring case."""
    folded = text.casefold()
    found = []
    for term in terms:
        needle = term.strip().casefold()
        if needle and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", folded):
            found.append(term.strip())
    return tuple(found)


#: Categories a route may name without defining them; a configuration may replace or add.
DEFAULT_CATEGORIES: tuple[TermCategory, ...] = (
    TermCategory("financial_claims", (
        "bunga", "suku bunga", "imbal hasil", "return", "investasi", "cicilan 0%",
        "bebas biaya", "cashback", "deposito", "pinjaman", "kredit", "reksa dana",
        "interest rate", "investment", "yield", "loan")),
    TermCategory("prizes_lotteries", (
        "undian", "hadiah", "giveaway", "kuis", "lucky draw", "doorprize", "menangkan",
        "pemenang", "prize", "lottery", "sweepstakes", "contest")),
    TermCategory("health_claims", (
        "menyembuhkan", "mengobati", "klinis", "teruji klinis", "bpom", "kesehatan",
        "imunitas", "cures", "clinically proven", "immunity")),
    TermCategory("halal_claims", (
        "halal", "sertifikat halal", "mui", "bpjph", "syariah", "sharia")),
)


@frozen
class ApprovalRoute:
    """One rule: a revision that meets every condition given needs `steps` before approval.

    Within one kind of condition any listed value will do (any of the platforms); a rule with
    no condition at all routes every revision."""

    name: str
    steps: tuple[str, ...] = field(converter=_tuple)
    #: Sponsored content: ticked as sponsored, or carrying an ad disclosure such as #iklan.
    sponsored: bool = False
    #: Campaign ids (or a unique prefix) or names.
    campaigns: tuple[str, ...] = field(default=(), converter=_tuple)
    platforms: tuple[Platform, ...] = field(default=(), converter=_platforms)
    categories: tuple[str, ...] = field(default=(), converter=_tuple)
    terms: tuple[str, ...] = field(default=(), converter=_tuple)

    def reasons(self, subject: RouteSubject,
                categories: Iterable[TermCategory]) -> tuple[str, ...] | None:
        """Why the rule applies to `subject` (one reason per condition), or None."""
        draft, reasons = subject.draft, []
        text = subject.text()
        if self.sponsored:
            markers = terms_in(text, AD_MARKERS)
            if not draft.sponsored and not markers:
                return None
            reasons.append("sponsored" if draft.sponsored else f"disclosure {markers[0]}")
        if self.campaigns:
            hit = next((c for c in self.campaigns if subject.in_campaign(c)), None)
            if hit is None:
                return None
            reasons.append(f"campaign {hit}")
        if self.platforms:
            targeted = [p for p in self.platforms if p in draft.platforms]
            if not targeted:
                return None
            reasons.append("platform " + ", ".join(p.value for p in targeted))
        if self.categories:
            known = {c.name: c for c in categories}
            hits = [(name, known[name].found_in(text)) for name in self.categories
                    if name in known]
            hits = [(name, found) for name, found in hits if found]
            if not hits:
                return None
            reasons.extend(f"{name}: {', '.join(found)}" for name, found in hits)
        if self.terms:
            found = terms_in(text, self.terms)
            if not found:
                return None
            reasons.append("terms: " + ", ".join(found))
        return tuple(reasons) or ("every revision",)


@frozen
class RouteSubject:
    """What a route looks at: the revision submitted and the item's campaign."""

    draft: Draft
    campaign_id: str | None = None
    campaign_name: str = ""

    def text(self) -> str:
        """Everything a reader sees: each platform's body, with its hashtags."""
        return "\n".join(self.draft.body_for(p) for p in self.draft.platforms)

    def in_campaign(self, wanted: str) -> bool:
        name = wanted.strip().casefold()
        if not name or self.campaign_id is None:
            return False
        return (len(name) >= 4 and self.campaign_id.casefold().startswith(name)) or (
            name == self.campaign_name.strip().casefold())


@frozen
class RouteMatch:
    """A rule that matched, and why."""

    route: str
    reasons: tuple[str, ...] = field(converter=_tuple)


@frozen
class BoundRoute:
    """The route a revision was bound to when submitted: the rules that matched and the
    steps required, copied with who may record them."""

    revision_number: int
    revision_sha256: str
    matches: tuple[RouteMatch, ...] = ()
    steps: tuple[RouteStep, ...] = ()
    #: The configuration version the routes came from ("" when passed in directly).
    version: str = ""

    def step(self, key: str) -> RouteStep | None:
        return next((s for s in self.steps if s.key == key), None)

    def keeping(self, earlier: BoundRoute | None) -> BoundRoute:
        """This route, still requiring every step `earlier` bound the same revision to."""
        if earlier is None or earlier.revision_sha256 != self.revision_sha256:
            return self
        steps = list(earlier.steps)
        for step in self.steps:
            if all(s.key != step.key for s in steps):
                steps.append(step)
        matches = list(earlier.matches)
        matches += [m for m in self.matches if m not in matches]
        return BoundRoute(self.revision_number, self.revision_sha256, tuple(matches),
                          tuple(steps), self.version or earlier.version)

    def names(self) -> str:
        return ", ".join(m.route for m in self.matches)


@frozen
class StepRecord:
    """A step recorded on a revision: which, by whom, when."""

    step: str
    member_id: str
    revision_number: int
    revision_sha256: str
    comment: str = ""


@frozen
class ApprovalRoutes:
    """The company's approval routes: the steps, the rules, and categories of claims the
    rules may name (besides the built-in `DEFAULT_CATEGORIES`, which one of the same name
    replaces)."""

    steps: tuple[RouteStep, ...] = ()
    routes: tuple[ApprovalRoute, ...] = ()
    categories: tuple[TermCategory, ...] = ()
    #: The configuration version the routes are part of (set by the configuration service).
    version: str = ""

    def all_categories(self) -> tuple[TermCategory, ...]:
        own = {c.name for c in self.categories}
        return tuple(c for c in DEFAULT_CATEGORIES if c.name not in own) + self.categories

    def problems(self) -> Iterator[tuple[str, str, str]]:
        """What no one could follow, as (field, value, what is allowed): a step no one may
        record, an unknown step or category, a name defined twice."""
        keys: list[str] = []
        for n, step in enumerate(self.steps):
            where = f"steps[{n}]"
            if not STEP_KEY.match(step.key):
                yield (f"{where}.key", step.key, "lower-case letters, digits, '_' and '-', "
                       "starting with a letter, at most 40")
            if step.key in keys:
                yield (f"{where}.key", step.key, "a key no other step has")
            keys.append(step.key)
            if step.role is Role.AGENCY:
                yield (f"{where}.role", step.role.value,
                       "a company role: " + ", ".join(r.value for r in Role
                                                      if r is not Role.AGENCY))
            if step.role is None and not step.members:
                yield (where, step.key, "a role or at least one member who may record it")
            if any(not m.strip() for m in step.members):
                yield (f"{where}.members", "''", "member handles")
        names = [c.name for c in self.categories]
        for n, category in enumerate(self.categories):
            if not category.name.strip() or names.count(category.name) > 1:
                yield (f"categories[{n}].name", category.name, "a name no other category has")
            if not category.terms or any(not t.strip() for t in category.terms):
                yield (f"categories[{n}].terms", ", ".join(category.terms),
                       "one or more non-empty terms")
        categories = [c.name for c in self.all_categories()]
        routes = [r.name for r in self.routes]
        for n, route in enumerate(self.routes):
            where = f"routes[{n}]"
            if not route.name.strip() or routes.count(route.name) > 1:
                yield (f"{where}.name", route.name, "a name no other route has")
            if not route.steps:
                yield (f"{where}.steps", "[]", "one or more of: " + (", ".join(keys) or "-"))
            for key in route.steps:
                if key not in keys:
                    yield (f"{where}.steps", key, "one of the steps: " + (", ".join(keys)
                                                                           or "-"))
            for name in route.categories:
                if name not in categories:
                    yield (f"{where}.categories", name, "one of: " + ", ".join(categories))
            if any(not c.strip() for c in route.campaigns + route.terms):
                yield (where, "''", "non-empty campaigns and terms")

    def validate(self) -> ApprovalRoutes:
        """These routes, or InvalidInputError naming the first problem."""
        for where, value, allowed in self.problems():
            raise InvalidInputError("error.route_problem", where=where, value=value,
                                    allowed=allowed)
        return self

    def bind(self, subject: RouteSubject, revision_number: int,
             revision_sha256: str) -> BoundRoute:
        """Every rule the subject meets, and the union of their steps (in the order the
        steps are defined)."""
        matches = []
        wanted: set[str] = set()
        categories = self.all_categories()
        for route in self.routes:
            reasons = route.reasons(subject, categories)
            if reasons is not None:
                matches.append(RouteMatch(route.name, reasons))
                wanted.update(route.steps)
        steps = tuple(step for step in self.steps if step.key in wanted)
        return BoundRoute(revision_number, revision_sha256, tuple(matches), steps,
                          self.version)


NO_ROUTES = ApprovalRoutes()


def counted_steps(route: BoundRoute | None, records: Iterable[StepRecord], author_id: str,
                  approver_id: str | None = None) -> dict[str, str]:
    """The route's steps that count, each with the member who recorded it: records of the
    bound revision only, never by its author or by the approver, one step per person."""
    if route is None:
        return {}
    counted: dict[str, str] = {}
    people: set[str] = set()
    for record in records:
        if (record.revision_sha256 != route.revision_sha256 or record.step in counted
                or record.member_id in people or route.step(record.step) is None
                or record.member_id in (author_id, approver_id)):
            continue
        counted[record.step] = record.member_id
        people.add(record.member_id)
    return counted


def missing_steps(route: BoundRoute | None, records: Iterable[StepRecord], author_id: str,
                  approver_id: str | None = None) -> tuple[RouteStep, ...]:
    """The bound steps not (validly) recorded yet."""
    if route is None:
        return ()
    done = counted_steps(route, records, author_id, approver_id)
    return tuple(step for step in route.steps if step.key not in done)
