"""Seed 003: a body scores itself on nine criteria (Tiêu chí 1 → 1.1 → 1.1.1 … Tiêu chí 9);
its leaves add up to 94, which is “Hoàn thành xuất sắc”, and the Word report holds every
criterion heading with its score, then the total and the classification."""

import io
from decimal import Decimal

import docx
import pytest

from evaluations.exports import score_text, self_assessment_docx
from evaluations.selectors import criterion_totals, self_classification
from evaluations.services.criteria import CriterionSpec

from .conftest import Builder, fill, in_days

pytestmark = pytest.mark.django_db

# Seed 003's numbering: criterion → its contents (or leaves directly) → leaves.
SHAPE = {
    "1": {"1.1": 2, "1.2": 2}, "2": 2, "3": {"3.1": 4, "3.2": 2}, "4": {"4.1": 2, "4.2": 3},
    "5": {"5.1": 3, "5.2": 2}, "6": {"6.1": 2, "6.2": 2}, "7": 3, "8": {"8.1": 2, "8.2": 2},
    "9": {"9.1": 2, "9.2": 2},
}
POINTS = {"1": 10, "2": 10, "3": 15, "4": 15, "5": 10, "6": 10, "7": 10, "8": 10, "9": 10}
# Where Ban Dân tộc did not score the maximum (e.g. 6.1.2: no dialogue plan in the year).
SHORT_BY = {"2.1": Decimal(2), "6.1.2": Decimal(2), "9.2.1": Decimal(2)}
SCALE = (
    (Decimal(90), "Hoàn thành xuất sắc"), (Decimal(70), "Hoàn thành tốt"),
    (Decimal(50), "Hoàn thành"), (Decimal(0), "Không hoàn thành"),
)


def _split(points: int, codes: list[str]) -> dict[str, Decimal]:
    """The criterion's points shared over its leaves, to the cent, the last taking the rest."""
    share = (Decimal(points) / len(codes)).quantize(Decimal("0.01"))
    maxima = {code: share for code in codes}
    maxima[codes[-1]] = Decimal(points) - share * (len(codes) - 1)
    return maxima


def _tree() -> tuple[tuple[CriterionSpec, ...], dict[str, Decimal]]:
    criteria, maxima = [], {}
    for code, shape in SHAPE.items():
        if isinstance(shape, int):
            groups = {None: [f"{code}.{n}" for n in range(1, shape + 1)]}
        else:
            groups = {
                sub: [f"{sub}.{n}" for n in range(1, count + 1)] for sub, count in shape.items()
            }
        leaves = [leaf for group in groups.values() for leaf in group]
        maxima.update(_split(POINTS[code], leaves))

        def leaf(c):
            return CriterionSpec(code=c, title=f"Nội dung chấm {c}", max_score=maxima[c])

        children = (
            tuple(leaf(c) for c in groups[None]) if None in groups else tuple(
                CriterionSpec(code=sub, title=f"Nội dung {sub[-1]}",
                              children=tuple(leaf(c) for c in group))
                for sub, group in groups.items()
            )
        )
        criteria.append(CriterionSpec(code=code, title=f"Tiêu chí {code}", children=children))
    return tuple(criteria), maxima


def test_leaves_adding_to_94_give_hoan_thanh_xuat_sac_and_the_docx_lists_every_heading(world):
    tree, maxima = _tree()
    builder = Builder(world.user("giamdoc.snv"), bands=SCALE)
    campaign = builder.campaign(
        agencies=[world.agency("bdt-bac-giang")], tree=tree, deadline=in_days(5),
        title="Chấm điểm công tác dân vận chính quyền", period="2020",
        request=_request(),
    )
    submission = campaign.submissions.get()
    fill(submission, world.user("ha.nt"),
         {code: maximum - SHORT_BY.get(code, 0) for code, maximum in maxima.items()})

    total, classification = self_classification(submission=submission)
    assert (score_text(total), classification) == ("94", "Hoàn thành xuất sắc")

    paragraphs = [p.text for p in docx.Document(
        io.BytesIO(self_assessment_docx(submission=submission))).paragraphs]
    headings = [f"{node.code}. {node.title}: {score_text(node.total)} điểm"
                for node in criterion_totals(submission=submission)]
    assert len(headings) == 9 + 14 + 37
    assert [p for p in paragraphs if p in headings] == headings
    assert "1. Tiêu chí 1: 10 điểm" in paragraphs
    assert "6.1. Nội dung 1: 3 điểm" in paragraphs  # 2,5 + 0,5: computed, never typed
    assert "- Tổng số điểm Ban Dân tộc tỉnh Bắc Giang tự đánh giá: 94 điểm" in paragraphs
    assert "- Xếp loại: Hoàn thành xuất sắc." in paragraphs


def _request():
    from workflows.story import request_send

    return request_send(
        number=2065, clerk="vanthu.snv", to=("bdt-bac-giang",),
        summary="V/v triển khai thực hiện chấm điểm công tác dân vận chính quyền năm 2020",
    )
