"""A worker's result is sealed while it waits in Redis: names in it are unreadable without the passphrase."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from rpa.errors import ConfigError
from rpa.settings import Settings
from rpa.workers.sealed import seal, unseal


def test_a_result_is_sealed_with_the_shared_key_and_only_that_key_opens_it(postgres_url, tmp_path):
    settings = Settings(state_dir=tmp_path / "state", database_url=postgres_url, secret_key="ortak parola")
    result = {"account": "firma-1", "report": {"approve": [{"professional": "Zeynep Aksoy"}]}}

    kept = seal(settings, result)

    assert set(kept) == {"sealed"} and "Zeynep" not in json.dumps(kept)
    assert unseal(settings, kept) == result
    with pytest.raises(ConfigError, match="KATIP_SECRET_KEY"):
        unseal(settings.model_copy(update={"secret_key": SecretStr("başka parola")}), kept)
    plain = Settings(state_dir=tmp_path / "state")  # no shared database and passphrase: as it was
    assert seal(plain, result) == result and unseal(plain, result) == result
