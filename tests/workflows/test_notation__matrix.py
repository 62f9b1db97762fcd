"""Notation (số, ký hiệu) is built from data: state/Party × công văn/other types, leading zero."""

import pytest

from accounts.models import Agency, Unit
from workflows.models import DocumentType
from workflows.services.numbering import notation_build, number_format

pytestmark = pytest.mark.django_db

BDT = Agency(symbol="BDT", kind=Agency.Kind.STATE)
HU = Agency(symbol="HU", kind=Agency.Kind.PARTY)
BDVTU = Agency(symbol="BDVTU", kind=Agency.Kind.PARTY)
HCTH = Unit(symbol="HCTH")


def _type(code):
    return DocumentType.objects.get(code=code)


@pytest.mark.parametrize(
    ("number", "type_code", "agency", "unit", "expected"),
    [
        (12, "cong-van", BDT, HCTH, "12/BDT-HCTH"),
        (1, "cong-van", BDT, HCTH, "01/BDT-HCTH"),
        (9, "cong-van", BDT, None, "09/BDT"),
        (323, "bao-cao", BDT, HCTH, "323/BC-BDT"),
        (822, "ke-hoach", BDT, None, "822/KH-BDT"),
        (15, "quyet-dinh", BDT, None, "15/QĐ-BDT"),
        (5, "to-trinh", BDT, HCTH, "05/TTr-BDT"),
        (1719, "cong-van", HU, None, "1719-CV/HU"),
        (90, "ke-hoach", BDVTU, None, "90-KH/BDVTU"),
        (3, "bao-cao", HU, None, "03-BC/HU"),
    ],
)
def test_notation_follows_decree_30_and_party_rules(number, type_code, agency, unit, expected):
    assert notation_build(
        number=number, document_type=_type(type_code), agency=agency, drafting_unit=unit
    ) == expected


def test_numbers_below_ten_take_a_leading_zero_and_others_print_as_is():
    assert [number_format(n) for n in (1, 9, 10, 99, 1719)] == ["01", "09", "10", "99", "1719"]


def test_an_edited_abbreviation_changes_the_notation():
    report = _type("bao-cao")
    report.abbreviation = "BCáo"
    assert notation_build(number=7, document_type=report, agency=BDT) == "07/BCáo-BDT"


def test_appendix_iii_is_seeded_with_cong_van_as_cv_for_party_bodies():
    abbreviations = set(DocumentType.objects.values_list("abbreviation", flat=True))
    assert {"NQ", "QĐ", "QyĐ", "CTr", "ĐA", "TTr", "BGN", "GUQ", "PB"} <= abbreviations
    assert DocumentType.objects.count() == 28
    cong_van = _type("cong-van")
    assert (cong_van.name, cong_van.abbreviation, cong_van.party_abbreviation) == (
        "Công văn", "", "CV"
    )
