"""The public docket (no names, no sealed cases), the administrator's pages, and the three languages."""

from __future__ import annotations

import html
from datetime import date

from flask import Flask

from tests.integration.web_support import Court, post, signed_in


def text(response: object) -> str:
    # Babel separates thousands with no-break spaces in Russian and Kazakh.
    return html.unescape(response.get_data(as_text=True)).replace("\u00a0", " ").replace("\u202f", " ")  # type: ignore[attr-defined]


def test_the_public_docket_never_names_a_patient_or_shows_a_sealed_case(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = app.test_client()
    listing = text(client.get("/public"))
    assert court.open_case in listing and court.criminal_case in listing
    assert court.sealed_case not in listing and court.other_court_sealed_case not in listing
    for name in ("Patient A", "Victim B", "Sealed Patient", "Dr Karimov", "KZ-123"):
        assert name not in listing
    assert "City Hospital No. 4" in listing  # organizations are named
    page = text(client.get(f"/public/{court.criminal_case}"))
    assert "Victim B" not in page and "Dr Karimov" not in page and "Claimant" in page
    assert "Statement of claim" not in text(client.get(f"/public/{court.open_case}"))  # no documents
    assert client.get(f"/public/{court.sealed_case}").status_code == 404


def test_an_administrator_creates_a_judge_account_linked_to_the_registry(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    admin = signed_in(app, "admin")
    unlinked = post(admin, "/admin/users/new", {"username": "judge3", "display_name": "Judge Three", "role": "judge", "court": "ALA", "language": "kk", "password": "long enough pw"})
    assert unlinked.status_code == 422 and "Choose the registry judge" in text(unlinked)
    assert 'value="judge3"' in text(unlinked)
    elsewhere = post(admin, "/admin/users/new", {"username": "judge3", "display_name": "Judge Three", "role": "judge", "court": "ALA", "language": "kk", "password": "long enough pw", "judge_id": court.other_court_judge_id})
    assert "sits in another court" in text(elsewhere)
    created = post(admin, "/admin/users/new", {"username": "judge3", "display_name": "Judge Three", "role": "judge", "court": "ALA", "language": "kk", "password": "long enough pw", "judge_id": court.second_judge_id})
    assert created.status_code == 303
    taken = post(admin, "/admin/users/new", {"username": "judge3", "display_name": "Again", "role": "clerk", "court": "ALA", "language": "ru", "password": "long enough pw"})
    assert taken.status_code == 422 and "is taken" in text(taken)
    bad = post(admin, "/admin/users/new", {"username": "Bad Name!", "display_name": "", "role": "king", "language": "fr", "password": "short"})
    page = text(bad)
    assert bad.status_code == 422 and 'id="role-error"' in page and 'id="display_name-error"' in page and 'id="language-error"' in page


def test_an_administrator_changes_a_role_and_the_user_is_signed_out(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    clerk = signed_in(app, "clerk")
    admin = signed_in(app, "admin")
    response = post(admin, f"/admin/users/{court.user_ids['clerk']}", {"display_name": "Clerk One", "role": "analyst", "court": "", "language": "en", "active": "y"})
    assert response.status_code == 303
    assert clerk.get("/cases").status_code == 302
    assert signed_in(app, "clerk").get("/cases/new").status_code == 403


def test_the_registries_are_kept_by_the_administrator(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    admin = signed_in(app, "admin")
    registered = post(admin, "/admin/judges", {"name": "Yerzhan Tokayev", "court": "SHY"})
    assert registered.status_code == 303
    judge_page = registered.headers["Location"]
    backwards = post(admin, f"{judge_page}/certify", {"valid_from": "2025-01-01", "valid_to": "2024-01-01", "course": "Medical law"})
    assert backwards.status_code == 422 and "The period ends before it starts." in text(backwards)
    assert post(admin, f"{judge_page}/certify", {"valid_from": "2025-01-01", "course": "Medical law"}).status_code == 303
    assert "Yerzhan Tokayev" in text(admin.get("/admin/judges"))
    expert = post(admin, "/admin/experts", {"name": "Dr Aizhan Bekova", "specialties": ["cardiology", "therapy"], "qualification": "MD"})
    assert expert.status_code == 303
    affiliation = post(admin, f"{expert.headers['Location']}/affiliations", {"organization": "Heart Centre", "bin": "555566667777", "valid_from": date(2019, 1, 1).isoformat()})
    assert affiliation.status_code == 303 and "Heart Centre" in text(admin.get(expert.headers["Location"]))
    assert post(admin, "/admin/mediators", {"name": "Marat Iskakov", "court": "SHY", "organization": "Shymkent Mediation"}).status_code == 303
    assert "Marat Iskakov" in text(admin.get("/admin/mediators"))


def test_each_user_reads_the_docket_in_their_language(fresh: tuple[Flask, Court]) -> None:
    app, court = fresh
    client = signed_in(app, "clerk")
    assert "Cases" in text(client.get("/cases"))
    assert post(client, "/language", {"language": "ru", "next": "/cases"}).headers["Location"] == "/cases"
    russian = text(client.get(f"/cases/{court.open_case}"))
    assert 'lang="ru"' in russian and "Дело" in russian and "500 000,00" in russian and "₸" in russian
    post(client, "/language", {"language": "kk"})
    kazakh = text(client.get("/cases"))
    assert 'lang="kk"' in kazakh and "Істер" in kazakh
    assert app.extensions["medcourt"].accounts.get(court.user_ids["clerk"]).language == "kk"
    assert 'lang="kk"' in text(signed_in(app, "clerk").get("/cases"))  # the choice stays with the account


def test_visitors_choose_their_language_before_signing_in(fresh: tuple[Flask, Court]) -> None:
    app, _ = fresh
    client = app.test_client()
    assert 'lang="ru"' in text(client.get("/public", headers={"Accept-Language": "ru-RU,ru;q=0.9"}))
    post(client, "/language", {"language": "kk"})
    assert "Жария" in text(client.get("/public"))
