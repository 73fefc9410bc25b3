"""The generated seed gives the audit something to find in every account, of every kind the issue names."""

from __future__ import annotations

from mock_portal import create_app
from tests.flows.test_audit_browser import expected_workplace


def test_every_generated_account_breaks_the_law_somewhere_and_every_planted_kind_occurs(tmp_path):
    app = create_app({"DATABASE": str(tmp_path / "p.sqlite"), "TEST_MODE": True,
                      "SEED": {"accounts": 6, "workplaces": 2, "employees": 30}})
    state = app.test_client().get("/_dev/state").get_json()
    workplaces = {w["sicil"]: w for w in state["workplaces"]}
    contracts: dict[str, list[dict]] = {}
    for contract in state["contracts"]:
        contracts.setdefault(contract["sicil"], []).append(contract)
    demo_tcs = {"38472910510"}
    generated = [a for a in state["accounts"] if a["workplaces"] and a["tc"] not in demo_tcs
                 and not any(c["professional_tc"] == a["tc"] for c in state["contracts"])]
    assert len(generated) == 6

    seen: set[str] = set()
    for account in generated:
        codes = [f[0] for sicil in account["workplaces"]
                 for f in expected_workplace(workplaces[sicil], contracts.get(sicil, []))["findings"]]
        assert codes, f"nothing to find for account {account['name']}"
        seen |= set(codes)
    ended_only = [s for s, cs in contracts.items()
                  if any(c["title"] == "İş Güvenliği Uzmanı" for c in cs)
                  and all(c["status"] == "Sonlandırıldı" for c in cs if c["title"] == "İş Güvenliği Uzmanı")]
    assert seen >= {"IH_MISSING", "IGU_MINUTES_LOW", "DSP_MISSING", "CERT_CLASS_MISMATCH", "PORTAL_NOT_COMPLIANT",
                    "IGU_MISSING"}
    assert ended_only  # a terminated contract that no longer counts
