"""Layer 5, culture and capability: upskilling, brand voice, workload redesign, advocacy cadence."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from trust.checks.model import Check, Status, Verdict, named, percent, plural, rate_status
from trust.checks.programme import not_approved, window_start
from trust.checks.voice import brand_voice
from trust.facts.advocacy import ADVOCACY, AdvocacyFacts
from trust.facts.answers import ASSESSMENT, Answer, AssessmentFacts
from trust.facts.model import evidence
from trust.facts.people import PEOPLE, PeopleFacts
from trust.facts.voice import VOICE
from trust.settings import Settings

ANSWER_STATUS = {"yes": Status.PASS, "partly": Status.WARN, "no": Status.FAIL, "n/a": Status.PASS}
ASSESSMENT_TABLES = ("content_items", "journeys")  # the teams that reach customers owe an answer


def upskilling(facts: PeopleFacts, settings: Settings) -> Verdict:
    # Nothing shows someone whose `active` or `uses_ai` is unrecorded is out of scope: they count.
    in_scope = [p for p in facts.staff if p.active is not False and p.uses_ai is not False]
    if not in_scope:
        return Verdict(Status.NOT_ASSESSED, "No active member of staff works with AI.", metrics={"staff": 0})
    untrained = [p for p in in_scope if not any(d <= facts.as_of for d in p.ai_safety_completed)]
    rate = (len(in_scope) - len(untrained)) / len(in_scope)
    metrics = {"rate": round(rate, 6), "staff": len(in_scope), "trained": len(in_scope) - len(untrained)}
    found = evidence("people", ("employee_id", "name", "team", "role"),
                     [(p.employee_id, p.name, p.team, p.role) for p in untrained])
    status = rate_status(rate, settings.upskilling_pass_rate, settings.upskilling_warn_rate)
    teams = sorted({p.team or "no team" for p in untrained})
    gap = "" if not untrained else f"; {plural(len(untrained), 'person', 'people')} untrained, in " + named(
        f"{t} ({sum(1 for p in untrained if (p.team or 'no team') == t)})" for t in teams)
    return Verdict(status, f"{percent(rate)} of the {plural(len(in_scope), 'person', 'people')} working with AI "
                   f"completed AI-safety training{gap}.", 100 * rate, metrics, evidence=found,
                   score_of=f"of {plural(len(in_scope), 'active AI user')} trained in AI safety")


def _age(answer: Answer, facts: AssessmentFacts) -> int | None:
    if answer.answered_at is None or facts.cutoff is None:
        return None
    return max(0, (facts.cutoff - answer.answered_at).days)


def self_assessed(check_id: str):
    """The evaluate function of a check whose only evidence is the team lead's answer.

    For one team: yes = pass, partly = warn, no = fail, n/a = pass (with its comment), no
    current answer = not assessed. For all teams (those that reach customers): not assessed
    when no team has a current answer, fail when any says no, warn when any says partly or
    has no current answer, else pass.
    """

    def evaluate(facts: AssessmentFacts, settings: Settings) -> Verdict:
        given = facts.answers.get(check_id, ())
        current = {a.team: a for a in given if not a.stale}
        expired = {a.team for a in given if a.stale}
        if facts.team is not None:
            return _one_team(facts.team, current.get(facts.team), facts.team in expired, facts)
        return _all_teams(facts.teams, current, expired, facts)

    evaluate.__name__ = f"self_assessed_{check_id.split('.')[-1]}"
    return evaluate


COLUMNS = ("team", "answer", "comment", "answered_by", "answered_at", "age_days", "state")


def _row(team: str, answer: Answer | None, expired: bool, facts: AssessmentFacts, counted: bool = True) -> tuple:
    if answer is None:
        return (team, None, None, None, None, None, "answer expired" if expired else "no answer")
    state = "counted" if counted else "not counted: the team reaches no customer (no content or journey)"
    return (team, answer.answer, answer.comment, answer.answered_by, answer.answered_at, _age(answer, facts), state)


def _one_team(team: str, answer: Answer | None, expired: bool, facts: AssessmentFacts) -> Verdict:
    found = evidence("answers", COLUMNS, [_row(team, answer, expired, facts)])
    if answer is None:
        return Verdict(Status.NOT_ASSESSED, f"{team}'s answer has expired and needs renewing." if expired
                       else f"Not yet self-assessed by {team}.", metrics={"answers": 0}, evidence=found)
    status = ANSWER_STATUS[answer.answer]
    note = f": {answer.comment}" if answer.answer == "n/a" and answer.comment else ""
    return Verdict(status, f"Self-assessed '{answer.answer}' by {team}{note}.", metrics={"answers": 1},
                   owner=answer.answered_by, evidence=found)


def _all_teams(teams: tuple[str, ...], current: dict[str, Answer], expired: set[str],
               facts: AssessmentFacts) -> Verdict:
    owing = sorted(teams)
    rows = [_row(t, current.get(t), t in expired, facts) for t in owing]
    rows += [_row(t, a, False, facts, counted=False) for t, a in sorted(current.items()) if t not in teams]
    found = evidence("answers", COLUMNS, rows)
    answered = {t: current[t] for t in owing if t in current}
    missing = [t for t in owing if t not in current]
    metrics = {"teams": len(owing), "answers": len(answered), "missing": len(missing)}
    if not answered:
        return Verdict(Status.NOT_ASSESSED, "Not yet self-assessed by any team that reaches customers"
                       + (f" ({named(owing)})." if owing else "."), metrics=metrics, evidence=found)
    said = {word: [t for t, a in answered.items() if a.answer == word] for word in ANSWER_STATUS}
    parts = [f"{named(said[w])} {'answers' if len(said[w]) == 1 else 'answer'} {w}" for w in ("no", "partly")
             if said[w]]
    parts += [f"{named(missing)} {'has' if len(missing) == 1 else 'have'} no current answer"] if missing else []
    who = [a.answered_by for a in answered.values() if a.answer == "no"]
    if said["no"]:
        return Verdict(Status.FAIL, "; ".join(parts) + ".", metrics=metrics, owner=named(who) or None,
                       evidence=found)
    if said["partly"] or missing:
        return Verdict(Status.WARN, "; ".join(parts) + ".", metrics=metrics, evidence=found)
    return Verdict(Status.PASS, f"Every team that reaches customers answered yes or n/a ({named(owing)}).",
                   metrics=metrics, evidence=found)


def _gap(a, b, days: int, resumed: bool) -> str:
    """Which gap, and whether the cadence resumed after it."""
    if not resumed:
        return f"{days} days without a nudge since {a.isoformat()} (not resumed)"
    return f"{days} days between the nudges of {a.isoformat()} and {b.isoformat()} (resumed since)"


def advocacy_cadence(facts: AdvocacyFacts, settings: Settings) -> Verdict:
    nudges = [n for n in facts.nudges if n.sent_on <= facts.as_of]
    if not nudges:
        return Verdict(Status.NOT_ASSESSED, "No employee advocacy programme has started.", metrics={"nudges": 0})
    launch = nudges[0].sent_on
    start = window_start(launch, facts.as_of, settings)
    window = [n for n in nudges if n.sent_on >= start]
    before = [n for n in nudges if n.sent_on < start][-1:]
    sent = [n.sent_on for n in before + window]
    # The silence since the last nudge counts as a gap too, unless a nudge went out on the day itself.
    dates = sent + ([facts.as_of] if sent[-1] < facts.as_of else [])
    issues: list[tuple[str, object, str]] = []
    gaps = [(a, b, (b - a).days, b in sent) for a, b in pairwise(dates)]
    longest = max((d for _, _, d, _ in gaps), default=0)
    fail_gaps = [_gap(*g) for g in gaps if g[2] > settings.advocacy_fail_gap_days]
    warn_gaps = [_gap(*g) for g in gaps if settings.advocacy_warn_gap_days < g[2] <= settings.advocacy_fail_gap_days]
    issues += [("gap", g[0], _gap(*g)) for g in gaps if g[2] > settings.advocacy_warn_gap_days]
    off_posts = [n for n in window if n.recommended_posts is None
                 or not settings.advocacy_posts_min <= n.recommended_posts <= settings.advocacy_posts_max]
    issues += [("posts", n.sent_on, f"{n.nudge_id} ({n.sent_on.isoformat()}): {n.recommended_posts} recommended "
                "posts") for n in off_posts]
    no_stats = [n for n in window if n.includes_stats is not True]
    issues += [("statistics", n.sent_on, f"{n.nudge_id} ({n.sent_on.isoformat()}): no progress statistics")
               for n in no_stats]
    unapproved = not_approved(facts.shares, start, facts.as_of)
    issues += [("unapproved", s.shared_on, f"share {s.share_id} by {s.employee_id} on {s.shared_on.isoformat()}: "
                + ("content not approved" if s.approved_content is False else "approval not recorded"))
               for s in unapproved]
    current = {p.employee_id for p in facts.participants if p.active_on(facts.as_of)}
    recent_from = facts.as_of - timedelta(weeks=settings.advocacy_active_weeks)
    sharers = {s.employee_id for s in facts.shares if recent_from < s.shared_on <= facts.as_of} & current
    active = len(sharers) / len(current) if current else 0.0
    metrics = {"launch": launch.isoformat(), "nudges_in_window": len(window), "longest_gap_days": longest,
               "participants": len(current), "active_sharers": len(sharers), "active_share": round(active, 4),
               "unapproved_shares": len(unapproved), "nudges_off_posts": len(off_posts),
               "nudges_without_stats": len(no_stats)}
    quiet = active < settings.advocacy_active_share
    if quiet:
        issues.append(("participation", facts.as_of, f"{len(sharers)} of {len(current)} participants shared in "
                       f"the last {settings.advocacy_active_weeks} weeks"))
    found = evidence("issues", ("issue", "date", "detail"), sorted(issues, key=lambda i: (i[1], i[0])))
    if fail_gaps or unapproved:
        what = [f"{plural(len(fail_gaps), 'gap')} of over {settings.advocacy_fail_gap_days} days: "
                + named(fail_gaps)] if fail_gaps else []
        what += [f"{plural(len(unapproved), 'share')} of content not recorded as approved: "
                 + named(f"{s.share_id} ({s.shared_on.isoformat()})" for s in unapproved)] if unapproved else []
        return Verdict(Status.FAIL, "The advocacy cadence broke: " + "; ".join(what) + ".", metrics=metrics,
                       evidence=found)
    if warn_gaps or off_posts or no_stats or quiet:
        what = [named(warn_gaps)] if warn_gaps else []
        what += [f"{plural(len(off_posts), 'nudge')} outside {settings.advocacy_posts_min}-"
                 f"{settings.advocacy_posts_max} posts: " + named(n.nudge_id for n in off_posts)] if off_posts else []
        what += [f"{plural(len(no_stats), 'nudge')} without progress statistics: "
                 + named(n.nudge_id for n in no_stats)] if no_stats else []
        what += [f"only {len(sharers)} of {len(current)} participants shared in the last "
                 f"{settings.advocacy_active_weeks} weeks"] if quiet else []
        return Verdict(Status.WARN, "The advocacy cadence is slipping: " + "; ".join(what) + ".", metrics=metrics,
                       evidence=found)
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
        facts=PEOPLE, tables=PEOPLE.tables, stages=(), settings=("upskilling_pass_rate", "upskilling_warn_rate"),
        evaluate=upskilling,
    ),
    Check(
        id="culture.brand_voice", layer="culture", title="Brand voice and simplicity reinforced",
        question="Do teams keep AI-assisted content in the brand's plain, recognisable voice?",
        why="As AI multiplies content, inconsistency erodes trust faster than volume builds it. Fewer, clearer "
            "pieces in a recognisable, human voice outperform jargon and over-produced messaging.",
        remediation="Publish the voice and simplicity standard, build it into prompts and review checklists, "
                    "and sample AI-assisted content against it each month; then answer this check.",
        # Self-assessed: the answer decides the status; the readability and volume of published AI text
        # are shown beside it and make a `yes` an overclaim when they disagree (views.weekly.overclaims).
        facts=VOICE, tables=ASSESSMENT_TABLES, stages=(), team_scoped=True, self_assessed=True,
        settings=("voice_min_reading_ease", "voice_volume_ratio", "voice_window_weeks"),
        evaluate=brand_voice(self_assessed("culture.brand_voice")),
    ),
    Check(
        id="culture.workload_redesign", layer="culture", title="Workloads redesigned, not just accelerated",
        question="Has the work been reorganised around AI rather than simply sped up?",
        why="Efficiency pressure tempts teams to push the same work through faster. Without redesigning who "
            "does what, reviews get squeezed and quality, governance and trust give way first.",
        remediation="Map which tasks AI now supports and which judgements stay human (strategy, empathy, crisis "
                    "decisions, brand voice, accountability), and reset roles and review time to match; then "
                    "answer this check.",
        facts=ASSESSMENT, tables=ASSESSMENT_TABLES, stages=(), team_scoped=True, self_assessed=True,
        evaluate=self_assessed("culture.workload_redesign"),
    ),
    Check(
        id="culture.advocacy_cadence", layer="culture", title="Employee advocacy sustained",
        question="Does the employee advocacy programme keep a simple weekly rhythm on approved content?",
        why="Advocacy builds trust when it is simple and sustained: a weekly nudge with three or four "
            "recommended posts, only approved content, and participation that lasts beyond the launch. A "
            "lapse in cadence or an off-brand share undoes it.",
        remediation="Schedule the weekly nudge with a named sender and a backup, keep each to three or four "
                    "approved posts with the programme's progress statistics, remove unapproved content from "
                    "the share library (and record the approval of every post shared), and re-engage "
                    "participants who stopped sharing.",
        facts=ADVOCACY, tables=ADVOCACY.tables, stages=(),
        settings=("advocacy_window_weeks", "advocacy_fail_gap_days", "advocacy_warn_gap_days",
                  "advocacy_posts_min", "advocacy_posts_max", "advocacy_active_share", "advocacy_active_weeks"),
        team_scoped=False, evaluate=advocacy_cadence,
    ),
)
