"""An account e-Devlet refuses for good (two-step verification off) is reported as blocked with the
portal's reason, never told to log in again and again."""

from __future__ import annotations

import pytest

from tests.parallel.conftest import SIZES, Employer, as_json, katip


@pytest.mark.browser
def test_an_account_without_two_step_verification_is_blocked_with_the_portals_reason(live_portal, tmp_path):
    live_portal.dev("reset", SIZES)
    found = next(a for a in live_portal.dev("state")["accounts"] if not a["two_step"])
    blocked = Employer("firma-iki-asamasiz", found["tc"], found["password"], tuple(found["workplaces"]))

    first = katip(tmp_path, live_portal.url, [blocked], "approve", "--json")
    again = katip(tmp_path, live_portal.url, [blocked], "approve", "--json")

    for done in (first, again):
        document = as_json(done)
        assert done.returncode == 1, done.stderr[-2000:]
        why = document["account_errors"][blocked.name]
        assert "engelli / account 'firma-iki-asamasiz' is blocked" in why
        assert "İki aşamalı doğrulama aktif olmayan kullanıcılar sisteme giriş yapamaz." in why
        assert "login_needed" not in document and "katip login" not in why
    assert (tmp_path / "state" / "sessions").is_dir()
    assert list((tmp_path / "state" / "sessions").glob("*.blocked.json"))
