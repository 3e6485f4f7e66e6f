"""docs/rules.md is generated from the rules, their messages and the tests, and kept current."""

from __future__ import annotations

from domain.messages import CATALOG
from domain.rules import RULES
from scripts import rules_doc


def test_docs_rules_md_is_the_generated_document() -> None:
    # The lists of proving tests grow as tests are added anywhere; the rules, codes and messages must match exactly.
    stored = rules_doc.without_test_lists(rules_doc.TARGET.read_text(encoding="utf-8"))
    assert stored == rules_doc.without_test_lists(rules_doc.document()), "run: python -m scripts.rules_doc"


def test_every_rule_has_a_property_test_and_every_code_belongs_to_a_rule() -> None:
    _naming, properties = rules_doc.tests_by_code()
    assert sorted(properties, key=lambda r: int(r[1:])) == [f"R{n}" for n in range(1, 18)] == list(RULES)
    assert all(properties[rule] for rule in RULES), [rule for rule in RULES if not properties[rule]]
    assert all(code.split(".")[0] in RULES for code in CATALOG)
