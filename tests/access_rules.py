"""The role x page tables ask each page's access rule who may; these check what the rules themselves allow."""


def assert_rules_allow(expected: dict, pages, roles, world) -> None:
    """Each rule of `expected` (a function of (person, world)) allows exactly its set of roles (`world["people"]`),
    and the table's pages ask no rule that `expected` does not name (the rule is the last item of a page)."""
    assert {page[-1] for page in pages} == set(expected)
    for rule, allowed in expected.items():
        found = {role for role in roles if role in world["people"] and rule(world["people"][role], world)}
        assert found == allowed, rule.__name__
