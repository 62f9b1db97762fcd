"""`manage.py play_story seed000`: replay seed 000 on the demo world, step by step."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import load_world
from workflows.story import seed000_play

STORIES = {"seed000": seed000_play}


class Command(BaseCommand):
    help = "Replay an acceptance story on the demo world through the services the UI uses."

    def add_arguments(self, parser):
        parser.add_argument("story", choices=sorted(STORIES))
        parser.add_argument(
            "--signer", default="quyen.vt",
            help="Who signs the reply: quyen.vt (Trưởng Ban) or hung.nv (KT. Trưởng Ban).",
        )

    def handle(self, *args, story, signer, **options):
        if signer not in ("quyen.vt", "hung.nv"):
            raise CommandError("--signer must be quyen.vt or hung.nv")
        with transaction.atomic():
            load_world()
            result = STORIES[story](signer=signer, out=self.stdout.write)
        reply = result.reply
        self.stdout.write(self.style.SUCCESS(f"Số văn bản phát hành: {reply.notation}"))
        answered = result.request.answered_at is not None
        self.stdout.write(
            f"{result.request.notation} của {result.request.agency.name}: "
            + ("đã được trả lời" if answered else "chưa được trả lời")
        )
