"""Named personas, one per role plus an outsider, in a small org and portfolio.

Lena Leader (leader, Head of Product)
├── Max Manager (manager, Group PM) — owns line "Platform"
│   └── Mia Member (member, PM) — owns product "Atlas" and its feature "Atlas Search"
└── Gus Group (manager, Group PM) — owns line "Growth"
    └── Otto Outsider (member, PM) — owns product "Beacon" (a peer of Mia in another group)
Ada Admin (admin), Carl Contributor (contributor, Sales lead), Vic Viewer (viewer)
"""

from __future__ import annotations

from dataclasses import dataclass

from quarterdeck.accounts.models import Role, User
from quarterdeck.people.models import Function, Level, Person, Team
from quarterdeck.portfolio.models import Feature, Product, ProductLine, Stage

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Personas:
    admin: User
    leader: User
    manager: User
    member: User
    contributor: User
    viewer: User
    outsider: User
    other_manager: User
    people: dict[str, Person]
    platform: ProductLine
    growth: ProductLine
    atlas: Product
    beacon: Product
    search: Feature
    team: Team

    def by_role(self) -> dict[str, User]:
        return {
            "admin": self.admin,
            "leader": self.leader,
            "manager": self.manager,
            "member": self.member,
            "contributor": self.contributor,
            "viewer": self.viewer,
            "outsider": self.outsider,
        }


def _user(email: str, name: str, role: Role) -> User:
    user = User.objects.create_user(email, PASSWORD, name=name, role=role)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save()
    return user


def make_personas() -> Personas:
    admin = _user("ada@example.com", "Ada Admin", Role.ADMIN)
    leader = _user("lena@example.com", "Lena Leader", Role.LEADER)
    manager = _user("max@example.com", "Max Manager", Role.MANAGER)
    member = _user("mia@example.com", "Mia Member", Role.MEMBER)
    contributor = _user("carl@example.com", "Carl Contributor", Role.CONTRIBUTOR)
    viewer = _user("vic@example.com", "Vic Viewer", Role.VIEWER)
    outsider = _user("otto@example.com", "Otto Outsider", Role.MEMBER)
    other_manager = _user("gus@example.com", "Gus Group", Role.MANAGER)

    def person(
        name: str,
        user: User | None,
        level: str = "",
        manager: Person | None = None,
        function: str = Function.PRODUCT,
    ) -> Person:
        return Person.objects.create(
            name=name,
            user=user,
            level=level,
            manager=manager,
            function=function,
            email=user.email if user else None,
            title=Level(level).label if level else "",
        )

    lena = person("Lena Leader", leader, Level.HEAD_OF_PRODUCT)
    max_ = person("Max Manager", manager, Level.GROUP_PM, lena)
    mia = person("Mia Member", member, Level.PM, max_)
    gus = person("Gus Group", other_manager, Level.GROUP_PM, lena)
    otto = person("Otto Outsider", outsider, Level.PM, gus)
    carl = person("Carl Contributor", contributor, function=Function.SALES)
    ada = person("Ada Admin", admin, function=Function.ENGINEERING)
    team = Team.objects.create(name="Platform squad")
    mia.teams.add(team)

    platform = ProductLine.objects.create(name="Platform", owner=max_, stage=Stage.GROWTH)
    growth = ProductLine.objects.create(name="Growth", owner=gus, stage=Stage.GROWTH)
    atlas = Product.objects.create(name="Atlas", line=platform, owner=mia, stage=Stage.BUILD)
    beacon = Product.objects.create(name="Beacon", line=growth, owner=otto, stage=Stage.LAUNCH)
    search = Feature.objects.create(
        name="Atlas Search", product=atlas, owner=mia, stage=Stage.DISCOVERY
    )
    return Personas(
        admin=admin,
        leader=leader,
        manager=manager,
        member=member,
        contributor=contributor,
        viewer=viewer,
        outsider=outsider,
        other_manager=other_manager,
        people={
            "lena": lena,
            "max": max_,
            "mia": mia,
            "gus": gus,
            "otto": otto,
            "carl": carl,
            "ada": ada,
        },
        platform=platform,
        growth=growth,
        atlas=atlas,
        beacon=beacon,
        search=search,
        team=team,
    )
