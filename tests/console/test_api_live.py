"""A clerk's morning through the JSON API, as the OSGB's own software would do it, against the mock portal."""

from __future__ import annotations

import re

import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.app.account_edit import add_account
from rpa.console.security import api_token
from tests.console.conftest import TOKEN_HEADER, console_settings, make_app, wait_for

FULL_TC = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")


class Script:
    """The OSGB's own software: plain HTTP to a served console (httpx), with the answers' JSON."""

    def __init__(self, url: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=url, timeout=60)

    def get(self, path: str, headers: dict | None = None):  # noqa: ANN201
        return _Answer(self.http.get(path, headers=headers))

    def post(self, path: str, json: dict | None = None, headers: dict | None = None):  # noqa: ANN201
        return _Answer(self.http.post(path, json=json, headers=headers))


class _Answer:
    def __init__(self, answer) -> None:  # noqa: ANN001
        self.status_code, self.data, self._answer = answer.status_code, answer.content, answer

    def get_json(self):  # noqa: ANN201
        return self._answer.json()


@pytest.mark.browser
@pytest.mark.slow(minutes=2)
def test_log_in_preview_approve_and_approve_one_held_contract_with_the_token(live_portal, tmp_path):
    settings = console_settings(tmp_path, live_portal.url)
    add_account(settings, "demo-firma", DEMO_TC, DEMO_PASSWORD, code="prompt", use_keyring=False)
    from rpa.console.server import start_in_thread

    served = start_in_thread(settings, use_keyring=False)
    try:
        _morning(Script(served.url), settings, live_portal)
    finally:
        served.stop()


def _morning(client: Script, settings, live_portal) -> None:  # noqa: ANN001
    token = {TOKEN_HEADER: api_token(settings.state_dir)}

    (account,) = client.get("/api/accounts").get_json()
    assert account["name"] == "demo-firma" and account["session"] == "none"
    assert account["tc_masked"] == "384*****510" and set(account) >= {"name", "tc_masked", "session", "detail"}

    login_id = client.post("/api/accounts/demo-firma/login", headers=token).get_json()["login_id"]
    state = wait_for(lambda: (s := client.get(f"/api/logins/{login_id}").get_json())["state"] != "running" and s,
                     what="the code question")
    assert state["state"] == "code_needed", state
    code = live_portal.dev(f"sms?tc={DEMO_TC}")["code"]
    assert client.post(f"/api/logins/{login_id}/code", json={"code": code}, headers=token).status_code == 200
    state = wait_for(lambda: (s := client.get(f"/api/logins/{login_id}").get_json())["state"] != "running" and s,
                     what="the login")
    assert state["state"] == "done", state
    assert client.get("/api/accounts").get_json()[0]["session"] == "valid"

    def run(body: dict) -> dict:
        started = client.post("/api/runs", json=body, headers=token)
        assert started.status_code == 202, started.get_json()
        run_id = started.get_json()["id"]
        return wait_for(lambda: (r := client.get(f"/api/runs/{run_id}").get_json())["done"] and r, what="the run")

    preview = run({"flow": "approve", "dry_run": True})
    assert preview["trigger"] == "api" and preview["flow"] == "approve"
    assert preview["counts"]["would_approve"] > 0 and preview["counts"]["held"] > 0
    assert client.get("/api/held").get_json() == []  # a preview holds nothing

    done = run({"flow": "approve", "dry_run": False, "accounts": ["demo-firma"]})
    assert done["counts"]["approved"] == preview["counts"]["would_approve"]
    assert set(done) >= {"id", "flow", "trigger", "outcome", "counts", "report_path", "done"}
    held = client.get("/api/held").get_json()
    assert len(held) == done["counts"]["held"]
    assert all(set(h) >= {"contract_no", "sicil", "reason"} and h["reason"] for h in held)
    first = held[0]

    assert client.post(f"/api/held/{first['contract_no']}/approve", json={"confirm": True}).status_code == 403
    forced = client.post(f"/api/held/{first['contract_no']}/approve", json={"confirm": True}, headers=token)
    assert forced.status_code == 202
    one = wait_for(lambda: (r := client.get(f"/api/runs/{forced.get_json()['id']}").get_json())["done"] and r,
                   what="the forced approval")
    assert one["counts"]["approved"] == 1, one
    assert first["contract_no"] not in [h["contract_no"] for h in client.get("/api/held").get_json()]
    again = client.post(f"/api/held/{first['contract_no']}/approve", json={"confirm": True}, headers=token)
    assert again.status_code == 409

    history = client.get("/api/runs").get_json()
    assert [r["id"] for r in history[:3]] == [one["id"], done["id"], preview["id"]]
    pdf = client.get(f"/belgeler/{first['sicil']}/sozlesme-{first['contract_no']}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert not FULL_TC.search(str(history) + str(held))


@pytest.mark.browser
def test_the_stop_button_ends_a_run_after_the_item_in_hand(live_portal, tmp_path):
    settings = console_settings(tmp_path, live_portal.url)
    # code: mock and the password in the encrypted store: the account logs in by itself.
    add_account(settings, "demo-firma", DEMO_TC, DEMO_PASSWORD, code="mock", use_keyring=False)
    client = make_app(settings).test_client()
    token = {TOKEN_HEADER: api_token(settings.state_dir)}
    live_portal.dev("faults", json={"latency_ms": [300, 300]})

    run_id = client.post("/api/runs", json={"flow": "approve"}, headers=token).get_json()["id"]
    wait_for(lambda: client.get(f"/api/runs/{run_id}").get_json()["progress"]["demo-firma"]["state"] == "working",
             what="the account to start")
    assert client.post(f"/api/runs/{run_id}/stop", headers=token).status_code == 200
    ended = wait_for(lambda: (r := client.get(f"/api/runs/{run_id}").get_json())["done"] and r, what="the stop")
    assert ended["outcome"] == "stopped", ended
    assert any("konsoldan durduruldu" in p for p in ended["problems"])
    assert client.post(f"/api/runs/{run_id}/stop", headers=token).status_code == 409


@pytest.mark.browser
@pytest.mark.slow(minutes=1)
def test_a_roster_sync_from_uploaded_spreadsheets_then_its_exceptions_page(live_portal, tmp_path):
    import io

    from rpa.demo_roster import ROSTER_FILE

    settings = console_settings(tmp_path, live_portal.url)
    add_account(settings, "demo-firma", DEMO_TC, DEMO_PASSWORD, code="mock", use_keyring=False)
    client = make_app(settings).test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/calistir").get_data(as_text=True)).group(1)
    started = client.post("/calistir", data={"csrf_token": csrf, "flow": "roster_sync", "dry_run": "0",
                                             "files": (io.BytesIO(ROSTER_FILE.read_bytes()), ROSTER_FILE.name)},
                          content_type="multipart/form-data")
    assert started.status_code == 302, started.get_data(as_text=True)
    run_id = started.headers["Location"].rstrip("/").split("/")[-1]
    ended = wait_for(lambda: (r := client.get(f"/api/runs/{run_id}").get_json())["done"] and r, what="the sync")
    assert ended["flow"] == "roster_sync" and ended["counts"]["verified"] > 0, ended
    (kept,) = (settings.state_dir / "uploads").rglob("*.xlsx")  # the resume reads it again
    assert kept.stat().st_mode & 0o777 == 0o600 and kept.parent.stat().st_mode & 0o777 == 0o700
    page = client.get("/istisnalar").get_data(as_text=True)
    assert ended["counts"]["exceptions"] == page.count("<tr><th scope=\"row\">")
    assert not FULL_TC.search(page)


@pytest.mark.browser
def test_an_account_whose_password_is_prompt_logs_in_with_the_password_typed_once(live_portal, tmp_path):
    settings = console_settings(tmp_path, live_portal.url)
    add_account(settings, "demo-firma", DEMO_TC, None, code="mock", use_keyring=False)
    client = make_app(settings).test_client()
    token = {TOKEN_HEADER: api_token(settings.state_dir)}

    def login(body: dict) -> dict:
        login_id = client.post("/api/accounts/demo-firma/login", json=body, headers=token).get_json()["login_id"]
        return wait_for(lambda: (s := client.get(f"/api/logins/{login_id}").get_json())["state"]
                        in ("done", "failed") and s, what="the login")

    assert 'autocomplete="off" required></label>' in client.get("/hesaplar").get_data(as_text=True)
    refused = login({})
    assert refused["state"] == "failed" and "prompt" in refused["message"]
    assert login({"password": DEMO_PASSWORD})["state"] == "done"
    assert client.get("/api/accounts").get_json()[0]["session"] == "valid"
    assert DEMO_PASSWORD not in settings.accounts_file.read_text(encoding="utf-8")
