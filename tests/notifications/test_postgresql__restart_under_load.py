"""PostgreSQL restarted under load: gunicorn and the Celery worker carry on without being
restarted (persistent connections are health-checked), and no request loses data silently:
every send answered with success is in the database and its e-mails go out; a send caught
by the restart is answered with an error the person sees, and a send whose document was
stored is never answered with an error (config/sessions.py: the session saved after the
view no longer turns a lost connection into a 400).

Everything is private to the test, on loopback: a PostgreSQL cluster (a copy of the test
database), a redis-server, an SMTP server, gunicorn and a Celery worker.
"""

import re
import subprocess
import sys
import threading

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from notifications.tasks import sweep
from tests.net import (
    PostgresServer,
    RedisServer,
    celery_worker_start,
    free_port,
    fresh_broker_connections,
    process_stop,
    shared_test_database_url,
    wait_for,
    worker_environment,
)
from workflows.models import DocumentType
from workflows.story import pdf_page

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


@pytest.fixture
def private_postgres(world):
    """A private cluster holding a copy of the test database with the demo world."""
    if not PostgresServer.available() or not RedisServer.available():
        pytest.skip("initdb, pg_ctl, psql, pg_dump and redis-server are needed: runs once the "
                    "postgresql and redis-server packages are installed (CI has both)")
    server = PostgresServer()
    server.start()
    server.copy_database(source_url=shared_test_database_url(), name="lienthong")
    # The tests hash passwords with MD5, which gunicorn's settings do not accept.
    password = PBKDF2PasswordHasher().encode("lienthong2023", "restart-salt")
    server.sql("lienthong", f"UPDATE accounts_user SET password = '{password}' "
                            "WHERE username = 'vanthu.hu'")
    yield server
    server.stop()


class Clerk:
    """vanthu.hu at her browser: logs in, sends paper-signed documents to Ban Dân tộc."""

    def __init__(self, base: str, form: dict):
        self.base, self.form = base, form
        self.session = requests.Session()

    def _token(self, path: str) -> str:
        page = self.session.get(self.base + path, timeout=10).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self) -> None:
        token = self._token("/accounts/login/")
        response = self.session.post(
            self.base + "/accounts/login/", timeout=10, allow_redirects=False,
            data={"csrfmiddlewaretoken": token, "username": "vanthu.hu",
                  "password": "lienthong2023"},
        )
        assert response.status_code == 302, response.text

    def send(self, summary: str) -> int:
        """Send one document; the HTTP status, or 0 when no answer came."""
        try:
            token = self._token("/documents/send-signed/")
            response = self.session.post(
                self.base + "/documents/send-signed/", timeout=20, allow_redirects=False,
                data={**self.form, "summary": summary, "csrfmiddlewaretoken": token},
                files={"file": ("scan.pdf", pdf_page("Cong van HU"), "application/pdf")},
            )
        except (requests.RequestException, AttributeError):  # no page, or an error page
            return 0
        return response.status_code


def test_web_and_worker_recover_from_a_postgresql_restart_and_lose_no_send(
    private_postgres, smtp_server, world, tmp_path, settings
):
    redis = RedisServer()
    redis.start()
    env = worker_environment(
        redis_url=redis.url(), smtp_port=smtp_server.port, var_dir=tmp_path,
        DATABASE_URL=private_postgres.url("lienthong"), CONN_MAX_AGE="60",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    port = free_port()
    web_log = open(tmp_path / "web.log", "w")  # noqa: SIM115 (closed below)
    worker_log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 (closed below)
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4"],
        cwd=settings.BASE_DIR, env=env, stdout=web_log, stderr=subprocess.STDOUT,
    )
    worker = celery_worker_start(env=env, log=worker_log)
    form = {
        "document_type": DocumentType.objects.get(code="cong-van").pk,
        "issued_on": "15/11/2023",
        "signer_name": "Bùi Thanh Sơn", "signer_title": "BÍ THƯ",
        "recipient_agencies": world.agency("bdt-bac-giang").pk,
        "drafting_unit": world.unit("hu-luc-nam", "VP").pk,
        "urgency": "normal", "confidentiality": "normal",
    }
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: _answers(base), 30), (tmp_path / "web.log").read_text()
        clerk = Clerk(base, form)
        clerk.log_in()
        answers = {}
        stop = threading.Event()

        def keep_sending():
            number = 0
            while not stop.is_set():
                number += 1
                summary = f"V/v báo cáo số {number} trong lúc khởi động lại"
                answers[summary] = clerk.send(summary)

        sender = threading.Thread(target=keep_sending)
        sender.start()
        assert wait_for(lambda: len(answers) >= 2, 30)
        private_postgres.restart()
        # Recovered: the last two sends, begun after the restart, succeeded (the one in flight
        # when it returned is skipped; those before prove nothing).
        restarted = len(answers) + 1
        assert wait_for(lambda: list(answers.values())[restarted:][-2:] == [302, 302], 30), (
            answers)
        stop.set()
        sender.join(30)
        assert not sender.is_alive(), answers

        # Every send answered with success is in the database; none is there unanswered.
        succeeded = {summary for summary, status in answers.items() if status == 302}
        stored = private_postgres.sql("lienthong", "SELECT summary FROM workflows_document "
                                      "WHERE direction = 'outgoing' "
                                      "AND summary LIKE 'V/v báo cáo số %'")
        assert set(stored.splitlines()) == succeeded, answers
        # A sending task caught by the restart failed and left its rows pending, or claimed
        # ("sending") when the connection was cut: once their time or the sending lease has
        # passed (moved back here instead of waiting), the periodic sweep hands them to the
        # same worker, never restarted.
        private_postgres.sql("lienthong", "UPDATE notifications_outbox SET next_attempt_at = "
                             "now() - interval '2 minutes', claimed_at = now() - "
                             "interval '1 day' WHERE state IN ('pending', 'sending')")
        settings.CELERY_BROKER_URL = redis.url()
        fresh_broker_connections()
        sweep.delay()
        # Nothing left to send (a notice cancelled because its task was taken, or held for
        # the digest, is not an e-mail lost).
        assert wait_for(lambda: private_postgres.sql(
            "lienthong", "SELECT count(*) FROM notifications_outbox "
            "WHERE state IN ('pending', 'sending', 'failed')"
        ) == "0", 60), (tmp_path / "worker.log").read_text()
        assert int(private_postgres.sql(
            "lienthong", "SELECT count(*) FROM notifications_outbox WHERE state = 'sent'"
        )) > 0
        assert web.poll() is None and worker.poll() is None
    finally:
        process_stop(web)
        process_stop(worker)
        web_log.close()
        worker_log.close()
        fresh_broker_connections()
        redis.stop()


def _answers(base: str) -> bool:
    try:
        return requests.get(base + "/accounts/login/", timeout=5).status_code == 200
    except requests.RequestException:
        return False
