"""The file standard read from the shipped rules file and a changed rules file, the MG11's
checks. Disclosure schedules: tests/unit/domain/test_disclosure.py."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from station_app.domain.casefile_forms import validate_form
from station_app.domain.file_standard import (
    CaseFacts,
    DocumentFacts,
    ItemStatus,
    RulesError,
    evaluate,
    parse_rules,
)
from station_app.resource_files import resource_path

RULES_PATH = resource_path("rules", "file_standard.json")


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return data


def statuses(
    file_type: str,
    docs: list[DocumentFacts],
    conditions: set[str] | None = None,
    rules: dict[str, Any] | None = None,
) -> dict[str, ItemStatus]:
    standard = parse_rules(rules or shipped())
    result = evaluate(standard, CaseFacts(file_type, frozenset(conditions or ()), docs))
    return {item.id: item.status for item in result.items}


def test_a_charging_decision_file_needs_the_mg3_and_key_evidence() -> None:
    result = statuses("cps_charging_decision", [])

    assert {k for k, v in result.items() if v is ItemStatus.MISSING} == {
        "mg3",
        "key_statements",
        "key_exhibits",
        "interview_record",
        "previous_convictions",
    }
    assert "mg1" not in result  # the MG1 is for files after charge


def test_an_anticipated_guilty_plea_file_is_complete_with_its_forms() -> None:
    docs = [DocumentFacts(f) for f in ("MG1", "MG4", "MG5", "PREVIOUS_CONVICTIONS")]

    result = statuses("anticipated_guilty_plea", docs)

    assert result["mg1"] is ItemStatus.DONE and result["mg5"] is ItemStatus.DONE
    assert result["vps"] is ItemStatus.NOT_NEEDED
    assert ItemStatus.MISSING not in result.values()


def test_an_anticipated_not_guilty_plea_file_needs_disclosure_and_mg2_when_special_measures() -> (
    None
):
    docs = [DocumentFacts(f) for f in ("MG1", "MG4", "MG5", "MG9", "MG12", "MG6C")]
    docs.append(DocumentFacts("MG11", key=False))  # a statement, but not marked key

    without = statuses("anticipated_not_guilty_plea", docs)
    with_sm = statuses("anticipated_not_guilty_plea", docs, {"special_measures_needed"})

    assert without["mg2"] is ItemStatus.NOT_NEEDED
    assert with_sm["mg2"] is ItemStatus.MISSING
    assert without["key_statements"] is ItemStatus.MISSING
    assert without["mg6d"] is ItemStatus.MISSING and without["mg6c"] is ItemStatus.DONE


def test_a_remand_file_adds_the_mg7_and_the_not_guilty_items_only_when_anticipated() -> None:
    guilty = statuses("remand", [DocumentFacts("MG1")])
    not_guilty = statuses("remand", [DocumentFacts("MG1")], {"not_guilty_plea_anticipated"})

    assert guilty["mg7"] is ItemStatus.MISSING
    assert guilty["mg9"] is ItemStatus.NOT_NEEDED
    assert not_guilty["mg9"] is ItemStatus.MISSING


def test_every_missing_item_says_what_to_do() -> None:
    standard = parse_rules(shipped())
    for file_type in standard.file_types:
        result = evaluate(standard, CaseFacts(file_type, frozenset(standard.conditions)))
        assert result.missing, file_type
        for item in result.missing:
            assert item.sentence.endswith(".") and item.sentence[0].isupper(), item


def test_a_changed_rules_file_changes_the_checklist() -> None:
    rules = copy.deepcopy(shipped())
    rules["version"] = "2026.1-local"
    mg5 = next(item for item in rules["items"] if item["id"] == "mg5")
    del mg5["needed_for"]["anticipated_guilty_plea"]  # a local agreement drops the MG5
    rules["items"].append(
        {
            "id": "mg6c_early",
            "title": "Early MG6C",
            "form": "MG6C",
            "needed_for": {"anticipated_guilty_plea": True},
            "action": "Add an MG6C.",
        }
    )
    docs = [DocumentFacts(f) for f in ("MG1", "MG4", "PREVIOUS_CONVICTIONS")]

    before = statuses("anticipated_guilty_plea", docs)
    after_standard = parse_rules(rules)
    after = evaluate(after_standard, CaseFacts("anticipated_guilty_plea", frozenset(), docs))

    assert before["mg5"] is ItemStatus.MISSING
    assert after.rules_version == "2026.1-local"
    assert [i.id for i in after.missing] == ["mg6c_early"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: r.update(schema=2), "schema"),
        (lambda r: r["items"][0].update(form="MG99"), "MG99"),
        (lambda r: r["items"][1]["needed_for"].update(appeal=True), "appeal"),
        (lambda r: r["items"][4]["needed_for"].update(remand="moon_is_full"), "moon_is_full"),
        (lambda r: r.update(bundle_order=["MG5", "MG1"]), "MG1"),
    ],
)
def test_a_broken_rules_file_is_refused_with_a_sentence(change: Any, words: str) -> None:
    rules = copy.deepcopy(shipped())
    change(rules)

    with pytest.raises(RulesError, match=words):
        parse_rules(rules)


def test_an_mg11_needs_the_statement_of_truth_and_the_witness_details() -> None:
    errors = validate_form("MG11", {"witness_name": "Ada Quill", "statement": "I saw..."})

    assert set(errors) == {
        "address",
        "declaration_made",
        "date_of_birth",
        "signed_by_witness",
        "statement_date",
    }
    ok = {
        "witness_name": "Ada Quill",
        "over_18": True,
        "address": "4 Lark Rise, Exampleton",
        "statement": "I saw a man take the bicycle.",
        "declaration_made": True,
        "signed_by_witness": "A Quill",
        "statement_date": "2026-11-20",
    }
    assert validate_form("MG11", ok) == {}
    assert (
        "YYYY-MM-DD"
        in validate_form("MG11", {**ok, "statement_date": "20/11/2026"})["statement_date"]
    )
