"""Seed 000: Ban Dân tộc ranks the four district Phòng Dân tộc; Lục Nam ends “Hoàn thành
nhiệm vụ”, 4/4, and the reply to Huyện ủy Lục Nam's 1719-CV/HU carries that result."""

import io

import docx
import pytest
from django.utils import translation

from evaluations.demo import district_campaign
from evaluations.exports import result_lines, score_text
from evaluations.selectors import campaign_results
from workflows.models import Attachment, Direction, Document
from workflows.story import (
    REPLY_BODY,
    incoming_copy,
    incoming_reach,
    outgoing_reach,
    request_send,
)

pytestmark = pytest.mark.django_db


def test_luc_nam_ends_hoan_thanh_nhiem_vu_4_of_4_and_the_reply_says_so(world):
    previous = district_campaign(period="2022")
    campaign = district_campaign(period="2023", previous=previous)

    rows = {row.submission.agency.code: row for row in campaign_results(campaign=campaign)}
    lucnam = rows["pdt-luc-nam"]
    assert lucnam.classification == "Hoàn thành nhiệm vụ"
    assert f"{lucnam.rank}/{lucnam.count}" == "4/4"
    # The reviewer's lower score of 1.2 counts, not the self-assessed one.
    assert score_text(lucnam.total) == "60"

    with translation.override("en"):  # the document's words are Vietnamese whoever asks
        lines = result_lines(row=lucnam, campaign=campaign)
    assert lines == [
        "Hoàn thành nhiệm vụ.",
        "Xếp thứ tự: 4/4 Phòng Dân tộc cấp huyện trên toàn tỉnh.",
    ]
    # The specialist's reply: the seed's assessment, with section 3 taken from the results.
    assessment, _section3 = REPLY_BODY.split("3. Xếp loại")
    body = assessment + "3. Xếp loại\n" + "\n".join(f"- {line}" for line in lines)
    incoming = incoming_copy(request=request_send())
    incoming_reach(document=incoming, stage="done", say=lambda _line: None)
    reply = Document.objects.get(responds_to=incoming, direction=Direction.OUTGOING)
    outgoing_reach(document=reply, stage="done", say=lambda _line: None, body=body)
    issued = reply.attachments.get(kind=Attachment.Kind.ISSUED)
    with issued.file.open("rb") as handle:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs)
    assert "- Hoàn thành nhiệm vụ." in text
    assert "- Xếp thứ tự: 4/4 Phòng Dân tộc cấp huyện trên toàn tỉnh." in text
