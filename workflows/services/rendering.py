"""The issued document as a Word file in the layout of Decree 30/2020/NĐ-CP (Art. 8).

The printed words (“Số:”, “Kính gửi:”, “Nơi nhận:”, “Lưu: VT”, the Quốc hiệu) are fixed by
the decree and stay Vietnamese whatever language the reader's screen uses; everything
about the agency, its units and its people comes from data.
"""

import copy
import datetime
import functools
import io
import threading
import zipfile

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import Environment

from accounts.models import Role, User

from ..docx import TEMPLATE_PATH
from ..models import Document, SigningAuthority
from .numbering import BLANK_NUMBER, NUMBER_SLOT, notation_build, notation_slotted, number_format

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


def date_line_blank(place: str, year: int) -> str:
    """The date line of a draft: the clerk writes the day and month when issuing."""
    return f"{place}, ngày {BLANK_NUMBER} tháng {BLANK_NUMBER} năm {year}"


def signing_authority_for(user: User) -> str:
    """How `user` signs (Decree 30 Art. 13): a deputy signs “KT.” for the head."""
    return (
        SigningAuthority.ON_BEHALF_OF_HEAD if user.role == Role.DEPUTY
        else SigningAuthority.IN_PERSON
    )


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


def _as_proposed(document: Document) -> Document:
    """A draft as it would be signed by its proposed signer (an unsaved copy)."""
    if document.signer_name or document.signer is None:
        return document
    signer = document.signer
    proposed = copy.copy(document)
    proposed.signer_name = signer.get_full_name()
    proposed.signer_title = signer.title
    proposed.signing_authority = signing_authority_for(signer)
    return proposed


def document_docx_context(
    *, document: Document, preview: bool = False, recipients: list | None = None
) -> dict:
    """Everything the Decree-30 template prints, read from the document and its data.

    `preview`: the draft as it will be issued, before it has a number and a date (left
    blank) or a signature (its proposed signer's lines). `recipients`: the document's,
    with their agencies, when the caller has read them already.
    """
    if preview:
        document = _as_proposed(document)
    agency = document.agency
    if recipients is None:
        recipients = document.recipients_with_agencies()
    addressees = [_recipient_label(r) for r in recipients if r.is_addressee]
    addressee_lines = [f"- {label};" for label in addressees]
    if addressee_lines:
        addressee_lines[-1] = addressee_lines[-1][:-1] + "."
    place_lines = ["- Như trên;"] if addressees else []
    place_lines += [f"- {_recipient_label(r)};" for r in recipients if not r.is_addressee]
    unit = document.drafting_unit
    place_lines.append(f"- Lưu: VT, {unit.symbol}." if unit else "- Lưu: VT.")
    is_cong_van = not document.document_type.abbreviation
    place = document.place or agency.place_name
    if preview:
        notation = notation_build(
            number=None, document_type=document.document_type, agency=agency,
            drafting_unit=unit,
        )
        dated = date_line_blank(place, timezone.localdate().year)
    else:
        notation, dated = document.notation, date_line(place, document.issued_on)
    return {
        "parent_line": agency.parent_line.upper(),
        "header_name": agency.header_name.upper(),
        "motto_lines": PARTY_MOTTO if agency.is_party else NATIONAL_MOTTO,
        # Party documents write “Số 1719-CV/HU”, state ones “Số: 12/BDT-HCTH”.
        "number_line": f"Số {notation}" if agency.is_party else f"Số: {notation}",
        "date_line": dated,
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


class _CompiledOnce(Environment):
    """A Jinja environment compiling each template source once: docxtpl compiles the
    template's XML at every render, and it is the same XML every time (a third of a render)."""

    @functools.lru_cache(maxsize=32)  # noqa: B019 (one environment for the process)
    def _compiled(self, source: str):
        return super().from_string(source)

    def from_string(self, source, globals=None, template_class=None):
        if globals is None and template_class is None:
            return self._compiled(source)
        return super().from_string(source, globals=globals, template_class=template_class)


_JINJA = _CompiledOnce(autoescape=True)


# The parts of the template a render writes: the body and the core properties, which
# docxtpl renders too. Every other part is the template's own, the same in every file.
RENDERED_PARTS = ("word/document.xml", "docProps/core.xml")
DOCX_BODY = RENDERED_PARTS[0]
# The core properties docxtpl renders (`DocxTemplate.render_properties`).
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


class _RenderedAgain(DocxTemplate):
    """docxtpl's template, rendered again and again from the template file's own body.

    Before every render docxtpl serialises the body and cleans Word's tags out of its Jinja
    tags (and the footnotes') with a dozen regular expressions over the whole part: more
    than half a render's time, for the same source every time. Here the body's source is
    the one read from the file (a render replaces the body with its result: nothing is put
    back), and each patched source is kept, per source text. Core properties without a
    Jinja tag (the Decree 30 template's) render the same every time: they are rendered
    once.
    """

    def __init__(self, template_file):
        super().__init__(template_file)
        self.init_docx()
        self._body_xml = super().get_xml()
        self._patched = functools.lru_cache(maxsize=8)(super().patch_xml)
        properties = self.docx.core_properties
        self._properties = {name: getattr(properties, name) for name in RENDERED_PROPERTIES}
        self._properties_templated = any(
            "{" in value for value in self._properties.values()
        )
        self._properties_rendered = False

    def get_xml(self):
        return self._body_xml

    def patch_xml(self, src_xml):
        return self._patched(src_xml)

    def render_properties(self, context, jinja_env=None):
        if self._properties_rendered and not self._properties_templated:
            return
        properties = self.docx.core_properties
        for name, value in self._properties.items():
            setattr(properties, name, value)
        super().render_properties(context, jinja_env)
        self._properties_rendered = True


class _Template:
    """The Decree 30 template, opened once per thread (`_template`) and rendered again and
    again (`_RenderedAgain`).

    Opening the file parses its 800 KB of styles and saving compresses them again, two
    thirds of a render: here they are parsed once, and their compressed bytes are kept
    (`static`) for every file. The context holds text only (no picture or sub-document,
    which would add parts).
    """

    def __init__(self):
        self.docx = _RenderedAgain(str(TEMPLATE_PATH))
        self.parts = {
            str(part.partname).lstrip("/"): part
            for part in self.docx.docx.part.package.iter_parts()
            if str(part.partname).lstrip("/") in RENDERED_PARTS
        }
        output = io.BytesIO()
        with (
            zipfile.ZipFile(TEMPLATE_PATH) as source,
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for item in source.infolist():
                if item.filename not in RENDERED_PARTS:
                    archive.writestr(item, source.read(item))
        self.static = output.getvalue()

    def render(self, context: dict) -> dict[str, bytes]:
        """The rendered parts' bytes by their name in the package."""
        # docxtpl reopens the file for a second render unless told it has not rendered.
        self.docx.is_rendered = False
        self.docx.render(context, jinja_env=_JINJA, autoescape=True)
        return {name: part.blob for name, part in self.parts.items()}


_THREAD = threading.local()


def _template() -> _Template:
    """This thread's template (a render changes it: threads cannot share one)."""
    template = getattr(_THREAD, "template", None)
    if template is None:
        template = _THREAD.template = _Template()
    return template


def _docx_package(parts: dict[str, bytes]) -> bytes:
    """The .docx file: the template's unchanged parts, then the rendered ones."""
    output = io.BytesIO(_template().static)
    with zipfile.ZipFile(output, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return output.getvalue()


def document_render_docx(*, document: Document, preview: bool = False) -> bytes:
    """The issued document as .docx bytes (Times New Roman, Decree 30 layout).

    Needs the number, notation and date of issue: render after numbering, or with
    `preview` for a draft (number and date left blank, see `document_docx_context`).
    """
    return _docx_package(
        _template().render(document_docx_context(document=document, preview=preview))
    )


class UnnumberedDocx:
    """An issued document rendered before its number is taken (`document_render_docx_unnumbered`).

    Holds the rendered parts; `numbered` prints the number in the body's slot and packs
    the file, which is all the work left while the register's counter is locked.
    """

    def __init__(self, parts: dict[str, bytes]):
        self._parts = parts

    def numbered(self, number: int) -> bytes:
        """The file's bytes with `number` printed."""
        body = self._parts[DOCX_BODY].replace(
            NUMBER_SLOT.encode(), number_format(number).encode(), 1
        )
        return _docx_package({**self._parts, DOCX_BODY: body})


def document_render_docx_unnumbered(
    *, document: Document, recipients: list | None = None
) -> UnnumberedDocx:
    """The issued document with a slot for its number (see `UnnumberedDocx.numbered`).

    Issuing renders first and numbers last, so that the register's counter stays locked
    for the few milliseconds of printing the number, not for a render; a render error
    then uses no number. The document needs its date of issue and place, not its number.
    """
    slotted = copy.copy(document)
    slotted.notation = notation_slotted(document=document)
    return UnnumberedDocx(
        _template().render(document_docx_context(document=slotted, recipients=recipients))
    )
