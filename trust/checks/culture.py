"""Layer 5, culture and capability: upskilling, brand voice, workload redesign, advocacy cadence."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from trust.checks.model import Check, Status, Verdict, evidence, percent, plural, rate_status
from trust.facts import AdvocacyFacts, AssessmentFacts, PeopleFacts
from trust.settings import Settings

ANSWER_STATUS = {"yes": Status.PASS, "partly": Status.WARN, "no": Status.FAIL}


def upskilling(facts: PeopleFacts, settings: Settings) -> Verdict:
    in_scope = [p for p in facts.staff if p.active and p.uses_ai]
    if not in_scope:
        return Verdict(Status.NOT_ASSESSED, "No active member of staff works with AI.", metrics={"staff": 0})
    untrained = [p for p in in_scope if not any(d <= facts.as_of for d in p.ai_safety_completed)]
    rate = (len(in_scope) - len(untrained)) / len(in_scope)
    metrics = {"rate": round(rate, 6), "staff": len(in_scope), "trained": len(in_scope) - len(untrained)}
    found = evidence("people", ("employee_id", "name", "team", "role"),
                     [(p.employee_id, p.name, p.team, p.role) for p in untrained])
    status = rate_status(rate, settings.upskilling_pass_rate, settings.upskilling_warn_rate)
    return Verdict(status, f"{percent(rate)} of the {plural(len(in_scope), 'person', 'people')} working with AI "
                   "completed AI-safety training.", 100 * rate, metrics, evidence=found)


def self_assessed(check_id: str):
    """The evaluate function of a check whose only evidence is the team lead's answer."""

    def evaluate(facts: AssessmentFacts, settings: Settings) -> Verdict:
        answers = [a for a in facts.answers.get(check_id, ()) if not a.stale]
        if not answers:
            stale = bool(facts.answers.get(check_id))
            return Verdict(Status.NOT_ASSESSED, "The answer has expired and needs renewing." if stale
                           else "Not yet self-assessed.", metrics={"answers": 0})
        judged = [(ANSWER_STATUS.get(a.answer), a) for a in answers]
        counted = [(s, a) for s, a in judged if s is not None]
        if not counted:
            return Verdict(Status.NOT_ASSESSED, "Answered not applicable.", metrics={"answers": len(answers)})
        status, worst = max(counted, key=lambda sa: sa[0].severity)
        teams = ", ".join(sorted({a.team for _, a in counted}))
        return Verdict(status, f"Self-assessed '{worst.answer}' by {worst.team}"
                       + (f" (teams answering: {teams})." if len(counted) > 1 else "."),
                       metrics={"answers": len(counted)}, owner=worst.answered_by,
                       evidence=evidence("answers", ("team", "answer", "comment", "answered_by", "answered_at"),
                                         [(a.team, a.answer, a.comment, a.answered_by, a.answered_at)
                                          for _, a in counted]))

    evaluate.__name__ = f"self_assessed_{check_id.split('.')[-1]}"
    return evaluate


def advocacy_cadence(facts: AdvocacyFacts, settings: Settings) -> Verdict:
    nudges = [n for n in facts.nudges if n.sent_on <= facts.as_of]
    if not nudges:
        return Verdict(Status.NOT_ASSESSED, "No employee advocacy programme has started.", metrics={"nudges": 0})
    launch = nudges[0].sent_on
    start = max(launch, facts.as_of - timedelta(weeks=settings.advocacy_window_weeks))
    window = [n for n in nudges if n.sent_on >= start]
    before = [n for n in nudges if n.sent_on < start][-1:]
    dates = [n.sent_on for n in before + window] + [facts.as_of]
    issues: list[tuple[str, object, str]] = []
    gaps = [(b - a).days for a, b in pairwise(dates)]
    longest = max(gaps, default=0)
    for a, b, days in zip(dates, dates[1:], gaps, strict=False):
        if days > settings.advocacy_warn_gap_days:
            issues.append(("gap", a, f"{days} days without a nudge after {a.isoformat()}"
                           + (" (until today)" if b == facts.as_of else "")))
    off_posts = [n for n in window if n.recommended_posts is None
                 or not settings.advocacy_posts_min <= n.recommended_posts <= settings.advocacy_posts_max]
    issues += [("posts", n.sent_on, f"{n.nudge_id}: {n.recommended_posts} recommended posts") for n in off_posts]
    shares = [s for s in facts.shares if start <= s.shared_on <= facts.as_of]
    unapproved = [s for s in shares if s.approved_content is False]
    issues += [("unapproved", s.shared_on, f"share {s.share_id} by {s.employee_id}: content not approved")
               for s in unapproved]
    current = {p.employee_id for p in facts.participants if p.active_on(facts.as_of)}
    recent_from = facts.as_of - timedelta(weeks=settings.advocacy_active_weeks)
    sharers = {s.employee_id for s in facts.shares if recent_from < s.shared_on <= facts.as_of} & current
    active = len(sharers) / len(current) if current else 0.0
    metrics = {"launch": launch.isoformat(), "nudges_in_window": len(window), "longest_gap_days": longest,
               "participants": len(current), "active_sharers": len(sharers), "active_share": round(active, 4),
               "unapproved_shares": len(unapproved), "nudges_off_posts": len(off_posts)}
    if active < settings.advocacy_active_share:
        issues.append(("participation", facts.as_of, f"{len(sharers)} of {len(current)} participants shared in "
                       f"the last {settings.advocacy_active_weeks} weeks"))
    found = evidence("nudges", ("issue", "date", "detail"), sorted(issues, key=lambda i: i[1]))
    if longest > settings.advocacy_fail_gap_days or unapproved:
        what = [f"a {longest}-day gap between nudges"] if longest > settings.advocacy_fail_gap_days else []
        what += [plural(len(unapproved), "share") + " of non-approved content"] if unapproved else []
        return Verdict(Status.FAIL, "The advocacy cadence broke: " + " and ".join(what) + ".", metrics=metrics,
                       evidence=found)
    if longest > settings.advocacy_warn_gap_days or off_posts or active < settings.advocacy_active_share:
        return Verdict(Status.WARN, "The advocacy cadence is slipping: " + "; ".join(i[2] for i in issues[:2]) + ".",
                       metrics=metrics, evidence=found)
    return Verdict(Status.PASS, f"Weekly nudges, {percent(active)} of participants sharing approved content.",
                   metrics=metrics, evidence=found)


CHECKS = (
    Check(
        id="culture.upskilling", layer="culture", title="Teams upskilled to work with AI safely",
        question="Have the people who use AI been trained to use it safely?",
        why="As routine work is automated, quality rests on people who know how the tools fail. Staff who use "
            "AI without safety training are the likeliest route for an unchecked output to reach customers.",
        remediation="Enrol everyone listed here in the AI-safety course and track completion; make it part of "
                    "onboarding for anyone given access to AI tools.",
        facts="people", tables=("staff", "training"), settings=("upskilling_pass_rate", "upskilling_warn_rate"),
        evaluate=upskilling,
    ),
    Check(
        id="culture.brand_voice", layer="culture", title="Brand voice and simplicity reinforced",
        question="Do teams keep AI-assisted content in the brand's plain, recognisable voice?",
        why="As AI multiplies content, inconsistency erodes trust faster than volume builds it. Fewer, clearer "
            "pieces in a recognisable, human voice outperform jargon and over-produced messaging.",
        remediation="Publish the voice and simplicity standard, build it into prompts and review checklists, "
                    "and sample AI-assisted content against it each month; then answer this check.",
        facts="assessment", tables=(), team_scoped=True, self_assessed=True,
        evaluate=self_assessed("culture.brand_voice"),
    ),
    Check(
        id="culture.workload_redesign", layer="culture", title="Workloads redesigned, not just accelerated",
        question="Has the work been reorganised around AI rather than simply sped up?",
        why="Efficiency pressure tempts teams to push the same work through faster. Without redesigning who "
            "does what, reviews get squeezed and quality, governance and trust give way first.",
        remediation="Map which tasks AI now supports and which judgements stay human (strategy, empathy, crisis "
                    "decisions, brand voice, accountability), and reset roles and review time to match; then "
                    "answer this check.",
        facts="assessment", tables=(), team_scoped=True, self_assessed=True,
        evaluate=self_assessed("culture.workload_redesign"),
    ),
    Check(
        id="culture.advocacy_cadence", layer="culture", title="Employee advocacy sustained",
        question="Does the employee advocacy programme keep a simple weekly rhythm on approved content?",
        why="Advocacy builds trust when it is simple and sustained: a weekly nudge with three or four "
            "recommended posts, only approved content, and participation that lasts beyond the launch. A "
            "lapse in cadence or an off-brand share undoes it.",
        remediation="Schedule the weekly nudge with a named sender and a backup, keep each to three or four "
                    "approved posts, remove unapproved content from the share library, and re-engage "
                    "participants who stopped sharing.",
        facts="advocacy", tables=("advocacy_nudges", "advocacy_participants", "advocacy_shares"),
        settings=("advocacy_window_weeks", "advocacy_fail_gap_days", "advocacy_warn_gap_days",
                  "advocacy_posts_min", "advocacy_posts_max", "advocacy_active_share", "advocacy_active_weeks"),
        team_scoped=False, evaluate=advocacy_cadence,
    ),
)
