from django.urls import path

from quarterdeck.web.views import (
    account,
    admin_tools,
    auth,
    home,
    people,
    portfolio,
    portfolio_inline,
    teams,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout, name="logout"),
    path("account/", account.account, name="account"),
    path("account/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("account/tokens/", account.token_new, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", account.token_delete, name="token_revoke"),
    path("portfolio/", portfolio.tree, name="portfolio"),
    path("people/", people.directory, name="people"),
    path("people/org-chart/", people.chart, name="org_chart"),
    path("people/<int:pk>/", people.person, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("teams/", teams.teams, name="teams"),
    path("teams/new/", teams.team_new, name="team_create"),
    path("teams/<int:pk>/", teams.team, name="team_detail"),
    path("teams/<int:pk>/edit/", teams.team_edit, name="team_edit"),
    path("admin-tools/audit/", admin_tools.audit_log, name="audit_log"),
    path("admin-tools/users/", admin_tools.users, name="users"),
]

# The same pages for the three kinds of portfolio item: /portfolio/lines/…, /products/…, /features/…
for kind, plural in (("line", "lines"), ("product", "products"), ("feature", "features")):
    base = f"portfolio/{plural}/"
    urlpatterns += [
        path(f"{base}new/", portfolio.create, {"kind": kind}, name=f"{kind}_create"),
        path(f"{base}<int:pk>/", portfolio.detail, {"kind": kind}, name=f"{kind}_detail"),
        path(f"{base}<int:pk>/edit/", portfolio.edit, {"kind": kind}, name=f"{kind}_edit"),
        path(f"{base}<int:pk>/delete/", portfolio.delete, {"kind": kind}, name=f"{kind}_delete"),
        path(f"{base}<int:pk>/history/", portfolio.history, {"kind": kind}, name=f"{kind}_history"),
        path(
            f"{base}<int:pk>/inline/<str:field>/",
            portfolio_inline.inline,
            {"kind": kind},
            name=f"{kind}_inline",
        ),
    ]
