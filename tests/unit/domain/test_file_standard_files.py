"""The shipped rules file as issue 11 asks: the forms never served marked (the casefile
guidance's non-disclosable banding), the Streamlined Disclosure Certificate as agreed
locally (CPS Disclosure Manual ch.6), the MG6 with the schedules, the MG10, and the Crown
Court first-hearing, upgrade and breach files, each requirement with its source."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from station_app.domain.casefile_forms import FORM_FIELDS, validate_form
from station_app.domain.file_standard import (
    CaseFacts,
    DocumentFacts,
    ItemStatus,
    RulesError,
    condition_problems,
    evaluate,
    parse_rules,
)
from station_app.resource_files import resource_path

RULES = json.loads(resource_path("rules", "file_standard.json").read_text(encoding="utf-8"))


def checklist(
    file_type: str, forms: list[str], conditions: set[str] | None = None, rules: Any = None
) -> dict[str, ItemStatus]:
    standard = parse_rules(rules or RULES)
    facts = CaseFacts(file_type, frozenset(conditions or ()), [DocumentFacts(f) for f in forms])
    return {item.id: item.status for item in evaluate(standard, facts).items}


def test_the_mg6d_mg3_and_mg6e_are_marked_never_served_each_with_its_source() -> None:
    """CPS Disclosure Manual ch.8 (8.2): the MG6D "will not be disclosed to the defence";
    the MG3 and MG6E go to the CPS only (case-files.md); Manual of Guidance 2011: the MG10 is
    NOT DISCLOSABLE. The MG6C is served (ch.7 7.1)."""
    standard = parse_rules(RULES)

    assert {"MG3", "MG6D", "MG6E", "MG6", "MG10"} <= set(standard.not_disclosable)
    for form in ("MG1", "MG5", "MG6C", "MG11", "SDC", "EXHIBIT"):
        assert standard.served(form), form
    assert not standard.served("MG6D")
    assert standard.band == "NOT FOR DISCLOSURE"
    for withheld in standard.not_disclosable.values():
        assert withheld.source, withheld
    assert "ch.8" in standard.not_disclosable["MG6D"].source
    assert standard.not_disclosable["MG6D"].confirm is False
    assert standard.not_disclosable["MG3"].confirm is True  # its banding was not seen


def test_a_form_not_known_cannot_be_marked_not_for_disclosure() -> None:
    rules = copy.deepcopy(RULES)
    rules["disclosure"]["not_disclosable"]["MG99"] = {"source": "x"}

    with pytest.raises(RulesError, match="MG99"):
        parse_rules(rules)


def test_a_magistrates_not_guilty_plea_may_use_the_streamlined_certificate_instead() -> None:
    """CPS Disclosure Manual ch.6: "The template for Streamlined Disclosure Certificates may
    still be used for anticipated not guilty plea cases which are reasonably expected to be
    suitable for summary trial"; the MG6 goes with the MG6C and MG6D."""
    forms = ["MG1", "MG4", "MG5", "MG9", "MG10", "MG12", "SDC"]

    streamlined = checklist("anticipated_not_guilty_plea", forms, {"streamlined_disclosure"})
    schedules = checklist("anticipated_not_guilty_plea", forms)

    for item in ("mg6", "mg6c", "mg6d", "mg6e"):
        assert streamlined[item] is ItemStatus.NOT_NEEDED
        assert schedules[item] is ItemStatus.MISSING
    assert streamlined["sdc"] is ItemStatus.DONE
    assert schedules["sdc"] is ItemStatus.NOT_NEEDED
    standard = parse_rules(RULES)
    facts = CaseFacts("anticipated_not_guilty_plea", frozenset({"streamlined_disclosure"}))
    mg6c = next(i for i in evaluate(standard, facts).items if i.id == "mg6c")
    assert mg6c.sentence.startswith("Not needed because: The case will stay in the magistrates'")


def test_the_streamlined_certificate_is_a_setting_as_agreed_locally() -> None:
    """CPS Disclosure Manual ch.6: "Both SDCs and the MG6 series are expected to continue to
    be used, as agreed locally": a rules setting, not a constant."""
    standard = parse_rules(RULES)
    assert standard.streamlined is not None
    assert standard.streamlined.use == "as agreed locally"
    assert "ch.6" in standard.streamlined.source
    assert (
        condition_problems(standard, "anticipated_not_guilty_plea", ["streamlined_disclosure"])
        == []
    )

    refused = condition_problems(standard, "crown_court_first_hearing", ["streamlined_disclosure"])
    assert "only for anticipated not guilty pleas" in refused[0]
    rules = copy.deepcopy(RULES)
    rules["settings"]["streamlined_disclosure_certificate"]["use"] = "not agreed"
    local = parse_rules(rules)
    refused = condition_problems(local, "anticipated_not_guilty_plea", ["streamlined_disclosure"])
    assert "has not agreed the Streamlined Disclosure Certificate" in refused[0]
    rules["settings"]["streamlined_disclosure_certificate"]["use"] = "sometimes"
    with pytest.raises(RulesError, match="as agreed locally"):
        parse_rules(rules)


def test_the_crown_court_upgrade_and_breach_files_have_their_checklists() -> None:
    standard = parse_rules(RULES)
    assert {"crown_court_first_hearing", "upgrade", "breach"} <= set(standard.file_types)

    crown = checklist("crown_court_first_hearing", [])
    upgrade = checklist("upgrade", [])
    breach = checklist("breach", [], {"remand_sought"})

    assert {"mg4", "mg5", "key_statements", "key_exhibits", "previous_convictions"} <= {
        k for k, v in crown.items() if v is ItemStatus.MISSING
    }
    assert "mg6c" not in crown  # the schedules come with the upgrade, not the first hearing
    assert {"mg6", "mg6c", "mg6d", "mg6e", "mg9", "mg10", "mg12"} <= {
        k for k, v in upgrade.items() if v is ItemStatus.MISSING
    }
    assert {"mg8", "breach_statement", "mg7"} <= {
        k for k, v in breach.items() if v is ItemStatus.MISSING
    }


def test_every_requirement_of_a_new_file_type_cites_its_source_or_says_confirm() -> None:
    """Issue 11: cite the National File Standard for each requirement added; where it could
    not be confirmed, the rules data says "confirm"."""
    standard = parse_rules(RULES)
    new = {"crown_court_first_hearing", "upgrade", "breach"}
    added = {"mg6", "mg10", "sdc", "mg8", "breach_statement"}
    for item in standard.items:
        if item.id in added or new & set(item.needed_for):
            assert item.source, item.id
            if item.id not in ("mg6", "sdc"):  # confirmed in the CPS Disclosure Manual
                assert item.confirm, item.id
    assert "ch.6" in next(i for i in standard.items if i.id == "mg6").source


def test_the_mg6_mg10_and_certificate_are_forms_with_their_checks() -> None:
    for form in ("MG6", "MG10", "SDC"):
        assert FORM_FIELDS[form]
    assert set(validate_form("MG6", {})) == {"officer_name", "investigation_began", "information"}
    assert set(validate_form("MG10", {})) == {"officer_name", "dates_to_avoid"}
    certificate = {
        "disclosure_officer": "DC Sam Okafor",
        "signed_by": "DC Sam Okafor",
        "signed_on": "2026-11-20",
    }
    assert "tick that there is none" in validate_form("SDC", certificate)["material_to_disclose"]
    assert validate_form("SDC", {**certificate, "nothing_to_disclose": True}) == {}
    both = {**certificate, "nothing_to_disclose": True, "material_to_disclose": "CCTV log"}
    assert "leave this empty" in validate_form("SDC", both)["material_to_disclose"]
    assert validate_form("SDC", {**certificate, "material_to_disclose": "CCTV log"}) == {}
