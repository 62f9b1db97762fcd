"""Demo evaluation campaigns, loaded by `manage.py load_demo` (one of the DEMO_LOADERS).

- Open: Sở Nội vụ tỉnh Bắc Giang asks Ban Dân tộc to score itself on the “dân vận chính
  quyền” criteria of seed 003 (nine criteria, 20 leaves). Its công văn, signed on paper and
  sent by SNV's clerk, is registered at Ban Dân tộc, directed to CSDT and handed to Nguyễn
  Thị Hà (ha.nt), who fills in the self-assessment; submitting it starts the BÁO CÁO reply.
- Published: Ban Dân tộc's 2023 ranking of the four district Phòng Dân tộc (seed 000), and
  the 2022 one it compares with: Lục Nam ends “Hoàn thành nhiệm vụ”, 4/4.
Everything goes through the services the pages use; a campaign is keyed by its owner, title
and period, so a second run adds nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Role, User
from accounts.selectors import scope_to_agency
from workflows.story import incoming_copy, incoming_reach, request_send

from .models import Campaign, CampaignCriterion, ClassificationScale
from .services.campaigns import (
    campaign_approve,
    campaign_create,
    campaign_open,
    campaign_publish,
)
from .services.criteria import CriterionSpec, scale_create, template_create
from .services.scores import ScoreInput, review_save, self_assessment_save, submission_submit

BDT, SNV = "bdt-bac-giang", "snv-bac-giang"
DISTRICTS = ("pdt-luc-nam", "pdt-son-dong", "pdt-luc-ngan", "pdt-yen-the")
BANDS = (
    (Decimal(90), "Hoàn thành xuất sắc nhiệm vụ"),
    (Decimal(70), "Hoàn thành tốt nhiệm vụ"),
    (Decimal(50), "Hoàn thành nhiệm vụ"),
    (Decimal(0), "Không hoàn thành nhiệm vụ"),
)


def _leaf(code: str, title: str, max_score: str, **extra) -> CriterionSpec:
    return CriterionSpec(code=code, title=title, max_score=Decimal(max_score), **extra)


def _criterion(code: str, title: str, *children: CriterionSpec) -> CriterionSpec:
    return CriterionSpec(code=code, title=title, children=children)


# Seed 003's criteria (Tiêu chí 1 → Nội dung 1.1 → 1.1.1), shortened to 20 leaves.
DAN_VAN = (
    _criterion(
        "1", "Tiêu chí 1: Ban hành văn bản lãnh đạo, chỉ đạo",
        _leaf("1.1", "Ban hành kế hoạch thực hiện công tác dân vận hằng năm", "6",
              evidence_required=True, guidance="Ghi số, ngày của kế hoạch."),
        _leaf("1.2", "Xây dựng Quy chế công tác dân vận; phân công lãnh đạo phụ trách", "4"),
    ),
    _criterion(
        "2", "Tiêu chí 2: Tham mưu văn bản liên quan quyền, lợi ích của nhân dân",
        _leaf("2.1", "Kịp thời tham mưu các văn bản liên quan quyền, lợi ích, nguyện vọng của "
                     "nhân dân", "5"),
        _leaf("2.2", "Rà soát sửa đổi, bổ sung kịp thời các văn bản liên quan", "5"),
    ),
    _criterion(
        "3", "Tiêu chí 3: Thực hiện nhiệm vụ chính trị",
        _criterion(
            "3.1", "Nội dung 1",
            _leaf("3.1.1", "Lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị hằng năm", "5"),
            _leaf("3.1.2", "Quản lý, sử dụng công khai tài chính cơ quan", "5"),
            _leaf("3.1.3", "Phòng, chống tham nhũng, lãng phí; kê khai tài sản, thu nhập", "5"),
        ),
        _leaf("3.2", "Chương trình, hành động giúp các xã đặc biệt khó khăn", "5"),
    ),
    _criterion(
        "4", "Tiêu chí 4: Cải cách hành chính",
        _leaf("4.1", "Ban hành và hoàn thành kế hoạch cải cách hành chính", "8"),
        _leaf("4.2", "Công khai số điện thoại, đường dây nóng; Đề án vị trí việc làm", "7"),
    ),
    _criterion(
        "5", "Tiêu chí 5: Thực hiện Quy chế dân chủ ở cơ sở",
        _leaf("5.1", "Tổ chức Hội nghị cán bộ, công chức, viên chức", "5"),
        _leaf("5.2", "Xây dựng Quy chế thực hiện dân chủ; phân công phụ trách", "5"),
    ),
    _criterion(
        "6", "Tiêu chí 6: Tiếp công dân, đối thoại với nhân dân",
        _leaf("6.1", "Lịch tiếp công dân; kế hoạch đối thoại trực tiếp với nhân dân", "5"),
        _leaf("6.2", "Giải quyết dứt điểm, không để khiếu kiện đông người", "5"),
    ),
    _criterion(
        "7", "Tiêu chí 7: Phối hợp với Mặt trận Tổ quốc và các đoàn thể",
        _leaf("7.1", "Quy chế phối hợp; bảo đảm kinh phí, điều kiện hoạt động", "5"),
        _leaf("7.2", "Lịch làm việc định kỳ với Mặt trận Tổ quốc và các đoàn thể", "2"),
    ),
    _criterion(
        "8", "Tiêu chí 8: Văn hóa công sở, đạo đức công vụ",
        _leaf("8.1", "Quy chế văn hóa công sở, quy tắc ứng xử", "5"),
        _leaf("8.2", "Không vi phạm uống rượu, bia trong giờ hành chính, luật giao thông", "5"),
    ),
    _criterion(
        "9", "Tiêu chí 9: Phong trào thi đua “Dân vận khéo”",
        _leaf("9.1", "Kế hoạch phát động phong trào; hoạt động giúp đỡ nhân dân", "5"),
        _leaf("9.2", "Xây dựng, nhân rộng mô hình, điển hình “Dân vận khéo”", "3"),
    ),
)

# Seed 000's ranking of the district Phòng Dân tộc.
DISTRICT_CRITERIA = (
    _criterion(
        "1", "Thực hiện nhiệm vụ chuyên môn",
        _leaf("1.1", "Thực hiện các văn bản chỉ đạo, hướng dẫn chuyên môn, nghiệp vụ", "30"),
        _leaf("1.2", "Chất lượng, thời hạn báo cáo, số liệu", "20"),
        _leaf("1.3", "Tiến độ giải ngân Chương trình MTQG vùng đồng bào DTTS", "10"),
    ),
    _criterion(
        "2", "Công tác phối hợp",
        _leaf("2.1", "Phối hợp với các phòng, đơn vị chuyên môn thuộc Ban", "20"),
        _leaf("2.2", "Tham gia họp, giao ban, hội nghị do Ban tổ chức", "20"),
    ),
)
DISTRICT_SCORES = {
    "2022": {
        "pdt-luc-nam": ("25", "15", "7", "16", "17"),     # 80
        "pdt-son-dong": ("26", "16", "8", "17", "18"),    # 85
        "pdt-luc-ngan": ("20", "12", "6", "14", "15"),    # 67
        "pdt-yen-the": ("28", "18", "9", "18", "19"),     # 92
    },
    "2023": {
        "pdt-luc-nam": ("20", "8", "4", "14", "16"),      # 62
        "pdt-son-dong": ("25", "15", "8", "16", "16"),    # 80
        "pdt-luc-ngan": ("28", "18", "9", "17", "18"),    # 90
        "pdt-yen-the": ("24", "14", "6", "15", "15"),     # 74
    },
}
DISTRICT_TITLE = "Đánh giá, xếp loại cơ quan ngành dọc cấp huyện"
DISTRICT_LABEL = "Phòng Dân tộc cấp huyện trên toàn tỉnh"
# The reviewer lowers one leaf of Lục Nam in 2023 (seed 000: reports late and incomplete).
REVIEW = ("pdt-luc-nam", "1.2", "6", "Báo cáo chậm, số liệu không đầy đủ; phải nhắc nhiều lần.")


def _person(username: str) -> User:
    return User.objects.select_related("agency", "unit").get(username=username)


def _scale(user: User) -> ClassificationScale:
    name = "Thang xếp loại bốn mức"
    return scope_to_agency(ClassificationScale.objects.filter(name=name), user=user).first() or (
        scale_create(user=user, agency=user.agency, name=name, bands=BANDS)
    )


def _fill(submission, user: User, values: dict[str, str], explanation: str) -> None:
    ids = dict(CampaignCriterion.objects.filter(
        campaign=submission.campaign, is_leaf=True).values_list("code", "pk"))
    self_assessment_save(user=user, submission=submission, entries=[
        ScoreInput(criterion_id=ids[code], value=value, explanation=explanation)
        for code, value in values.items()
    ])


def district_campaign(*, period: str, previous: Campaign | None = None) -> Campaign:
    """Ban Dân tộc's ranking of the four district offices for `period`, scored, reviewed,
    approved and published (seed 000)."""
    drafter, head = _person("tuan.nq"), _person("quyen.vt")
    template = template_create(
        user=drafter, agency=drafter.agency, name=f"Tiêu chí đánh giá Phòng Dân tộc {period}",
        criteria=DISTRICT_CRITERIA,
    )
    districts = list(Agency.objects.filter(code__in=DISTRICTS).order_by("name"))
    request = request_send(
        number=None, clerk="mai.ht", to=DISTRICTS, issued_on=timezone.localdate(),
        summary=f"V/v tự đánh giá, xếp loại Phòng Dân tộc cấp huyện năm {period}",
    )
    campaign = campaign_create(
        user=drafter, title=DISTRICT_TITLE, period=period, scale=_scale(drafter),
        deadline=timezone.now() + datetime.timedelta(days=15), template=template,
        agencies=districts, previous=previous, participant_label=DISTRICT_LABEL,
    )
    campaign = campaign_open(user=drafter, campaign=campaign, request=request)
    codes = [code for code, _pk in sorted(
        CampaignCriterion.objects.filter(campaign=campaign, is_leaf=True).values_list("code", "pk")
    )]
    for submission in campaign.submissions.select_related("agency"):
        office_head = User.objects.get(agency=submission.agency, role=Role.HEAD)
        values = dict(zip(codes, DISTRICT_SCORES[period][submission.agency.code], strict=True))
        _fill(submission, office_head, values, "Đã thực hiện theo hướng dẫn của Ban Dân tộc.")
        submission_submit(user=office_head, submission=submission)
    if period == "2023":
        code, leaf, value, reason = REVIEW
        submission = campaign.submissions.get(agency__code=code)
        ids = dict(campaign.criteria.values_list("code", "pk"))
        review_save(user=drafter, submission=submission, entries=[
            ScoreInput(criterion_id=ids[leaf], value=value, explanation=reason)])
    campaign_approve(user=head, campaign=campaign)
    return campaign_publish(user=head, campaign=campaign)


def dan_van_campaign() -> Campaign:
    """Sở Nội vụ's open campaign over Ban Dân tộc; ha.nt holds the request's handling."""
    head = _person("giamdoc.snv")
    template = template_create(
        user=head, agency=head.agency, name="Chấm điểm công tác dân vận chính quyền",
        criteria=DAN_VAN,
    )
    request = request_send(
        number=None, clerk="vanthu.snv", to=(BDT,), issued_on=timezone.localdate(),
        summary="V/v triển khai chấm điểm công tác dân vận chính quyền năm 2023",
    )
    campaign = campaign_create(
        user=head, title="Chấm điểm công tác dân vận chính quyền", period="2023",
        scale=_scale(head), deadline=timezone.now() + datetime.timedelta(days=20),
        template=template, agencies=[Agency.objects.get(code=BDT)],
    )
    campaign = campaign_open(user=head, campaign=campaign, request=request)
    incoming_reach(
        document=incoming_copy(request=request), stage="handle", say=lambda _line: None,
        lead_unit="CSDT", handler="ha.nt",
        instruction="Giao Phòng Chính sách dân tộc tự chấm điểm, báo cáo Sở Nội vụ.",
    )
    return campaign


@transaction.atomic
def load(stdout=None) -> None:
    """Create the demo campaigns, once."""
    made = []
    owned = Campaign.objects.filter
    if not owned(owner__code=BDT, title=DISTRICT_TITLE).exists():
        previous = district_campaign(period="2022")
        made.append(district_campaign(period="2023", previous=previous))
    if not owned(owner__code=SNV).exists():
        made.append(dan_van_campaign())
    if stdout is not None:
        for campaign in made:
            stdout.write(f"  {campaign.owner.symbol}: {campaign} → {campaign.get_status_display()}")
        stdout.write(f"Đợt đánh giá: {Campaign.objects.count()}")
