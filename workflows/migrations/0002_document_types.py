"""Seed the document types of Decree 30/2020/NĐ-CP Appendix III (editable in the admin)."""

from django.db import migrations

# (code, name, abbreviation, abbreviation for Party bodies); công văn has no abbreviation in
# Appendix III, and Party bodies write it "CV" (1719-CV/HU).
DOCUMENT_TYPES = [
    ("cong-van", "Công văn", "", "CV"),
    ("nghi-quyet", "Nghị quyết", "NQ", ""),
    ("quyet-dinh", "Quyết định", "QĐ", ""),
    ("chi-thi", "Chỉ thị", "CT", ""),
    ("quy-che", "Quy chế", "QC", ""),
    ("quy-dinh", "Quy định", "QyĐ", ""),
    ("thong-cao", "Thông cáo", "TC", ""),
    ("thong-bao", "Thông báo", "TB", ""),
    ("huong-dan", "Hướng dẫn", "HD", ""),
    ("chuong-trinh", "Chương trình", "CTr", ""),
    ("ke-hoach", "Kế hoạch", "KH", ""),
    ("phuong-an", "Phương án", "PA", ""),
    ("de-an", "Đề án", "ĐA", ""),
    ("du-an", "Dự án", "DA", ""),
    ("bao-cao", "Báo cáo", "BC", ""),
    ("bien-ban", "Biên bản", "BB", ""),
    ("to-trinh", "Tờ trình", "TTr", ""),
    ("hop-dong", "Hợp đồng", "HĐ", ""),
    ("cong-dien", "Công điện", "CĐ", ""),
    ("ban-ghi-nho", "Bản ghi nhớ", "BGN", ""),
    ("ban-thoa-thuan", "Bản thỏa thuận", "BTT", ""),
    ("giay-uy-quyen", "Giấy ủy quyền", "GUQ", ""),
    ("giay-moi", "Giấy mời", "GM", ""),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GGT", ""),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GNP", ""),
    ("phieu-gui", "Phiếu gửi", "PG", ""),
    ("phieu-chuyen", "Phiếu chuyển", "PC", ""),
    ("phieu-bao", "Phiếu báo", "PB", ""),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("workflows", "DocumentType")
    for order, (code, name, abbreviation, party_abbreviation) in enumerate(DOCUMENT_TYPES):
        DocumentType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "abbreviation": abbreviation,
                "party_abbreviation": party_abbreviation,
                "sort_order": (order + 1) * 10,
            },
        )


def unseed(apps, schema_editor):
    DocumentType = apps.get_model("workflows", "DocumentType")
    DocumentType.objects.filter(
        code__in=[code for code, *_ in DOCUMENT_TYPES], document__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
