"""The demo extracts: contract shape, determinism, safe writing and every planted fault."""

from __future__ import annotations

import filecmp
import itertools
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.builders import demo_views, one, rows
from trust.checks.registry import CHECKS
from trust.demo import FAULTS, MARKER, write_demo
from trust.demo.faults import HEALTHY
from trust.demo.writer import file_name
from trust.extracts.contract import TABLE_NAMES, TABLES, ColumnType

LATEST = date(2026, 11, 22)
END = "TIMESTAMP '2026-11-22 23:59:59'"
CUSTOMERS = 2_000


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "extracts"
    return write_demo(out, customers=CUSTOMERS, seed=7, latest=LATEST)


@pytest.fixture(scope="module")
def db(demo):
    """Plain DuckDB views over the written files, read the way a warehouse user would."""
    con = duckdb.connect()
    root = demo.out
    demo_views(con, root)
    con.execute("""CREATE VIEW rules AS SELECT channel, context, approval_required,
        coalesce(string_split(approver_roles, '|'), []) AS roles, label_required
        FROM decision_rights""")
    con.execute(f"""CREATE VIEW item_rules AS
        SELECT i.*, coalesce(e.approval_required, s.approval_required) AS approval_required,
               coalesce(e.roles, s.roles) AS roles,
               coalesce(e.label_required, s.label_required) AS label_required,
               (e.channel IS NOT NULL OR s.channel IS NOT NULL) AS mapped,
               i.published_at <= {END} AS published
        FROM content_items i
        LEFT JOIN rules e ON e.channel = i.channel AND e.context = i.context
        LEFT JOIN rules s ON s.channel = '*' AND s.context = i.context""")
    # An approval that counts: right role, after the last edit, no later than publication.
    con.execute("""CREATE VIEW approvals_that_count AS
        WITH last_edit AS (SELECT item_id, max(occurred_at) AS t FROM audit_events
                           WHERE event_type = 'edited' GROUP BY item_id)
        SELECT a.item_id, a.actor_role, max(a.occurred_at) AS at
        FROM audit_events a JOIN item_rules r USING (item_id)
        LEFT JOIN last_edit le USING (item_id)
        WHERE a.event_type = 'approved'
          AND (list_contains(r.roles, a.actor_role) OR (len(r.roles) = 0 AND a.actor_role <> 'system'))
          AND (le.t IS NULL OR a.occurred_at > le.t) AND a.occurred_at <= r.published_at
        GROUP BY ALL""")
    con.execute("""CREATE VIEW compliance AS
        SELECT r.item_id, any_value(r.team) AS team, any_value(r.context) AS context,
               any_value(r.ai_generated) AS ai_generated,
               count(DISTINCT c.actor_role) >= greatest(any_value(len(r.roles)), 1) AS has_approvals,
               max(c.at) AS last_approval
        FROM item_rules r LEFT JOIN approvals_that_count c USING (item_id)
        WHERE r.published AND r.approval_required GROUP BY r.item_id""")
    yield con
    con.close()



# --- shape -----------------------------------------------------------------------------------

def test_every_table_is_written_with_exactly_the_contract_columns(demo):
    for t in TABLES:
        path = demo.out / file_name(t.name)
        if t.name == "customers":
            folders = sorted(p.name for p in path.iterdir())
            assert len(folders) == 12 and folders[-1] == "snapshot_date=2026-11-22"
            names = pq.read_schema(path / folders[-1] / "part-0.parquet").names
            assert ["snapshot_date", *names] == list(t.column_names)
        elif path.suffix == ".parquet":
            assert pq.read_schema(path).names == list(t.column_names)
        else:
            header = path.read_text(encoding="utf-8").splitlines()[0]
            assert header.split(",") == list(t.column_names), t.name


def test_parquet_columns_have_the_contract_types(db):
    for name in ("customers", "journey_audience", "content_items", "audit_events", "claims"):
        described = {r[0]: r[1] for r in rows(db, f"DESCRIBE {name}")}
        table = next(t for t in TABLES if t.name == name)
        assert described == {c.name: c.type.duckdb_type for c in table.columns}, name


def test_csv_cells_follow_the_contract_formats(demo):
    text = (demo.out / "journeys.csv").read_text(encoding="utf-8")
    assert "active|at_risk" in text and "2026-11-27 09:00:00" in text
    assert "true" in (demo.out / "staff.csv").read_text(encoding="utf-8")
    for t in TABLES:
        path = demo.out / file_name(t.name)
        if path.suffix == ".csv":
            body = path.read_text(encoding="utf-8")
            assert "None" not in body and "nan" not in body.lower().split(","), t.name
            for c in t.columns:
                if c.type is ColumnType.TIMESTAMP:
                    assert "T" not in body.split("\n")[1].split(",")[t.column_names.index(c.name)]


def test_row_counts_are_sensible(demo, db):
    assert list(demo.rows) == list(TABLE_NAMES)
    assert demo.seconds > 0
    assert demo.rows["customers"] == one(db, "SELECT count(*) FROM customers")
    per_snapshot = rows(db, "SELECT snapshot_date, count(*), count(DISTINCT customer_id) "
                            "FROM customers GROUP BY 1 ORDER BY 1")
    assert [r[0] for r in per_snapshot][-1] == LATEST
    assert all(r[0].weekday() == 6 for r in per_snapshot)
    assert per_snapshot[-1][2] == CUSTOMERS
    assert 0.9 * CUSTOMERS < per_snapshot[0][1] < CUSTOMERS
    assert 3.0 < demo.rows["audit_events"] / demo.rows["content_items"] < 5.0
    assert demo.rows["staff"] == 60 and demo.rows["journeys"] == 15
    assert 0.8 < demo.rows["content_items"] / CUSTOMERS < 1.2
    for journey, week, size in rows(db, "SELECT journey_id, snapshot_date, count(*) FROM journey_audience "
                                        "GROUP BY ALL"):
        assert size <= 0.15 * CUSTOMERS + 30, (journey, week)
    weeks = dict(rows(db, "SELECT journey_id, count(DISTINCT snapshot_date) FROM journey_audience GROUP BY 1"))
    running = {r[0] for r in rows(db, "SELECT journey_id FROM journeys WHERE status IN ('scheduled', 'live')")}
    # Scheduled and live journeys are exported every week, the others once.
    assert {j: n for j, n in weeks.items()} == {j: 12 if j in running else 1 for j in weeks}


def test_the_fault_catalogue_covers_every_evidence_check():
    """Every check judged from the extracts has a planted fault, but the one left healthy on purpose
    (so one check shows what good looks like); self-assessed checks are judged from answers, and
    carry a fault only where the demo plants evidence that would contradict an answer."""
    self_assessed = {c.id for c in CHECKS if c.self_assessed}
    evidence = {c.id for c in CHECKS if not c.self_assessed} - set(HEALTHY)
    faulted = {f.check for f in FAULTS}
    assert evidence <= faulted
    # The credibility checks arrive with their own change; until they are registered, their faults
    # are the only ones allowed to name an unknown check.
    assert {c for c in faulted - evidence - self_assessed if not c.startswith("credibility.")} == set()
    assert {f.table for f in FAULTS} <= set(TABLE_NAMES)
    statuses = {}
    for fault in FAULTS:
        allowed = ("not_assessed",) if fault.check in self_assessed else ("fail", "warn")
        assert statuses.setdefault(fault.check, fault.status) == fault.status in allowed, fault.check


# --- determinism and safe writing -------------------------------------------------------------

def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_same_arguments_give_identical_bytes_and_another_seed_differs(demo, tmp_path):
    again = write_demo(tmp_path / "again", customers=CUSTOMERS, seed=7, latest=LATEST)
    assert _files(demo.out) == _files(again.out)
    for rel in _files(demo.out):
        assert filecmp.cmp(demo.out / rel, again.out / rel, shallow=False), rel
    other = write_demo(tmp_path / "other", customers=CUSTOMERS, seed=8, latest=LATEST)
    changed = [rel for rel in _files(demo.out)
               if not filecmp.cmp(demo.out / rel, other.out / rel, shallow=False)]
    assert Path("content_items.parquet") in changed
    assert Path("customers/snapshot_date=2026-11-22/part-0.parquet") in changed


def test_refuses_a_folder_that_is_not_a_demo(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not a previous demo"):
        write_demo(mine, customers=100)
    assert _files(mine) == [Path("notes.txt")]
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    with pytest.raises(ValueError, match="not a folder"):
        write_demo(a_file, customers=100)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "mine"]


def test_rewrites_a_previous_demo_but_not_one_holding_foreign_files(tmp_path):
    out = tmp_path / "demo"
    write_demo(out, customers=100, seed=1)
    second = write_demo(out, customers=150, seed=2)
    assert '"seed": 2' in (out / MARKER).read_text()
    assert second.rows["customers"] > 12 * 140
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]  # no staging folders left behind
    (out / "mine.csv").write_text("a\n1\n")
    with pytest.raises(ValueError, match=r"mine\.csv"):
        write_demo(out, customers=100)
    assert (out / "mine.csv").exists()


def test_writes_into_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert write_demo(tmp_path / "empty", customers=100).rows["staff"] == 60


@pytest.mark.parametrize("kwargs, message", [
    ({"customers": 99}, "at least 100"),
    ({"customers": True}, "customers"),
    ({"customers": 1000.0}, "customers"),
    ({"seed": -1}, "seed"),
    ({"latest": datetime(2026, 11, 22)}, "latest"),
])
def test_validates_its_arguments(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        write_demo(tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists()


# --- planted faults: signal quality -----------------------------------------------------------

LATEST_SNAPSHOT = "(SELECT * FROM customers WHERE snapshot_date = DATE '2026-11-22')"


def test_latest_snapshot_has_duplicate_ids_and_invalid_languages(db):
    duplicated = one(db, f"SELECT count(*) FROM (SELECT customer_id FROM {LATEST_SNAPSHOT} "
                         "GROUP BY 1 HAVING count(*) > 1)")
    assert duplicated == round(0.002 * CUSTOMERS)
    invalid = rows(db, f"SELECT DISTINCT language FROM {LATEST_SNAPSHOT} WHERE language NOT IN "
                       "('en', 'es', 'fr', 'de', 'pt', 'it')")
    assert {r[0] for r in invalid} == {"EN", "english", "English"}
    earlier = one(db, "SELECT count(*) FROM customers WHERE snapshot_date < DATE '2026-11-22' "
                      "AND language NOT IN ('en', 'es', 'fr', 'de', 'pt', 'it')")
    assert earlier == 0


ANOMALIES = """
WITH counts AS (
    SELECT snapshot_date, f.field, f.value, count(*) AS n
    FROM customers, LATERAL (VALUES
        ('language', language), ('region', region), ('lifecycle_stage', lifecycle_stage),
        ('customer_status', customer_status),
        ('consent_email', CASE WHEN consent_email = false THEN 'false' END),
        ('consent_sms', CASE WHEN consent_sms = false THEN 'false' END),
        ('consent_push', CASE WHEN consent_push = false THEN 'false' END),
        ('suspected_fake', CASE WHEN suspected_fake THEN 'true' END)) AS f(field, value)
    GROUP BY ALL),
totals AS (SELECT snapshot_date, count(*) AS total FROM customers GROUP BY 1),
keys AS (SELECT DISTINCT field, value FROM counts
         WHERE NOT ((field LIKE 'consent%' OR field = 'suspected_fake') AND value IS NULL)),
grid AS (
    SELECT k.field, k.value, t.snapshot_date, coalesce(c.n, 0) / t.total AS share
    FROM keys k CROSS JOIN totals t
    LEFT JOIN counts c ON c.field = k.field AND c.value IS NOT DISTINCT FROM k.value
                      AND c.snapshot_date = t.snapshot_date),
judged AS (
    SELECT *, avg(share) OVER w AS baseline, {sd}(share) OVER w AS sd, count(*) OVER w AS k
    FROM grid
    WINDOW w AS (PARTITION BY field, value ORDER BY snapshot_date
                 ROWS BETWEEN 8 PRECEDING AND 1 PRECEDING))
SELECT field, value, snapshot_date, share - baseline FROM judged
WHERE k >= 3 AND abs(share - baseline) >= 0.05 AND abs(share - baseline) > 3 * sd
ORDER BY snapshot_date, field, value
"""


@pytest.mark.parametrize("sd", ["stddev_pop", "stddev_samp"])
def test_anomalies_are_exactly_the_planted_ones(db, sd):
    found = {(f, v, d.isoformat()): move for f, v, d, move in rows(db, ANOMALIES.format(sd=sd))}
    assert set(found) == {
        ("region", "EMEA", "2026-10-11"), ("region", "UKI", "2026-10-11"),
        ("consent_email", "false", "2026-11-08"),
        ("language", "en", "2026-11-22"), ("language", "es", "2026-11-22"),
    }
    assert found[("language", "es", "2026-11-22")] <= -0.06
    assert found[("consent_email", "false", "2026-11-08")] >= 0.07
    assert found[("region", "UKI", "2026-10-11")] >= 0.055
    counts = [r[0] for r in rows(db, "SELECT count(*) FROM customers GROUP BY snapshot_date "
                                     "ORDER BY snapshot_date")]
    assert max(counts) / min(counts) < 1.1


def test_only_the_region_realignment_is_reviewed(db):
    reviews = rows(db, "SELECT field, value, snapshot_date, reviewed_by, reviewed_at "
                       "FROM alert_reviews ORDER BY value")
    assert [(f, v, d.isoformat(), by) for f, v, d, by, _ in reviews] == [
        ("region", "EMEA", "2026-10-11", "E015"), ("region", "UKI", "2026-10-11", "E015")]
    assert all((at.date() - d).days <= 7 for *_, d, _, at in reviews)


def test_field_registry_is_owned_and_reviewed(db):
    fields = rows(db, "SELECT field_name, owner, authoritative_source, last_reviewed "
                      "FROM field_registry WHERE risk = 'high'")
    columns = {r[0] for r in rows(db, "DESCRIBE customers")}
    assert len(fields) == 7
    for name, owner, source, reviewed in fields:
        assert owner and source and name in columns and (LATEST - reviewed).days <= 365, name


def test_branch_customers_are_stale(db):
    stale, fresh_other = rows(db, f"""
        SELECT avg((updated_at < DATE '2026-11-22' - INTERVAL 730 DAY)::INT),
               max(updated_at) FILTER (WHERE source_system <> 'branch')
        FROM {LATEST_SNAPSHOT}""")[0]
    assert 0.01 < stale < 0.05
    assert one(db, f"SELECT bool_and(source_system = 'branch') FROM {LATEST_SNAPSHOT} "
                   "WHERE updated_at < DATE '2026-11-22' - INTERVAL 180 DAY")
    assert fresh_other <= datetime(2026, 11, 22, 23, 59, 59)


PREFLIGHT = f"""
WITH latest AS {LATEST_SNAPSHOT},
audience AS (SELECT * FROM journey_audience WHERE snapshot_date = DATE '2026-11-22'),
members AS (
    SELECT j.journey_id, a.customer_id,
        bool_or(c.customer_id IS NULL
            OR CASE j.channel WHEN 'email' THEN c.consent_email WHEN 'sms' THEN c.consent_sms
                              ELSE c.consent_push END IS NOT TRUE
            OR c.customer_status <> 'active' OR c.suspected_fake IS TRUE
            OR c.language IS NULL OR c.language NOT IN ('en', 'es', 'fr', 'de', 'pt', 'it')
            OR (j.language IS NOT NULL AND c.language <> j.language)
            OR (j.regions IS NOT NULL AND NOT coalesce(list_contains(string_split(j.regions, '|'), c.region),
                                                       false))) AS blocking,
        bool_or(c.updated_at < DATE '2026-11-22' - INTERVAL 180 DAY
            OR (j.lifecycle_stages IS NOT NULL AND NOT coalesce(list_contains(
                string_split(j.lifecycle_stages, '|'), c.lifecycle_stage), false))) AS warning
    FROM journeys j JOIN audience a USING (journey_id)
    LEFT JOIN latest c USING (customer_id)
    WHERE j.status IN ('scheduled', 'live') GROUP BY ALL)
SELECT journey_id, count(*) AS audience, count(*) FILTER (blocking) AS blocking,
       count(*) FILTER (warning AND NOT blocking) AS warnings,
       CASE WHEN count(*) FILTER (blocking) > 0 THEN 'fail'
            WHEN count(*) FILTER (warning) > 0.05 * count(*) THEN 'warn' ELSE 'pass' END
FROM members GROUP BY 1 ORDER BY 1
"""


def test_preflight_fails_warns_and_passes_the_planted_journeys(db):
    result = {j: (size, blocking, warnings, status)
              for j, size, blocking, warnings, status in rows(db, PREFLIGHT)}
    assert {j: r[3] for j, r in result.items()} == {
        "JRN-BRD-01": "pass", "JRN-BRD-02": "pass", "JRN-CRM-01": "pass",
        "JRN-CRM-02": "pass", "JRN-CRM-03": "fail", "JRN-CRM-04": "pass",
        "JRN-CRM-05": "fail", "JRN-GRW-01": "warn", "JRN-GRW-02": "fail",
        "JRN-GRW-03": "fail",
    }
    assert result["JRN-GRW-02"][1] == 25 + 1  # the unknown IDs and one suspected fake
    assert result["JRN-CRM-03"][1] > 0.4 * result["JRN-CRM-03"][0]
    # The opt-out journey is blocked by customers who opted out in the spike.
    assert one(db, f"""SELECT count(*) FROM journey_audience a JOIN {LATEST_SNAPSHOT} c
                       USING (customer_id) WHERE a.journey_id = 'JRN-CRM-05' AND a.snapshot_date = c.snapshot_date
                       AND c.consent_email = false""") > 0.05 * result["JRN-CRM-05"][0]
    # The Latin American journey picked up European customers with last week's feed.
    europe = rows(db, """SELECT a.snapshot_date, count(*) FROM journey_audience a JOIN customers c
                         ON c.customer_id = a.customer_id AND c.snapshot_date = a.snapshot_date
                         WHERE a.journey_id = 'JRN-GRW-03' AND c.region <> 'LATAM' GROUP BY 1 ORDER BY 1""")
    assert [d.isoformat() for d, n in europe] == ["2026-11-15", "2026-11-22"] and all(n >= 3 for _, n in europe)
    for journey, (size, *_) in result.items():
        assert size >= 10, journey


def test_unknown_ids_are_in_no_snapshot(db):
    unknown = rows(db, "SELECT journey_id, snapshot_date, count(*) FROM journey_audience WHERE customer_id "
                       "NOT IN (SELECT customer_id FROM customers) GROUP BY ALL ORDER BY 2")
    # In every export since the journey went live, 30 days before the latest snapshot.
    assert [(j, d.isoformat(), n) for j, d, n in unknown] == [
        ("JRN-GRW-02", d, 25) for d in ("2026-10-25", "2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22")]


def test_audiences_are_rebuilt_weekly_except_the_planted_stale_ones(db):
    def same(journey: str, a: str, b: str) -> bool:
        return one(db, f"""SELECT count(*) FROM ((SELECT customer_id FROM journey_audience WHERE journey_id = $1
                           AND snapshot_date = DATE '{a}') EXCEPT (SELECT customer_id FROM journey_audience
                           WHERE journey_id = $1 AND snapshot_date = DATE '{b}'))""", journey) == 0
    assert same("JRN-CRM-05", "2026-11-01", "2026-11-22") and not same("JRN-CRM-05", "2026-10-25", "2026-11-01")
    assert same("JRN-CRM-03", "2026-11-15", "2026-11-22") and not same("JRN-CRM-01", "2026-11-15", "2026-11-22")


# --- planted faults: governance and accountability --------------------------------------------

def test_approval_compliance_warns_with_the_planted_breaches(db):
    total, compliant = rows(db, "SELECT count(*), count(*) FILTER (has_approvals) "
                                "FROM compliance")[0]
    assert 0.98 <= compliant / total < 1
    breaches = {r[0] for r in rows(db, "SELECT item_id FROM compliance WHERE NOT has_approvals")}
    assert {"CI-P01", "CI-P02", "CI-P03"} <= breaches
    late = rows(db, "SELECT DISTINCT i.team, i.channel FROM audit_events e "
                    "JOIN content_items i USING (item_id) "
                    "WHERE e.note = 'Fixed a typo after sign-off'")
    assert late == [("crm", "email")]
    assert len(breaches - {"CI-P01", "CI-P02", "CI-P03"}) >= 3
    assert one(db, "SELECT count(*) FROM audit_events a JOIN content_items i USING (item_id) "
                   "WHERE a.event_type = 'approved' AND a.occurred_at > i.published_at") == 1


def test_crisis_item_published_without_compliance_and_crisis_stays_fast(db):
    roles = rows(db, "SELECT actor_role FROM audit_events WHERE item_id = 'CI-P01' "
                     "AND event_type = 'approved'")
    assert roles == [("legal",)]
    crisis_breaches = rows(db, "SELECT item_id, published_at FROM compliance JOIN content_items USING (item_id) "
                               "WHERE compliance.context = 'crisis' AND NOT has_approvals ORDER BY 1")
    # CI-P12 is older than the 90-day crisis window: still a breach, no longer a crisis-comms failure.
    assert [r[0] for r in crisis_breaches] == ["CI-P01", "CI-P12"]
    assert (LATEST - crisis_breaches[1][1].date()).days == 100 and (LATEST - crisis_breaches[0][1].date()).days < 90
    median = one(db, f"""
        SELECT median(date_diff('second', coalesce(r.first_rec, i.created_at), i.published_at))
               / 3600
        FROM content_items i
        LEFT JOIN (SELECT item_id, min(occurred_at) AS first_rec FROM audit_events
                   WHERE event_type = 'recommended' GROUP BY 1) r USING (item_id)
        WHERE i.context = 'crisis' AND i.team = 'brand' AND i.published_at <= {END}""")
    assert median < 4


def test_audit_completeness_warns(db):
    rate = one(db, """
        WITH trail AS (
            SELECT item_id,
                   min(occurred_at) FILTER (event_type = 'recommended') AS rec,
                   min(occurred_at) FILTER (event_type = 'published') AS pub
            FROM audit_events GROUP BY 1)
        SELECT avg((t.rec IS NOT NULL AND t.pub IS NOT NULL AND t.rec <= t.pub
                    AND (NOT r.approval_required OR (c.has_approvals
                         AND c.last_approval BETWEEN t.rec AND t.pub)))::INT)
        FROM item_rules r LEFT JOIN trail t USING (item_id)
        LEFT JOIN compliance c USING (item_id)
        WHERE r.published AND r.ai_generated""")
    assert 0.95 <= rate < 0.99


def test_transparency_and_decision_rights_faults(db):
    missing = rows(db, "SELECT item_id FROM content_items WHERE ai_generated IS NULL ORDER BY 1")
    assert missing == [("CI-P04",), ("CI-P05",), ("CI-P06",)]
    unlabelled = rows(db, "SELECT item_id FROM item_rules WHERE published AND ai_generated "
                          "AND label_required AND NOT ai_label_applied")
    assert unlabelled == [("CI-P07",)]
    unmapped = rows(db, "SELECT item_id, published FROM item_rules WHERE NOT mapped")
    assert unmapped == [("CI-P08", None)]


def test_escalation_warns(db):
    rate = one(db, f"""
        SELECT avg((e.item_id IS NOT NULL)::INT) FROM content_items i
        LEFT JOIN (SELECT DISTINCT e.item_id FROM audit_events e JOIN content_items c
                   USING (item_id) WHERE e.event_type = 'escalated'
                   AND e.occurred_at < c.published_at) e USING (item_id)
        WHERE i.ai_generated AND i.model_confidence < 0.6 AND i.published_at <= {END}""")
    assert 0.95 <= rate < 1


def test_commitment_owners_warn(db):
    bad = rows(db, f"""
        SELECT item_id FROM content_items i LEFT JOIN staff s ON s.employee_id = i.owner
        WHERE i.makes_commitment AND i.published_at <= {END} AND s.active IS NOT TRUE
        ORDER BY 1""")
    assert bad == [("CI-P09",), ("CI-P10",)]
    assert one(db, "SELECT team FROM content_items WHERE item_id = 'CI-P09'") == "growth"


def test_content_volume_and_distributions_are_believable(db):
    ai, low, published = rows(db, """
        SELECT avg(ai_generated::INT), avg((model_confidence < 0.6)::INT) FILTER (ai_generated),
               avg((published_at IS NOT NULL)::INT) FROM content_items""")[0]
    assert 0.65 < ai < 0.75 and 0.03 < low < 0.08 and 0.8 < published < 0.9
    owners_are_staff = one(db, "SELECT bool_and(owner IN (SELECT employee_id FROM staff)) "
                               "FROM content_items WHERE owner IS NOT NULL")
    actors = one(db, "SELECT bool_and(actor IN (SELECT employee_id FROM staff) OR actor_role = "
                     "'system') FROM audit_events")
    assert owners_are_staff and actors
    last = one(db, "SELECT max(occurred_at) FROM audit_events")
    assert last <= datetime(2026, 11, 22, 23, 59, 59)
    assert one(db, f"SELECT max(created_at) <= {END} FROM content_items")


# --- planted faults: measurement and culture --------------------------------------------------

def test_pilots(db):
    pilots = {r[0]: r[1:] for r in rows(db, """
        SELECT pilot_id, risk_metric, end_date - start_date + 1, decision, start_date
        FROM pilots""")}
    assert pilots["PIL-01"][:3] == ("approval_compliance", 21, "scale")
    assert pilots["PIL-02"][0] is None
    assert pilots["PIL-03"][1] == 28
    assert (LATEST - one(db, "SELECT end_date FROM pilots WHERE pilot_id = 'PIL-04'")).days > 14
    assert pilots["PIL-04"][2] is None
    assert pilots["PIL-06"][3] > LATEST


def test_forecast_tolerances(db):
    latest = {m: (v, tol) for m, v, tol in rows(db, """
        SELECT model_id, abs(actual - predicted) / abs(actual), tolerance FROM forecasts
        WHERE actual IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY model_id ORDER BY period_start DESC) = 1""")}
    assert latest["FC-CRM-REV"][0] == pytest.approx(0.22, abs=0.005)
    assert latest["FC-CRM-REV"][0] > latest["FC-CRM-REV"][1]
    for model in ("FC-BRD-SOV", "FC-CRM-OPEN", "FC-GRW-CHURN", "FC-GRW-LEADS"):
        assert latest[model][0] <= (latest[model][1] or 0.15), model
    assert latest["FC-GRW-CHURN"][1] is None
    previous = rows(db, """
        SELECT model_id, max(abs(actual - predicted) / abs(actual)) FROM (
            SELECT *, row_number() OVER (PARTITION BY model_id ORDER BY period_start DESC) AS k
            FROM forecasts WHERE actual IS NOT NULL) WHERE k BETWEEN 2 AND 4 GROUP BY 1""")
    breached = {m for m, v in previous if v > 0.15}
    assert breached == {"FC-BRD-SOV"}
    assert one(db, "SELECT count(*) FROM forecasts WHERE actual IS NULL") == 5


def test_measurement_methods(db):
    methods = {r[0]: r[1:] for r in rows(db, "SELECT metric, kind, baseline_value, method, "
                                             "run_count FROM measurement_methods")}
    assert methods["market_awareness"] == ("intangible", 0.04, "regression", 5)
    assert methods["brand_trust_index"][3] == 1
    assert methods["crm_attributed_revenue"][0] == "revenue"


def test_upskilling_by_team(db):
    rates = dict(rows(db, """
        SELECT s.team, avg((t.employee_id IS NOT NULL)::INT) FROM staff s
        LEFT JOIN (SELECT DISTINCT employee_id FROM training WHERE category = 'ai_safety') t
        USING (employee_id) WHERE s.active AND s.uses_ai GROUP BY 1"""))
    assert rates["brand"] >= 0.8 and rates["crm"] >= 0.8 and 0.5 <= rates["growth"] < 0.6
    overall = one(db, """
        SELECT avg((employee_id IN (SELECT employee_id FROM training
                                    WHERE category = 'ai_safety'))::INT)
        FROM staff WHERE active AND uses_ai""")
    assert 0.5 <= overall < 0.8


def test_advocacy_cadence_fails_on_a_21_day_gap(db):
    nudges = rows(db, "SELECT sent_on, recommended_posts FROM advocacy_nudges ORDER BY 1")
    launch = nudges[0][0]
    assert 130 <= (LATEST - launch).days <= 145
    window = [(d, n) for d, n in nudges if (LATEST - d).days <= 56]
    gaps = [(b[0] - a[0]).days for a, b in itertools.pairwise(nudges)
            if (LATEST - b[0]).days <= 56]
    assert max(gaps) == 21 and (LATEST - nudges[-1][0]).days <= 7
    assert [n for _, n in window].count(6) == 1
    assert all(3 <= n <= 4 for d, n in nudges if n != 6)
    unapproved = rows(db, "SELECT shared_on FROM advocacy_shares WHERE NOT approved_content")
    assert len(unapproved) == 1 and (LATEST - unapproved[0][0]).days > 56
    current, active = rows(db, """
        SELECT count(*), count(*) FILTER (employee_id IN (
            SELECT employee_id FROM advocacy_shares
            WHERE shared_on > DATE '2026-11-22' - INTERVAL 28 DAY))
        FROM advocacy_participants WHERE left_on IS NULL""")[0]
    assert current == 20 and active >= 0.8 * current
    assert one(db, "SELECT count(*) FROM advocacy_participants") == 22
