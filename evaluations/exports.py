"""Files people take away: the self-assessment as Word, the results table as Excel.

The Word file follows the seeds' reports (seed 003): each criterion as a numbered heading
with its score, the explanation under each leaf, then “Kết quả tự đánh giá” with the total
and the classification. The printed words are the report's own and stay Vietnamese.
"""

import io
from decimal import Decimal

import docx
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .models import Campaign, Round, Score, Submission
from .selectors import (
    ResultRow,
    criterion_totals,
    leaf_scores,
    self_classification,
    top_criteria,
)


def score_text(value: Decimal) -> str:
    """Points as agencies write them: 94, 75,59, 7,5."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def rank_change_text(change: int | None) -> str:
    """“tăng 8 bậc”, “giảm 2 bậc”, “giữ nguyên”; empty without a previous campaign."""
    if change is None:
        return ""
    if change > 0:
        return ngettext("up %(n)d place", "up %(n)d places", change) % {"n": change}
    if change < 0:
        return ngettext("down %(n)d place", "down %(n)d places", -change) % {"n": -change}
    return gettext("unchanged")


def result_lines(*, row: ResultRow, campaign: Campaign) -> list[str]:
    """The result as a reply prints it (seed 000): the class, then “Xếp thứ tự: 4/4 …”.

    A document's words are the site's language whoever's screen is in English.
    """
    with translation.override(settings.LANGUAGE_CODE):
        rank = gettext("Rank: %(rank)s/%(count)s %(label)s") % {
            "rank": row.rank, "count": row.count, "label": campaign.participant_label}
    return [f"{row.classification}.", f"{rank.strip()}."]


def self_assessment_lines(*, submission: Submission) -> list[tuple[str, str]]:
    """The report's paragraphs as (bold part, plain part), in the order of seed 003: the
    request it answers, each criterion with its score and the leaf's explanation, then the
    total and the classification."""
    campaign = submission.campaign
    scores = Score.objects.filter(submission=submission, round=Round.SELF)
    by_leaf = leaf_scores(submission=submission)
    total, classification = self_classification(submission=submission)
    name = submission.participant_name
    lines = [("", f"Theo đề nghị của {campaign.owner.name}, {name} báo cáo kết quả tự đánh giá "
                  f"{campaign.title} {campaign.period} như sau:")]
    for node in criterion_totals(submission=submission, scores=scores):
        lines.append((f"{node.code}. {node.title}: {score_text(node.total)} điểm", ""))
        own = by_leaf.get(node.pk, {}).get(Round.SELF) if node.is_leaf else None
        if own is not None and own.explanation:
            lines.append(("", own.explanation))
    return [
        *lines,
        ("Kết quả tự đánh giá:", ""),
        ("", f"- Tổng số điểm {name} tự đánh giá: {score_text(total)} điểm"),
        ("", f"- Xếp loại: {classification}."),
        ("", f"{name} báo cáo {campaign.owner.name} xem xét, tổng hợp./."),
    ]


def self_assessment_text(*, submission: Submission) -> str:
    """The report as plain text: the body of the BÁO CÁO draft answering the request."""
    return "\n".join(bold or plain for bold, plain in self_assessment_lines(submission=submission))


def self_assessment_docx(*, submission: Submission) -> bytes:
    """The participant's self-assessment report (BÁO CÁO) as a DOCX file."""
    campaign = submission.campaign
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    for text in ("BÁO CÁO", f"Kết quả tự đánh giá {campaign.title} {campaign.period}"):
        heading = document.add_paragraph()
        heading.alignment = 1
        heading.add_run(text).bold = True
    for bold, plain in self_assessment_lines(submission=submission):
        paragraph = document.add_paragraph()
        if bold:
            paragraph.add_run(bold).bold = True
        if plain:
            paragraph.add_run(plain)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def results_xlsx(*, campaign: Campaign, rows: list[ResultRow]) -> bytes:
    """The results table: participant, total, class, rank n/N, change, then each
    criterion's subtotal."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả"
    sheet.append([f"{campaign.title} {campaign.period}"])
    sheet["A1"].font = Font(bold=True, size=13)
    header = ["STT", "Đơn vị", "Tổng điểm", "Xếp loại", "Xếp thứ tự", "Năm trước", "Thay đổi",
              *(f"Tiêu chí {top.code}" for top in top_criteria(campaign=campaign))]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for number, row in enumerate(rows, start=1):
        sheet.append([
            number,
            row.submission.participant_name,
            float(row.total),
            row.classification,
            f"{row.rank}/{row.count}",
            f"{row.previous_rank}/{row.previous_count}" if row.previous_rank else "",
            rank_change_text(row.change),
            *(float(subtotal) for subtotal in row.by_criterion),
        ])
        sheet.cell(row=number + 2, column=3).number_format = "0.00"
    for column, width in zip("ABCDEFG", (6, 45, 12, 30, 12, 12, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
