"""Create, edit and delete portfolio items through the pages, with errors and conflicts."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from quarterdeck.audit.models import AuditEntry
from quarterdeck.portfolio.models import Feature, Product, StageChange
from tests.personas import Personas
from tests.web.html_forms import form_values
from tests.web.test_pages import product_form

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the form"
    return match.group(1)


def test_leader_creates_a_product(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.leader)
    assert client.get(f"/portfolio/products/new/?line={personas.growth.pk}").status_code == 200
    data = product_form(
        personas,
        name="Compass",
        line_id=personas.growth.pk,
        stage="idea",
        target_segments="SMB, Enterprise",
        links="Spec https://example.com/spec",
    )
    del data["version"], data["stage_was"]
    response = client.post("/portfolio/products/new/", data)
    product = Product.objects.get(name="Compass")
    assert response.status_code == 302
    assert response["Location"] == f"/portfolio/products/{product.pk}/"
    assert product.target_segments == ["SMB", "Enterprise"]
    assert product.links == [{"label": "Spec", "url": "https://example.com/spec"}]
    assert AuditEntry.objects.filter(
        object_type="product", object_id=str(product.pk), action="create"
    ).exists()


def test_create_form_shows_field_errors_from_form_and_service(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.leader)
    blank = client.post(
        "/portfolio/products/new/", {"name": "", "line_id": personas.platform.pk, "stage": "idea"}
    )
    assert blank.status_code == 400
    assert "This field is required." in blank.content.decode()
    duplicate = client.post(
        "/portfolio/products/new/",
        {
            "name": "Atlas",
            "line_id": personas.platform.pk,
            "stage": "idea",
            "links": "ftp://nowhere",
        },
    )
    page = duplicate.content.decode()
    assert duplicate.status_code == 400
    assert "is not an http(s) address" in page  # the service's message, on the links field
    assert 'id="id_links_error"' in page
    assert Product.objects.filter(name="Atlas").count() == 1


def test_edit_with_a_stage_change_needs_a_reason_and_records_it(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.member)
    url = f"/portfolio/products/{personas.atlas.pk}/edit/"
    no_reason = client.post(url, product_form(personas, stage="launch"))
    assert no_reason.status_code == 400
    assert "Say why the stage changes" in no_reason.content.decode()
    response = client.post(
        url, product_form(personas, stage="launch", stage_reason="Beta went well")
    )
    assert response.status_code == 302
    change = StageChange.objects.get(
        item_type="product", item_id=personas.atlas.pk, to_stage="launch"
    )
    assert (change.from_stage, change.reason, change.actor) == (
        "build",
        "Beta went well",
        personas.member,
    )
    detail = client.get(f"/portfolio/products/{personas.atlas.pk}/").content.decode()
    assert "Beta went well" in detail
    assert re.search(
        r'<th scope="row">Stage</th>\s*<td class="old">Build</td>.*?<td class="new">Launch</td>',
        detail,
        re.S,
    )


def test_version_conflict_shows_the_panel_and_does_not_overwrite(
    personas: Personas, client_for: ClientFor
) -> None:
    url = f"/portfolio/products/{personas.atlas.pk}/edit/"
    stale = product_form(personas, description="Mia's words")
    assert (
        client_for(personas.leader)
        .post(url, product_form(personas, description="Lena's words"))
        .status_code
        == 302
    )
    client = client_for(personas.member)
    response = client.post(url, stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this while you were editing" in page
    assert "Lena&#x27;s words" in page
    assert "Mia&#x27;s words" in page
    assert Product.objects.get(pk=personas.atlas.pk).description == "Lena's words"
    # The form moved onto the new version: saving again applies Mia's value knowingly.
    again = dict(stale, version=hidden_value(page, "version"))
    assert client.post(url, again).status_code == 302
    assert Product.objects.get(pk=personas.atlas.pk).description == "Mia's words"


def test_delete_asks_first_and_refuses_items_with_children(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.member)
    feature_url = f"/portfolio/features/{personas.search.pk}/delete/"
    assert "Delete feature" in client.get(feature_url).content.decode()
    product = client.post(
        f"/portfolio/products/{personas.atlas.pk}/delete/", {"version": personas.atlas.version}
    )
    assert product.status_code == 400
    assert "still has 1 item(s) under it" in product.content.decode()
    response = client.post(feature_url, {"version": personas.search.version})
    assert response.status_code == 302
    assert response["Location"] == f"/portfolio/products/{personas.atlas.pk}/"
    assert not Feature.objects.filter(pk=personas.search.pk).exists()


def test_stale_delete_is_refused(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.member)
    response = client.post(f"/portfolio/features/{personas.search.pk}/delete/", {"version": 99})
    assert response.status_code == 409
    assert Feature.objects.filter(pk=personas.search.pk).exists()


@pytest.mark.parametrize("role", ["contributor", "viewer", "outsider"])
def test_write_pages_are_forbidden_to_who_may_not_change(
    personas: Personas, client_for: ClientFor, role: str
) -> None:
    client = client_for(personas.by_role()[role])
    atlas = personas.atlas.pk
    for url in (
        f"/portfolio/products/{atlas}/edit/",
        f"/portfolio/products/{atlas}/delete/",
        f"/portfolio/products/{atlas}/inline/stage/",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            f"/portfolio/products/{atlas}/edit/", product_form(personas, name="Hijacked")
        ).status_code
        == 403
    )
    assert client.post(f"/portfolio/products/{atlas}/delete/", {"version": 1}).status_code == 403
    assert Product.objects.get(pk=atlas).name == "Atlas"


def test_members_may_not_change_items_of_others(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.member)
    beacon = personas.beacon.pk
    assert client.get(f"/portfolio/products/{beacon}/edit/").status_code == 403
    data = product_form(
        personas, name="Beacon", line_id=personas.growth.pk, stage="launch", version=1
    )
    assert client.post(f"/portfolio/products/{beacon}/edit/", data).status_code == 403
    assert (
        client.post(
            "/portfolio/products/new/",
            {"name": "Mine", "line_id": personas.growth.pk, "stage": "idea"},
        ).status_code
        == 403
    )
    assert (
        client.get("/portfolio/products/new/").status_code == 200
    )  # she may add under her own items
    assert client_for(personas.contributor).get("/portfolio/products/new/").status_code == 403


def test_edit_buttons_show_only_to_who_may_change(
    personas: Personas, client_for: ClientFor
) -> None:
    url = f"/portfolio/products/{personas.atlas.pk}/"
    edit_link = f'href="/portfolio/products/{personas.atlas.pk}/edit/"'
    assert edit_link in client_for(personas.member).get(url).content.decode()
    assert edit_link in client_for(personas.manager).get(url).content.decode()
    for role in ("viewer", "contributor", "outsider"):
        assert edit_link not in client_for(personas.by_role()[role]).get(url).content.decode(), role


def test_tree_filters_and_htmx_fragment(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.viewer)
    full = client.get("/portfolio/").content.decode()
    for name in ("Platform", "Growth", "Atlas", "Beacon", "Atlas Search"):
        assert f">{name}</a>" in full
    fragment = client.get("/portfolio/?stage=launch", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="portfolio-tree"')
    assert ">Beacon</a>" in html
    assert ">Atlas</a>" not in html
    assert "HX-Request" in fragment["Vary"]
    by_owner = client.get(f"/portfolio/?owner={personas.people['mia'].pk}").content.decode()
    assert ">Atlas</a>" in by_owner
    assert ">Beacon</a>" not in by_owner


@pytest.mark.parametrize("kind", ["lines", "products", "features"])
def test_saving_an_untouched_edit_form_changes_nothing(
    personas: Personas, client_for: ClientFor, kind: str
) -> None:
    item = {"lines": personas.platform, "products": personas.atlas, "features": personas.search}[
        kind
    ]
    item.links = [{"label": "Spec", "url": "https://example.com/spec"}]
    item.target_segments = ["SMB", "Enterprise"]
    item.description = "Line one\nline two"
    item.save()
    client = client_for(personas.leader)
    url = f"/portfolio/{kind}/{item.pk}/edit/"
    response = client.post(url, form_values(client.get(url).content.decode()))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.version == 1  # nothing changed, so no new version and no audit entry
    assert not AuditEntry.objects.filter(object_id=str(item.pk), action="update").exists()
