"""The issued document as a Word file in the layout of Decree 30/2020/NĐ-CP (Art. 8).

The printed words (“Số:”, “Kính gửi:”, “Nơi nhận:”, “Lưu: VT”, the Quốc hiệu) are fixed by
the decree and stay Vietnamese whatever language the reader's screen uses; everything
about the agency, its units and its people comes from data.
"""

import datetime
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from accounts.models import Role, User

from ..docx import TEMPLATE_PATH
from ..models import Document, SigningAuthority

NATIONAL_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
# Party bodies print the Party's name where state bodies print the Quốc hiệu.
PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)


def date_line(place: str, date: datetime.date) -> str:
    """“Bắc Giang, ngày 05 tháng 12 năm 2023”.

    Decree 30 Appendix I: days below 10 and the months 1 and 2 take a leading zero
    (so that nobody can add a digit later); months 3 to 12 do not.
    """
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def head_title(*, agency) -> str:
    """The printed title of the agency's head (TRƯỞNG BAN, GIÁM ĐỐC…), from the people data."""
    return (
        User.objects.filter(agency=agency, role=Role.HEAD, is_active=True)
        .exclude(title="")
        .values_list("title", flat=True)
        .first()
        or ""
    )


def signature_lines(*, document: Document) -> list[str]:
    """The lines above the signer's name (Decree 30 Art. 13).

    In person: the signer's title. KT./TL./TUQ.: the head's title after the prefix, then
    the signer's own title. TM.: the collective (the agency's header name). Q.: the acting
    head's line only.
    """
    authority = document.signing_authority
    title = document.signer_title.upper()
    if authority == SigningAuthority.IN_PERSON:
        return [title]
    if authority == SigningAuthority.ON_BEHALF_OF_COLLECTIVE:
        return [f"TM. {document.agency.header_name.upper()}", title]
    head = head_title(agency=document.agency).upper()
    if authority == SigningAuthority.ACTING:
        return [f"Q. {head or title}"]
    if not head:
        raise ValidationError(
            _(
                "The agency has no head with a printed title, so “%(authority)s.” cannot "
                "be printed. Record the head and their title first."
            )
            % {"authority": authority}
        )
    return [f"{authority}. {head}", title]


def _recipient_label(recipient) -> str:
    return recipient.name or recipient.agency.name


def document_docx_context(*, document: Document) -> dict:
    """Everything the Decree-30 template prints, read from the document and its data."""
    agency = document.agency
    recipients = list(document.recipients.select_related("agency"))
    addressees = [_recipient_label(r) for r in recipients if r.is_addressee]
    addressee_lines = [f"- {label};" for label in addressees]
    if addressee_lines:
        addressee_lines[-1] = addressee_lines[-1][:-1] + "."
    place_lines = ["- Như trên;"] if addressees else []
    place_lines += [f"- {_recipient_label(r)};" for r in recipients if not r.is_addressee]
    unit = document.drafting_unit
    place_lines.append(f"- Lưu: VT, {unit.symbol}." if unit else "- Lưu: VT.")
    is_cong_van = not document.document_type.abbreviation
    return {
        "parent_line": agency.parent_line.upper(),
        "header_name": agency.header_name.upper(),
        "motto_lines": PARTY_MOTTO if agency.is_party else NATIONAL_MOTTO,
        # Party documents write “Số 1719-CV/HU”, state ones “Số: 12/BDT-HCTH”.
        "number_line": f"Số {document.notation}" if agency.is_party
        else f"Số: {document.notation}",
        "date_line": date_line(document.place or agency.place_name, document.issued_on),
        "is_cong_van": is_cong_van,
        "type_name": document.document_type.name.upper(),
        "summary": document.summary,
        # Công văn print their summary as “V/v …”; some users type the prefix themselves.
        "subject_line": document.summary if document.summary.startswith("V/v")
        else f"V/v {document.summary}",
        "addressees": addressees,
        "addressee_lines": addressee_lines,
        "paragraphs": [line.strip() for line in document.body.splitlines() if line.strip()],
        "place_lines": place_lines,
        "signature_lines": signature_lines(document=document),
        "signer_name": document.signer_name,
    }


def document_render_docx(*, document: Document) -> bytes:
    """The issued document as .docx bytes (Times New Roman, Decree 30 layout).

    Needs the number, notation and date of issue: render after numbering.
    """
    template = DocxTemplate(str(TEMPLATE_PATH))
    template.render(document_docx_context(document=document), autoescape=True)
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()
