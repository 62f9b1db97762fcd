"""`python -m bench --tiny` runs every benchmark end to end and prints valid measures.

The sizes are too small to mean anything; the point is that the harness, the data
generators and the services they call still fit together. It runs the real command in a
subprocess, against the same kind of database as the suite (PostgreSQL when DATABASE_URL
is set, else SQLite under a temporary VAR_DIR), in scratch databases of its own.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "flow.throughput", "flow.throughput_2_workers", "flow.overhead_ratio",
    "flow.queries_per_process", "flow.steps", "flow.docx_render",
    "inbox.specialist_inbox.queries", "inbox.specialist_inbox.p95",
    "inbox.leader_queue.queries", "inbox.leader_queue.p95",
    "sweep.seconds", "sweep.growth", "numbering.take", "numbering.issue",
    "statistics.page.queries", "statistics.page.p95", "statistics.export.memory",
    "statistics.export.seconds", "export.request.seconds", "export.write.seconds",
    "search.p95",
}


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    env = {**os.environ, "VAR_DIR": str(tmp_path_factory.mktemp("bench-var"))}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_every_benchmark_prints_its_measures(measures):
    assert {line["name"] for line in measures} == EXPECTED


def test_each_measure_has_value_unit_goal_and_verdict(measures):
    for line in measures:
        assert line["params"]["profile"] == "tiny"
        assert line["params"]["database"].split()[0] in ("postgresql", "sqlite")
        if "skipped" in line:
            continue
        assert isinstance(line["value"], int | float), line
        assert line["unit"], line
        if line["goal"] is not None:
            assert line["goal"]["op"] in (">=", "<=")
            assert isinstance(line["met"], bool), line


def test_ratios_come_with_their_baseline(measures):
    with_baseline = [line for line in measures if "baseline" in line]
    assert {line["name"] for line in with_baseline} >= {"flow.throughput", "numbering.take"}
    for line in with_baseline:
        assert line["baseline"] > 0 and line["ratio"] > 0, line


def test_flow_baseline_writes_the_same_rows_as_the_services(measures):
    throughput = next(line for line in measures if line["name"] == "flow.throughput")
    assert throughput["rows_match_baseline"] is True
    assert throughput["rows_per_process"]["workflows.Document"] == 4


def test_concurrent_numbers_have_no_duplicate_and_no_gap(measures):
    for name in ("numbering.take", "numbering.issue"):
        line = next(line for line in measures if line["name"] == name)
        assert line["no_duplicate_no_gap"] is True, line


def test_the_statistics_page_and_export_are_measured(measures):
    by_name = {line["name"]: line for line in measures}
    assert by_name["statistics.page.queries"]["value"] <= 15
    assert by_name["statistics.page.p95"]["value"] > 0
    assert by_name["statistics.export.memory"]["unit"] == "MiB"
