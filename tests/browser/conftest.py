"""The browser tests share the bad-input corpus's small world: one object of each kind the write URLs name."""

from tests.test_bad_input import world  # noqa: F401 - the fixture, shared
