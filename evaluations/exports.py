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
from .selectors import ResultRow, criterion_totals, leaf_scores, self_classification


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


def self_assessment_docx(*, submission: Submission) -> bytes:
    """The participant's self-assessment report (BÁO CÁO) as a DOCX file."""
    campaign = submission.campaign
    scores = Score.objects.filter(submission=submission, round=Round.SELF)
    nodes = list(criterion_totals(submission=submission, scores=scores))
    by_leaf = leaf_scores(submission=submission)
    total, classification = self_classification(submission=submission)
    name = submission.participant_name

    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    title = document.add_paragraph()
    title.alignment = 1
    title.add_run("BÁO CÁO").bold = True
    subtitle = document.add_paragraph()
    subtitle.alignment = 1
    subtitle.add_run(f"Kết quả tự đánh giá {campaign.title} {campaign.period}").bold = True
    document.add_paragraph(
        f"Theo đề nghị của {campaign.owner.name}, {name} báo cáo kết quả tự đánh giá như sau:"
    )
    for node in nodes:
        heading = document.add_paragraph()
        heading.add_run(f"{node.code}. {node.title}: {score_text(node.total)} điểm").bold = True
        if node.is_leaf:
            own = by_leaf.get(node.id, {}).get(Round.SELF)
            if own is not None and own.explanation:
                document.add_paragraph(own.explanation)
    result = document.add_paragraph()
    result.add_run("Kết quả tự đánh giá:").bold = True
    line = document.add_paragraph(f"- Tổng số điểm {name} tự đánh giá: ")
    line.add_run(f"{score_text(total)} điểm").bold = True
    line = document.add_paragraph("- Xếp loại: ")
    line.add_run(f"{classification}.").bold = True
    document.add_paragraph(f"{name} báo cáo {campaign.owner.name} xem xét, tổng hợp./.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def results_xlsx(*, campaign: Campaign, rows: list[ResultRow]) -> bytes:
    """The results table: participant, total, class, rank n/N, change."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả"
    sheet.append([f"{campaign.title} {campaign.period}"])
    sheet["A1"].font = Font(bold=True, size=13)
    header = ["STT", "Đơn vị", "Tổng điểm", "Xếp loại", "Xếp thứ tự", "Năm trước", "Thay đổi"]
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
        ])
        sheet.cell(row=number + 2, column=3).number_format = "0.00"
    for column, width in zip("ABCDEFG", (6, 45, 12, 30, 12, 12, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
