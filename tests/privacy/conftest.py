"""The flow tests' in-memory portal, for the item-log tests."""

from tests.flows.conftest import portal  # noqa: F401 - a fixture, used by name
