"""What the people pages show: a person, a team, the org chart and who owns what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.selectors import object_history
from quarterdeck.people.models import Person, Team
from quarterdeck.people.selectors import OrgNode, access_person, access_team, list_people, org_tree
from quarterdeck.portfolio.models import Feature, Product, ProductLine
from quarterdeck.portfolio.selectors import list_features, list_lines, list_products
from quarterdeck.web.history import HistoryRow
from quarterdeck.web.orgchart import Box, Layout, TreeNode, layout
from quarterdeck.web.readers import readable_history


@dataclass
class Owned:
    lines: list[ProductLine] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.lines) + len(self.products) + len(self.features)


@dataclass
class PersonPage:
    person: Person
    reports: list[Person]
    teams: list[Team]
    owned: Owned
    may_change: bool
    # The record's changes (level, manager, ...): for those who may change it, or see the
    # person's people data (their reporting line and admins); None for everyone else.
    history: list[HistoryRow] | None = None


def owned_by(user: User, person_id: int) -> Owned:
    return Owned(
        lines=list(list_lines(user, owner_id=person_id)),
        products=list(list_products(user, owner_id=person_id)),
        features=list(list_features(user, owner_id=person_id)),
    )


def person_page(user: User, person_id: int) -> PersonPage:
    person = access_person(user, person_id)
    return PersonPage(
        person=person,
        reports=list(list_people(user, manager_id=person.pk)),
        teams=list(person.teams.all()),
        owned=owned_by(user, person.pk),
        may_change=rules.may_change_person(user, person),
        history=_person_history(user, person),
    )


def _person_history(user: User, person: Person) -> list[HistoryRow] | None:
    if not (rules.may_change_person(user, person) or rules.may_see_people_data(user, person)):
        return None
    return readable_history(user, object_history("person", person.pk)[:50])


@dataclass
class TeamPage:
    team: Team
    members: list[Person]
    may_change: bool
    history: list[HistoryRow]


def team_page(user: User, team_id: int) -> TeamPage:
    team = access_team(user, team_id)
    members = list(list_people(user, team_id=team.pk))
    history = readable_history(user, object_history("team", team.pk)[:50])
    return TeamPage(team, members, rules.may_manage_teams(user), history)


@dataclass(frozen=True)
class ChartBox:
    person: Person
    box: Box
    name: str
    title_lines: list[str]
    products: int

    @property
    def text_x(self) -> float:
        return self.box.x + 10


@dataclass
class OrgChart:
    layout: Layout
    boxes: list[ChartBox]
    owners: list[tuple[Person, Owned]]

    @property
    def caption_y(self) -> float | None:
        """Where the caption of the people outside any reporting line sits, if they have one."""
        top = self.layout.loose_top
        return None if top is None else top - 10


# What fits on a line of an org chart box (168 px less padding) at the chart's font sizes.
NAME_CHARS = 19
TITLE_CHARS = 24


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap_lines(text: str, limit: int, *, lines: int = 2) -> list[str]:
    """Words filled greedily into at most ``lines`` lines of ``limit`` characters; what does not
    fit is cut with an ellipsis on the last line. Titles like "Group PM, Fleet Operations" break
    after their comma when both halves fit."""
    if len(text) <= limit:
        return [text]
    head, comma, tail = text.rpartition(", ")
    if comma and lines >= 2 and len(head) < limit and len(tail) <= limit:
        return [head + ",", tail]
    result: list[str] = []
    words = text.split()
    while words and len(result) < lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= limit:
            line += " " + words.pop(0)
        result.append(line)
    if words:
        result[-1] = _shorten(result[-1] + " " + " ".join(words), limit)
    return [_shorten(line, limit) for line in result]


def _tree(node: OrgNode) -> TreeNode:
    reports = sorted(node.reports, key=lambda n: n.person.name)
    return TreeNode(node.person.pk, tuple(_tree(child) for child in reports))


def who_owns_what(user: User) -> dict[int, Owned]:
    owned: dict[int, Owned] = defaultdict(Owned)
    for line in list_lines(user).exclude(owner=None):
        owned[line.owner_id or 0].lines.append(line)
    for product in list_products(user).exclude(owner=None):
        owned[product.owner_id or 0].products.append(product)
    for feature in list_features(user).exclude(owner=None):
        owned[feature.owner_id or 0].features.append(feature)
    return owned


def org_chart(user: User) -> OrgChart:
    roots = sorted(org_tree(user), key=lambda n: (-len(n.reports), n.person.name))
    chart = layout([_tree(root) for root in roots])
    people = {p.pk: p for p in list_people(user)}
    counts = dict(list_products(user).order_by().values_list("owner_id").annotate(n=Count("id")))
    boxes = [
        ChartBox(
            people[key],
            box,
            _shorten(people[key].name, NAME_CHARS),
            wrap_lines(people[key].title or people[key].role_label, TITLE_CHARS),
            counts.get(key, 0),
        )
        for key, box in chart.boxes.items()
        if key in people
    ]
    owned = who_owns_what(user)
    known = sorted((pk for pk in owned if pk in people), key=lambda pk: people[pk].name)
    owners = [(people[pk], owned[pk]) for pk in known]
    return OrgChart(chart, boxes, owners)
