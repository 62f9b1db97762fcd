"""The registers as on paper: the columns of Decree 30's Appendix IV, for print and Excel.

Sổ đăng ký văn bản đến: số đến, ngày đến, tác giả, số ký hiệu, ngày tháng, tên loại và
trích yếu nội dung, đơn vị hoặc người nhận, ký nhận, ghi chú. Sổ đăng ký văn bản đi: số ký
hiệu, ngày tháng, tên loại và trích yếu nội dung, người ký, nơi nhận, đơn vị/người nhận bản
lưu, số lượng bản, ghi chú. `register_rows` turns the entries the register page lists (its
selector, its filters) into those cells; the print page and the workbook both read them.
"""

import datetime
import tempfile
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .models import Document, Urgency

INCOMING_COLUMNS = (
    (_("Incoming no."), 8),
    (_("Date received"), 12),
    (_("Author"), 28),
    (_("Document number and symbol"), 16),
    (_("Document date"), 12),
    (_("Type and summary"), 50),
    (_("Unit or person receiving"), 28),
    (_("Signature of receipt"), 14),
    (_("Note"), 16),
)
OUTGOING_COLUMNS = (
    (_("Document number and symbol"), 16),
    (_("Document date"), 12),
    (_("Type and summary"), 50),
    (_("Signer"), 22),
    (_("Recipients of the document"), 34),
    (_("Unit or person keeping the file copy"), 22),
    (_("Number of copies"), 10),
    (_("Note"), 16),
)


def register_columns(*, incoming: bool) -> list[str]:
    return [str(title) for title, _width in (INCOMING_COLUMNS if incoming else OUTGOING_COLUMNS)]


def _note(entry: Document) -> str:
    """Ghi chú: what a clerk writes in the margin, the urgency when it is not ordinary."""
    return entry.get_urgency_display() if entry.urgency != Urgency.NORMAL else ""


def _type_and_summary(entry: Document) -> str:
    return f"{entry.document_type.name}: {entry.summary}"


def register_rows(entries: Iterable[Document], *, incoming: bool) -> Iterator[list]:
    """One list of cells per entry, in the order of `register_columns` (dates as dates).

    `entries` come from `register_entries_for`, which prefetches the recipients and the
    assignments. The number of copies is the copies sent to the recipients: the register
    keeps no count of file copies.
    """
    for entry in entries:
        if incoming:
            receivers = "; ".join(
                assignment.lead_unit.name for assignment in entry.assignments.all()
            )
            yield [
                entry.register_number,
                timezone.localdate(entry.registered_at) if entry.registered_at else None,
                entry.sender_name or (entry.sender_agency.name if entry.sender_agency else ""),
                entry.notation,
                entry.issued_on,
                _type_and_summary(entry),
                receivers,
                "",
                _note(entry),
            ]
        else:
            recipients = [str(recipient) for recipient in entry.recipients.all()]
            yield [
                entry.notation,
                entry.issued_on,
                _type_and_summary(entry),
                entry.signer_name,
                "; ".join(recipients),
                entry.drafting_unit.name if entry.drafting_unit else "",
                len(recipients) or None,
                _note(entry),
            ]


def register_workbook(
    entries: Iterable[Document], *, incoming: bool, title: str, agency_name: str
) -> tempfile.SpooledTemporaryFile:
    """The register as an .xlsx file (openpyxl write-only: rows go out one at a time, the
    workbook never sits whole in memory); returned rewound, for a streamed response."""
    columns = INCOMING_COLUMNS if incoming else OUTGOING_COLUMNS
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    for index, (_title, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value, *, font=None):
        written = WriteOnlyCell(sheet, value=value)
        written.alignment = wrap
        if font is not None:
            written.font = font
        if isinstance(value, datetime.date):
            written.number_format = "DD/MM/YYYY"
        return written

    sheet.append([cell(agency_name, font=bold)])
    sheet.append([cell(str(title), font=bold)])
    sheet.append([cell(str(column), font=bold) for column, _width in columns])
    for row in register_rows(entries, incoming=incoming):
        sheet.append([cell(value) for value in row])
    # Closed by the FileResponse that streams it.
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output
