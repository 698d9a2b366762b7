"""The demo's credibility registers and authenticity evidence, read from the written files: the
claims register, the brand-incident log, the fake-user flag and the texts of AI items."""

from __future__ import annotations

import re
import statistics
from datetime import date, datetime, timedelta

import duckdb
import pytest
import textstat

from tests.builders import demo_views, one, rows
from trust.demo import write_demo

LATEST = date(2026, 11, 22)
END = datetime(2026, 11, 22, 23, 59, 59)
PUBLISHED = "published_at <= TIMESTAMP '2026-11-22 23:59:59'"


@pytest.fixture(scope="module", params=[1_000, 20_000], ids=["1k", "20k"])
def db(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "extracts"
    write_demo(out, customers=request.param, seed=7, latest=LATEST)
    con = duckdb.connect()
    demo_views(con, out)
    con.execute(f"CREATE VIEW claim_items AS SELECT c.*, i.team, i.published_at, i.makes_claim, i.body "
                f"FROM claims c JOIN content_items i USING (item_id) WHERE i.{PUBLISHED}")
    yield con
    con.close()



# --- claims ------------------------------------------------------------------------------------

def test_about_one_published_item_in_fourteen_makes_a_claim_and_each_has_its_claims_rows(db):
    share = one(db, f"SELECT avg(makes_claim::INT) FROM content_items WHERE {PUBLISHED}")
    assert 0.05 <= share <= 0.10
    assert one(db, f"SELECT count(*) FROM content_items WHERE makes_claim AND {PUBLISHED} "
                   "AND item_id NOT IN (SELECT item_id FROM claims)") == 0
    assert one(db, "SELECT count(*) FROM claims c JOIN content_items i USING (item_id) "
                   "WHERE NOT i.makes_claim") == 0
    per_item = dict(rows(db, "SELECT n, count(*) FROM (SELECT item_id, count(*) AS n FROM claims GROUP BY 1) "
                             "GROUP BY 1"))
    assert set(per_item) == {1, 2} and per_item[2] < per_item[1]
    assert one(db, "SELECT count(DISTINCT claim_id) = count(*) FROM claims")


def test_the_planted_claims_fail_as_described(db):
    planted = {r[0]: r[1:] for r in rows(db, """
        SELECT claim_id, team, claim_type, evidence_url, evidence_kind, expires_on, reviewer_role,
               approved_at, published_at, makes_claim
        FROM claim_items WHERE claim_id LIKE 'CLM-P%'""")}
    assert set(planted) == {"CLM-P01", "CLM-P02", "CLM-P03"}
    team, kind, url, evidence, _, role, approved, published, claim = planted["CLM-P01"]
    assert (team, kind, url, evidence, claim) == ("growth", "statistic", None, None, True)
    assert role in ("legal", "compliance") and approved <= published
    assert 7 <= (LATEST - published.date()).days <= 20
    team, _, url, _, _, role, approved, published, _ = planted["CLM-P02"]
    assert team == "crm" and url and role in ("legal", "compliance")
    assert approved - published == timedelta(hours=26) and 21 <= (LATEST - published.date()).days <= 45
    team, _, url, evidence, expires, role, approved, published, _ = planted["CLM-P03"]
    assert (team, evidence) == ("brand", "case_study") and url and approved <= published
    assert published.date() - expires == timedelta(days=12) and 46 <= (LATEST - published.date()).days <= 80
    # Each planted claim is the only claims row of its item.
    assert one(db, "SELECT max(n) FROM (SELECT count(*) AS n FROM claims WHERE item_id IN "
                   "(SELECT item_id FROM claims WHERE claim_id LIKE 'CLM-P%') GROUP BY item_id)") == 1


def test_every_other_published_claim_is_evidenced_current_and_approved_in_time(db):
    bad = rows(db, """
        SELECT c.claim_id FROM claim_items c LEFT JOIN staff s ON s.employee_id = c.reviewed_by
        WHERE c.claim_id NOT LIKE 'CLM-P%' AND NOT (
            c.evidence_url LIKE 'https://%' AND c.evidence_kind IS NOT NULL
            AND c.evidence_date > DATE '2026-11-22' - INTERVAL 24 MONTH
            AND c.evidence_date <= c.approved_at::DATE
            AND c.approved_at <= c.published_at
            AND c.reviewer_role IN ('legal', 'compliance') AND s.role = c.reviewer_role AND s.active
            AND coalesce(c.expires_on > DATE '2026-11-22' + INTERVAL 30 DAY, true))""")
    assert bad == []
    assert one(db, "SELECT count(*) FROM claim_items WHERE claim_id NOT LIKE 'CLM-P%'") > 50
    kinds = {r[0] for r in rows(db, "SELECT DISTINCT claim_type FROM claims")}
    assert {"statistic", "comparison", "superlative", "testimonial", "result"} <= kinds
    # Claims of items not yet published may still wait for their review.
    assert one(db, "SELECT count(*) FROM claims WHERE approved_at IS NULL") > 0
    assert one(db, "SELECT count(*) FROM claims WHERE approved_at IS NULL AND item_id IN "
                   f"(SELECT item_id FROM content_items WHERE {PUBLISHED})") == 0


# --- brand incidents ---------------------------------------------------------------------------

def test_incident_log_has_the_two_planted_failures_and_healthy_responses(db):
    log = {r[0]: r[1:] for r in rows(db, """
        SELECT incident_id, kind, severity, detected_at, contained_at, resolved_at, owner,
               date_diff('minute', detected_at, contained_at) / 60 AS hours
        FROM brand_incidents""")}
    kind, severity, detected, _, _, owner, hours = log["INC-010"]
    assert (kind, severity) == ("impersonation", "high") and hours > 60 and owner
    assert (END - detected).days < 90
    assert log["INC-013"][5] is None and log["INC-013"][4] is None and (END - log["INC-013"][2]).days < 30
    in_window = {i: r for i, r in log.items() if (END - r[2]).days < 90 or r[4] is None}
    healthy = {i: r for i, r in in_window.items() if i not in ("INC-010", "INC-013")}
    assert len(healthy) >= 5 and len({r[0] for r in healthy.values()}) >= 4
    for incident, (_, _, detected, _, resolved, owner, hours) in healthy.items():
        assert owner and hours <= 24, incident
        assert resolved is not None or (END - detected).days < 30, incident
    owners = {r[0] for r in rows(db, "SELECT employee_id FROM staff WHERE active")}
    assert {r[5] for r in log.values() if r[5]} <= owners
    assert max(r[3] for r in log.values()) <= END and max(r[4] for r in log.values() if r[4]) <= END


# --- fake accounts -----------------------------------------------------------------------------

NEW = """
SELECT c.snapshot_date, count(*) AS new, count(*) FILTER (c.suspected_fake) AS flagged,
       count(*) FILTER (c.suspected_fake IS NULL) AS unscreened
FROM customers c
WHERE c.snapshot_date > (SELECT min(snapshot_date) FROM customers)
  AND NOT EXISTS (SELECT 1 FROM customers p WHERE p.customer_id = c.customer_id
                  AND p.snapshot_date = c.snapshot_date - INTERVAL 7 DAY)
GROUP BY 1 ORDER BY 1"""


def test_the_latest_week_of_new_customers_is_thick_with_fakes_and_earlier_weeks_are_not(db):
    weeks = rows(db, NEW)
    *earlier, (latest, new, flagged, unscreened) = weeks
    assert latest == LATEST and flagged >= max(1, round(0.08 * new)) and flagged / new > 0.05
    assert unscreened / new < 0.10
    for week, new, flagged, unscreened in earlier:
        assert flagged / new <= 0.02 and unscreened / new < 0.10, week
    # A customer keeps the flag they were given, NULL included.
    assert one(db, """SELECT count(*) FROM customers a JOIN customers b ON b.customer_id = a.customer_id
                      AND b.snapshot_date = a.snapshot_date + INTERVAL 7 DAY
                      WHERE a.suspected_fake IS DISTINCT FROM b.suspected_fake""") == 0
    shares = [r[0] for r in rows(db, "SELECT avg(coalesce(suspected_fake, false)::INT) FROM customers "
                                     "GROUP BY snapshot_date ORDER BY snapshot_date")]
    assert max(shares) < 0.01  # far inside the anomaly rules' 5-point band


def test_one_new_fake_reaches_the_referral_journey_and_no_other_audience(db):
    found = rows(db, """
        SELECT a.journey_id, a.snapshot_date, c.language, c.consent_email, c.customer_status, c.lifecycle_stage
        FROM journey_audience a JOIN customers c USING (customer_id, snapshot_date)
        WHERE c.suspected_fake""")
    assert found == [("JRN-GRW-02", LATEST, "en", True, "active", "active")]
    assert one(db, """SELECT count(*) FROM journey_audience a JOIN customers p ON p.customer_id = a.customer_id
                      AND p.snapshot_date = a.snapshot_date - INTERVAL 7 DAY
                      WHERE a.journey_id = 'JRN-GRW-02' AND a.snapshot_date = DATE '2026-11-22'
                      AND a.customer_id IN (SELECT customer_id FROM customers WHERE suspected_fake)""") == 0
    assert one(db, "SELECT status FROM journeys WHERE journey_id = 'JRN-GRW-02'") == "live"


# --- authenticity evidence for culture.brand_voice ---------------------------------------------

def _weekly(db) -> dict[str, list[tuple[date, int, float]]]:
    """Per team, its weeks (Monday to Sunday) of published AI items: count and median reading ease."""
    items = rows(db, f"""SELECT team, date_trunc('week', published_at)::DATE, body FROM content_items
                         WHERE ai_generated AND {PUBLISHED}""")
    ease = {body: textstat.flesch_reading_ease(body) for body in {r[2] for r in items}}
    weeks: dict[tuple[str, date], list[float]] = {}
    for team, week, body in items:
        weeks.setdefault((team, week), []).append(ease[body])
    out: dict[str, list[tuple[date, int, float]]] = {}
    for (team, week), scores in sorted(weeks.items()):
        out.setdefault(team, []).append((week, len(scores), statistics.median(scores)))
    return out


def test_growth_doubles_its_ai_output_in_jargon_in_the_latest_week_and_the_rest_read_plainly(db):
    weekly = _weekly(db)
    monday = LATEST - timedelta(days=6)
    for team, weeks in weekly.items():
        *before, (week, count, ease) = weeks
        assert week == monday
        usual = statistics.median(n for _, n, _ in before[-8:])
        if team == "growth":
            assert 1.6 <= count / usual <= 2.6 and ease < 50
        else:
            assert count / usual < 1.3 and ease > 70, team
        assert all(e > 70 for _, _, e in before), team
    # Short texts of one to four sentences (the hand-written governance incidents keep their titles).
    texts = [r[0] for r in rows(db, f"SELECT DISTINCT body FROM content_items WHERE ai_generated AND {PUBLISHED} "
                                    "AND item_id NOT LIKE 'CI-P%'")]
    assert len(texts) > 60
    for text in texts:
        assert 1 <= len(re.findall(r"[.!?][\u201d]?(?:\s|$)", text)) <= 4, text
