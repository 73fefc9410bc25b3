"""accounts.yaml and secret references: what is accepted, what is refused and how it is said."""

from __future__ import annotations

import random
import subprocess
import textwrap

import pytest
from pydantic import SecretStr

from rpa.accounts import check_code_allowed, find_account, load_accounts
from rpa.domain.identifiers import generate_tc, mask_tc
from rpa.errors import ConfigError, LoginFailed
from rpa.secrets import SecretRef, code_from_command

TC = generate_tc(random.Random(7))
OTHER_TC = generate_tc(random.Random(8))


def write(tmp_path, body: str):
    path = tmp_path / "accounts.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def one_account(tmp_path, password: str = "env:KATIP_TEST_PW", code: str = "mock", tc: str = TC):
    return write(
        tmp_path,
        f"""
        accounts:
          - name: demo-firma
            tc: "{tc}"
            password: {password}
            code: {code}
    """,
    )


def test_a_well_formed_file_gives_accounts_with_secret_references(tmp_path):
    path = write(
        tmp_path,
        f"""
        accounts:
          - name: demo-firma
            tc: "{TC}"
            password: env:KATIP_DEMO_PASSWORD
            code: mock
          - name: ikinci
            tc: {OTHER_TC}
            password: keyring:katip
            code: "command:pass otp katip"
    """,
    )
    first, second = load_accounts(path)
    assert (first.name, first.tc, str(first.password), str(first.code)) == (
        "demo-firma",
        TC,
        "env:KATIP_DEMO_PASSWORD",
        "mock",
    )
    assert second.tc == OTHER_TC  # an unquoted number still becomes the 11-digit text
    assert (second.password.kind, second.password.target) == ("keyring", "katip")
    assert (second.code.kind, second.code.command) == ("command", "pass otp katip")


def test_plain_text_password_is_refused_naming_account_and_field_without_echoing_it(tmp_path):
    path = one_account(tmp_path, password="Gizli.Sifre123")
    with pytest.raises(ConfigError) as caught:
        load_accounts(path)
    message = str(caught.value)
    assert "account 'demo-firma'" in message and "field 'password'" in message
    assert "Gizli.Sifre123" not in message


def test_a_numeric_password_is_refused_too(tmp_path):
    with pytest.raises(ConfigError, match="field 'password'"):
        load_accounts(one_account(tmp_path, password="123456"))


def test_wrong_tc_is_refused_with_the_number_masked(tmp_path):
    bad = TC[:-1] + str((int(TC[-1]) + 1) % 10)
    with pytest.raises(ConfigError) as caught:
        load_accounts(one_account(tmp_path, tc=bad))
    assert "field 'tc'" in str(caught.value)
    assert bad not in str(caught.value) and mask_tc(bad) in str(caught.value)


def test_mock_code_is_refused_for_a_portal_that_is_not_on_this_machine(tmp_path):
    path = one_account(tmp_path, code="mock")
    with pytest.raises(ConfigError, match="field 'code'.*mock"):
        load_accounts(path, portal_url="https://isgkatip.csgb.gov.tr/")
    assert load_accounts(path, portal_url="http://127.0.0.1:8765/")  # the local mock is fine
    account = load_accounts(path)[0]
    with pytest.raises(ConfigError):
        check_code_allowed(account, "http://192.168.1.20:8000/")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("accounts: []", "expected a list"),
        ("- just a list", "expected a list"),
        ("accounts:\n  - name: ../a\n    tc: '1'", "field 'name'"),
        (f"accounts:\n  - {{name: x, tc: '{TC}', code: sms}}", "field 'code'"),
        (f"accounts:\n  - {{name: x, tc: '{TC}', sifre: y}}", "unknown field"),
        (f"accounts:\n  - {{name: x, tc: '{TC}'}}\n  - {{name: x, tc: '{TC}'}}", "used twice"),
        ("accounts: [", "not valid YAML"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_reason(tmp_path, body, fragment):
    with pytest.raises(ConfigError, match=fragment):
        load_accounts(write(tmp_path, body))


def test_a_missing_file_says_how_to_provide_one(tmp_path):
    with pytest.raises(ConfigError, match="--accounts"):
        load_accounts(tmp_path / "nope.yaml")


def test_unnamed_account_lookup_lists_the_known_names(tmp_path):
    accounts = load_accounts(one_account(tmp_path))
    with pytest.raises(ConfigError, match="known: demo-firma"):
        find_account(accounts, "baska")


def test_account_repr_masks_the_tc_number(tmp_path):
    account = load_accounts(one_account(tmp_path))[0]
    assert TC not in repr(account) and mask_tc(TC) in repr(account)


def test_unattended_login_needs_a_password_without_prompt_and_a_machine_readable_code(tmp_path, monkeypatch):
    monkeypatch.delenv("KATIP_TEST_PW", raising=False)
    account = load_accounts(one_account(tmp_path))[0]
    assert "KATIP_TEST_PW is not set" in account.unattended_blocker()
    monkeypatch.setenv("KATIP_TEST_PW", "x")
    assert account.unattended_blocker() is None
    assert "code is 'prompt'" in load_accounts(one_account(tmp_path, code="prompt"))[0].unattended_blocker()
    assert "password is 'prompt'" in load_accounts(one_account(tmp_path, password="prompt"))[0].unattended_blocker()


def test_keyring_reference_reads_the_entry_stored_under_the_account_name(monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1
        entries = {("katip", "demo-firma"): "s3cret"}

        def get_password(self, service, username):
            return self.entries.get((service, username))

        def set_password(self, service, username, password):
            self.entries[(service, username)] = password

        def delete_password(self, service, username):
            self.entries.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        value, _ = SecretRef(kind="keyring", target="katip").lookup("demo-firma")
        missing, reason = SecretRef(kind="keyring", target="katip").lookup("other")
    finally:
        keyring.set_keyring(previous)
    assert isinstance(value, SecretStr) and value.get_secret_value() == "s3cret"
    assert missing is None and "no keyring entry" in reason


def test_prompt_password_asks_the_prompter_and_refuses_without_one():
    class Answers:
        def password(self, question):
            return "typed"

        def code(self, question):
            return "123456"

    ref = SecretRef(kind="prompt")
    assert ref.resolve("demo", Answers(), "şifre").get_secret_value() == "typed"
    with pytest.raises(ConfigError, match="nobody is here"):
        ref.resolve("demo", None, "şifre")


def test_code_command_output_gives_the_six_digit_code():
    assert code_from_command("echo 'Kodunuz: 482913 (180 sn)'", {}) == "482913"
    assert code_from_command("echo $KATIP_ACCOUNT 004711", {"KATIP_ACCOUNT": "demo"}) == "004711"


@pytest.mark.parametrize("command", ["echo no code here", "echo 1234567", "exit 3"])
def test_code_command_without_a_code_fails_the_login(command):
    with pytest.raises(LoginFailed, match="6-digit"):
        code_from_command(command, {})


def test_code_command_that_hangs_is_stopped():
    def hanging(*args, **kwargs):
        raise subprocess.TimeoutExpired(cmd="x", timeout=1)

    with pytest.raises(LoginFailed, match="did not finish"):
        code_from_command("sleep 999", {}, run=hanging)
