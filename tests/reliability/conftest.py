"""The flow tests' in-memory portal, reused for the resume tests."""

from tests.flows.conftest import portal  # noqa: F401 - a fixture
