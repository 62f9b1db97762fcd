"""The demo world: the agencies and people of the seeds' 2023 story (seeds/000).

`load_world` is the first of the `DEMO_LOADERS` that `manage.py load_demo` runs and what the
`world` test fixture loads. It is idempotent: agencies are keyed by code, units by (agency,
symbol), people by username, so running it twice changes no count.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Agency, Role, Unit, User
from .services import unit_set_head, user_sync_groups

PASSWORD = "lienthong2023"
EMAIL_DOMAIN = "demo.lienthong.vn"


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    role: str
    title: str = ""
    fields_in_charge: str = ""


@dataclass(frozen=True)
class DemoUnit:
    symbol: str
    name: str
    members: tuple[Person, ...] = ()
    head: Person | None = None


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    symbol: str
    header_name: str
    parent_line: str
    place_name: str
    kind: str = Agency.Kind.STATE
    parent_code: str = ""
    people: tuple[Person, ...] = ()
    units: tuple[DemoUnit, ...] = field(default=())


def _district_office(code: str, place: str, login: str, head: str, clerk: str) -> DemoAgency:
    """A district Phòng Dân tộc: one head and one clerk (seed 000 ranks four of them)."""
    return DemoAgency(
        code=code,
        name=f"Phòng Dân tộc huyện {place}",
        symbol="PDT",
        header_name="PHÒNG DÂN TỘC",
        parent_line=f"UBND HUYỆN {place.upper()}",
        place_name=place,
        people=(
            Person(f"truongphong.{login}", head, Role.HEAD, "TRƯỞNG PHÒNG"),
            Person(f"vanthu.{login}", clerk, Role.CLERK),
        ),
    )


WORLD = (
    DemoAgency(
        code="bdt-bac-giang",
        name="Ban Dân tộc tỉnh Bắc Giang",
        symbol="BDT",
        header_name="BAN DÂN TỘC",
        parent_line="UBND TỈNH BẮC GIANG",
        place_name="Bắc Giang",
        parent_code="ubnd-bac-giang",
        people=(
            Person("quyen.vt", "Vi Thanh Quyên", Role.HEAD, "TRƯỞNG BAN"),
            Person(
                "hung.nv", "Nguyễn Văn Hùng", Role.DEPUTY, "PHÓ TRƯỞNG BAN",
                fields_in_charge="Chính sách dân tộc; thanh tra; thi đua, khen thưởng",
            ),
        ),
        units=(
            DemoUnit(
                "HCTH", "Hành chính – Tổng hợp",
                head=Person("lan.tt", "Trần Thị Lan", Role.UNIT_HEAD, "CHÁNH VĂN PHÒNG"),
                members=(
                    Person("tuan.nq", "Nguyễn Quốc Tuấn", Role.SPECIALIST),
                    Person("mai.ht", "Hoàng Thị Mai", Role.CLERK),
                ),
            ),
            DemoUnit(
                "CSDT", "Phòng Chính sách dân tộc",
                head=Person("minh.lv", "Lê Văn Minh", Role.UNIT_HEAD, "TRƯỞNG PHÒNG"),
                members=(
                    Person("ha.nt", "Nguyễn Thị Hà", Role.SPECIALIST),
                    Person("duc.pv", "Phạm Văn Đức", Role.SPECIALIST),
                ),
            ),
            DemoUnit(
                "TTr", "Thanh tra Ban",
                head=Person("thanh.dv", "Đỗ Văn Thành", Role.UNIT_HEAD, "CHÁNH THANH TRA"),
                members=(Person("hoa.lt", "Lương Thị Hoa", Role.SPECIALIST),),
            ),
        ),
    ),
    DemoAgency(
        code="hu-luc-nam",
        name="Huyện ủy Lục Nam",
        symbol="HU",
        header_name="HUYỆN ỦY LỤC NAM",
        parent_line="ĐẢNG BỘ TỈNH BẮC GIANG",
        place_name="Lục Nam",
        kind=Agency.Kind.PARTY,
        people=(Person("son.bt", "Bùi Thanh Sơn", Role.HEAD, "BÍ THƯ"),),
        units=(
            DemoUnit(
                "VP", "Văn phòng Huyện ủy",
                members=(
                    Person("vanthu.hu", "Nguyễn Thị Yến", Role.CLERK),
                    Person("khoa.tv", "Trần Văn Khoa", Role.SPECIALIST),
                ),
            ),
        ),
    ),
    DemoAgency(
        code="snv-bac-giang",
        name="Sở Nội vụ tỉnh Bắc Giang",
        symbol="SNV",
        header_name="SỞ NỘI VỤ",
        parent_line="UBND TỈNH BẮC GIANG",
        place_name="Bắc Giang",
        parent_code="ubnd-bac-giang",
        people=(
            Person("giamdoc.snv", "Ngô Đức Thắng", Role.HEAD, "GIÁM ĐỐC"),
            Person("vanthu.snv", "Phạm Thị Thu", Role.CLERK),
        ),
    ),
    DemoAgency(
        code="ubnd-bac-giang",
        name="UBND tỉnh Bắc Giang",
        symbol="UBND",
        header_name="ỦY BAN NHÂN DÂN TỈNH BẮC GIANG",
        parent_line="",
        place_name="Bắc Giang",
        people=(
            Person("chutich.ubnd", "Đặng Quang Vinh", Role.HEAD, "CHỦ TỊCH"),
            Person("vanthu.ubnd", "Vũ Thị Ngọc", Role.CLERK),
        ),
    ),
    _district_office("pdt-luc-nam", "Lục Nam", "lucnam", "Hoàng Văn Thái", "Nguyễn Thị Hằng"),
    _district_office("pdt-son-dong", "Sơn Động", "sondong", "Lâm Văn Hải", "Đinh Thị Phương"),
    _district_office("pdt-luc-ngan", "Lục Ngạn", "lucngan", "Triệu Văn Bằng", "Lý Thị Nga"),
    _district_office("pdt-yen-the", "Yên Thế", "yenthe", "Ngô Văn Tiến", "Dương Thị Hạnh"),
)


def demo_logins() -> list[tuple[Person, DemoAgency, DemoUnit | None]]:
    """Every demo person with their agency and unit, in the order the world lists them."""
    rows = []
    for agency in WORLD:
        rows.extend((person, agency, None) for person in agency.people)
        for unit in agency.units:
            heads = (unit.head,) if unit.head else ()
            rows.extend((person, agency, unit) for person in (*heads, *unit.members))
    return rows


@transaction.atomic
def load_world(stdout=None) -> None:
    """Create or update the demo agencies, units and people and their permission groups."""
    # One hash for every demo account: hashing 30 times would take seconds per load.
    password_hash = None
    agencies = {}
    for spec in WORLD:
        agency, _created = Agency.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "symbol": spec.symbol,
                "header_name": spec.header_name,
                "parent_line": spec.parent_line,
                "place_name": spec.place_name,
                "kind": spec.kind,
                "email": f"{spec.code}@{EMAIL_DOMAIN}",
                "is_active": True,
                "merged_into": None,
            },
        )
        agencies[spec.code] = agency
    # Parents second: the world lists agencies in the order a reader meets them.
    for spec in WORLD:
        agency = agencies[spec.code]
        parent = agencies.get(spec.parent_code)
        if agency.parent_id != (parent.pk if parent else None):
            agency.parent = parent
            agency.save(update_fields=["parent"])

    units = {}
    for spec in WORLD:
        for unit_spec in spec.units:
            units[spec.code, unit_spec.symbol], _created = Unit.objects.update_or_create(
                agency=agencies[spec.code], symbol=unit_spec.symbol,
                defaults={"name": unit_spec.name, "is_active": True},
            )

    people = []
    for person, agency_spec, unit_spec in demo_logins():
        agency = agencies[agency_spec.code]
        unit = units[agency.code, unit_spec.symbol] if unit_spec else None
        user, _created = User.objects.update_or_create(
            username=person.username,
            defaults={
                "full_name": person.full_name,
                "email": f"{person.username}@{EMAIL_DOMAIN}",
                "agency": agency,
                "unit": unit,
                "role": person.role,
                "title": person.title,
                "fields_in_charge": person.fields_in_charge,
                "is_active": True,
            },
        )
        # A password someone changed in the demo is left alone; new accounts get the demo one.
        if not user.password or not user.has_usable_password():
            password_hash = password_hash or make_password(PASSWORD)
            user.password = password_hash
            user.save(update_fields=["password"])
        if unit_spec is not None and unit_spec.head == person:
            unit_set_head(unit=unit, head=user)  # also syncs the head's groups
        else:
            user_sync_groups(user=user)
        people.append(user)

    if stdout is not None:
        stdout.write(
            f"Demo world: {len(agencies)} agencies, {len(units)} units, {len(people)} people.\n"
        )
