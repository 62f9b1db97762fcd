"""Full-text search over many documents with the text of their files (issue 12).

One agency holds `profile.search_documents` documents: a number and symbol, a summary drawn
from the phrases of real công văn, a body, and several paragraphs standing for the text
extracted from an attached DOCX or PDF (about 3 KB a document). Rows are written at COPY
speed with their normalised search columns, as `Document.save` and the extraction task
would write them; PostgreSQL computes the weighted tsvector column itself. Each query of
QUERIES (rare and common words, a phrase with đ, a fragment of a number and symbol) is then
asked of `GET /api/v1/documents/?q=` by the agency's clerk, logged in, and timed.
"""

from __future__ import annotations

import random
import time

from django.test.client import Client

from .harness import (
    Measure,
    Profile,
    QueryCounter,
    RowTemplate,
    analyze,
    log,
    percentile,
    scratch_database,
    stopwatch,
)

GOAL_P95_MS = ("<=", 150)
WARM_UP = 2
REPEATS = 5
QUERIES = (
    "1719", "19-CV", "luc nam", "LỤC NAM", "danh gia xep loai", "Đánh giá, xếp loại",
    "ke hoach", "bao cao so lieu", "thuy loi cam ly", "chuong trinh muc tieu quoc gia",
    "dong bao dan toc thieu so", "xyzzy khong co",
)
TOPICS = (
    "V/v xin ý kiến đánh giá, xếp loại Phòng Dân tộc huyện {place} năm {year}",
    "Kế hoạch triển khai Chương trình mục tiêu quốc gia vùng đồng bào dân tộc thiểu số {year}",
    "Báo cáo số liệu giải ngân dự án hỗ trợ đất ở, nhà ở huyện {place}",
    "V/v đôn đốc nộp báo cáo sơ kết công tác dân tộc {year}",
    "Quyết định phê duyệt danh sách người có uy tín huyện {place}",
    "V/v tổ chức hội nghị giao ban công tác dân tộc quý {quarter}",
    "Kế hoạch kiểm tra công trình thủy lợi xã {place}",
)
PLACES = ("Lục Nam", "Sơn Động", "Lục Ngạn", "Yên Thế", "Cẩm Lý", "Đồng Cốc", "Tân Sơn")
PARAGRAPHS = (
    "Căn cứ chức năng, nhiệm vụ; sau khi xem xét tập thể Lãnh đạo Ban thống nhất nhận xét, "
    "đánh giá chất lượng hoạt động, công tác năm {year}.",
    "Tiến độ thực hiện và tỷ lệ giải ngân một số dự án thuộc Chương trình MTQG phát triển "
    "kinh tế - xã hội vùng đồng bào dân tộc thiểu số còn chậm so với yêu cầu.",
    "Đề nghị các đơn vị quan tâm, chỉ đạo, kiểm tra, giám sát kết quả tổ chức, triển khai "
    "thực hiện công tác dân tộc, chính sách dân tộc trên địa bàn huyện {place}.",
    "Nhìn chung, các phòng thực hiện tốt công tác phối hợp, tham gia đầy đủ các cuộc họp, "
    "giao ban, hội nghị; chất lượng chuyên môn còn hạn chế ở một số nội dung.",
    "Tổng hợp số liệu hộ nghèo, hộ cận nghèo, nhu cầu hỗ trợ nhà ở, đất sản xuất và nước "
    "sinh hoạt phân tán của xã {place}, mã hồ sơ {code}.",
)


def _template(*, agency_id: int, type_id: int) -> RowTemplate:
    from django.utils import timezone

    from workflows.models import Direction, Document

    now = timezone.now()
    return RowTemplate(
        Document, agency_id=agency_id, document_type_id=type_id, direction=Direction.INCOMING,
        status=Document.Status.REGISTERED, summary="", created_at=now, updated_at=now,
    )


def _documents(*, template: RowTemplate, count: int, seed: int = 12):
    """Rows of the Document table with their normalised search columns filled."""
    from workflows.services.search import search_normalise

    rng = random.Random(seed)
    for index in range(count):
        place, year = rng.choice(PLACES), rng.choice((2022, 2023, 2024))
        values = {"place": place, "year": year, "quarter": rng.randint(1, 4),
                  "code": f"HS{rng.randint(1000, 99999)}"}
        number = 1 + index % 3000
        notation = f"{number}-CV/HU" if index % 4 == 0 else f"{number}/BDT-HCTH"
        summary = rng.choice(TOPICS).format(**values)
        body = " ".join(rng.choice(PARAGRAPHS).format(**values) for _ in range(3))
        files = "\n".join(rng.choice(PARAGRAPHS).format(**values) for _ in range(14))
        sender = f"Huyện ủy {place}"
        yield template.row(
            notation=notation, number=number, summary=summary, body=body, sender_name=sender,
            search_head=search_normalise(f"{notation} {summary} {sender}"),
            search_body=search_normalise(body), search_files=search_normalise(files),
        )


def _search_measure(client: Client, query: str) -> dict:
    url = "/api/v1/documents/"
    for _ in range(WARM_UP):
        answer = client.get(url, {"q": query})
        if answer.status_code != 200:
            raise RuntimeError(f"{url}?q={query} answered {answer.status_code}")
    with QueryCounter() as counted:
        answer = client.get(url, {"q": query})
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url, {"q": query})
        samples.append((time.perf_counter() - started) * 1000)
    return {"found": answer.json()["count"], "queries": counted.count, "samples": samples}


def run(profile: Profile):
    """Yield the search measure: p95 over every query's repeats, and the per-query figures."""
    from accounts.models import Agency, User
    from workflows.models import DocumentType

    with scratch_database("search"):
        agency = Agency.objects.create(
            code="bench-search", name="Ban Dân tộc thử", header_name="BAN DÂN TỘC",
            parent_line="UBND TỈNH BẮC GIANG", symbol="BDT", place_name="Bắc Giang",
            email="bdt@bench.lienthong.vn",
        )
        clerk = User.objects.create_superuser(
            "bench.search", "bench.search@bench.lienthong.vn", "x", agency=agency
        )
        type_id = DocumentType.objects.values_list("pk", flat=True).first()
        with stopwatch() as took:
            template = _template(agency_id=agency.pk, type_id=type_id)
            written = template.insert(
                _documents(template=template, count=profile.search_documents)
            )
            analyze()
        log(f"search: {written} documents with their files' text written in {took[0]:.1f} s")
        client = Client()
        client.force_login(clerk)
        results = {query: _search_measure(client, query) for query in QUERIES}
        for query, result in results.items():
            log(f"search: {query!r}: {result['found']} found, "
                f"p50 {percentile(result['samples'], 50):.1f} ms")

    samples = [sample for result in results.values() for sample in result["samples"]]
    yield Measure(
        "search.p95", percentile(samples, 95), "ms",
        params={"documents": profile.search_documents, "queries": len(QUERIES),
                "repeats": REPEATS, "profile": profile.name},
        goal=GOAL_P95_MS,
        extra={
            "p50": round(percentile(samples, 50), 1),
            "per_query": {
                query: {"found": result["found"], "queries": result["queries"],
                        "p95_ms": round(percentile(result["samples"], 95), 1)}
                for query, result in results.items()
            },
        },
    )
