"""`manage.py workdays 2027-02-03 +5` / `workdays 2027-02-03 2027-02-20`: check the calendar."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from workcalendar.services import WorkCalendar


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: {text!r} (cần dạng YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "START +N (or -N): print the date N working days after START (START not counted), "
        "in ISO format. START END: print the number of working days d with "
        "START < d <= END (START excluded, END included; negative if END is earlier)."
    )

    def add_arguments(self, parser):
        parser.add_argument("start", help="YYYY-MM-DD")
        parser.add_argument("target", help="+N / -N working days, or an end date YYYY-MM-DD")

    def handle(self, *, start, target, **options):
        calendar = WorkCalendar()
        start_day = _date(start)
        if target[:1] in ("+", "-") and target[1:].isdigit():
            self.stdout.write(calendar.add_working_days(start_day, int(target)).isoformat())
        else:
            self.stdout.write(str(calendar.working_days_between(start_day, _date(target))))
