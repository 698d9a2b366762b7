"""The engine: collect each family of facts once for every (as-of, team) cell, judge each check, score the stack."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from trust.checks.field_scores import FieldScore, field_scores, overall, uniqueness
from trust.checks.journeys import journey_status
from trust.checks.model import Check, Result, Status, Verdict
from trust.checks.pilots import proven_pilots
from trust.checks.registry import BY_ID, CHECKS
from trust.extracts.database import Database
from trust.extracts.loading import BROKEN, Extracts
from trust.facts.anomalies import ANOMALIES, Anomaly
from trust.facts.answers import State
from trust.facts.calendar import Cell, current_snapshot
from trust.facts.collector import Collector
from trust.facts.content import CONTENT, ApprovalSlice, ContentCounts
from trust.facts.credibility import CLAIMS, FAKES
from trust.facts.measurement import MEASUREMENT
from trust.facts.model import Family, Request
from trust.facts.preflight import PREFLIGHT, JourneyPreflight
from trust.facts.signal import SIGNAL
from trust.facts.voice import VOICE
from trust.lookups import default_as_of, snapshots
from trust.scoring import LayerScore, Readiness, layer_scores, readiness
from trust.settings import Settings

log = logging.getLogger(__name__)

# The families whose figures the pages show even where no check can be judged on them.
FIGURES: tuple[Family, ...] = (SIGNAL, PREFLIGHT, CONTENT)
# The order in which an engine that runs statements at once (`lanes`, DuckDB's) takes the families: each lane (a
# cursor and thread) takes the next family when it is done with one, the costliest first, so that no lane is left
# with a long one at the end (one date: the audit trails; eight: pre-flight's audiences). Brand voice, mostly
# Python (reading ease), comes before the cheap rest, while the other lane's statements keep the cores busy.
# The others follow in checklist order.
FIRST: tuple[Family, ...] = (CONTENT, PREFLIGHT, SIGNAL, CLAIMS, VOICE)
# Families that read the same tables of an evaluation (temporary tables of one cursor) are taken together, by one
# lane, one after the other: pre-flight and fake users share each journey's audience and the members it stops.
TOGETHER: tuple[tuple[Family, ...], ...] = ((PREFLIGHT, FAKES),)
# Families whose dates are judged each on its own and cost much per date: over several dates, two lanes take half of
# them each (an 8-week trend's pre-flight, each date's audiences on its own snapshot, would keep one lane busy long
# after the other is done).
SPLIT: tuple[Family, ...] = (PREFLIGHT,)
# The check whose figures the content facts' approval counts are (compliance by week, team, channel, context).
APPROVAL_CHECK = "governance.approval_compliance"


@dataclass(frozen=True)
class Evaluation:
    """Every check as of one date for one team (or all), with the figures the pages show."""

    as_of: date
    team: str | None
    snapshot: date | None
    results: tuple[Result, ...]
    readiness: Readiness
    layers: tuple[LayerScore, ...]
    signal_scores: tuple[FieldScore, ...] = ()
    signal_score: float | None = None
    uniqueness: float | None = None
    journeys: tuple[tuple[JourneyPreflight, Status], ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    content: ContentCounts | None = None
    approval_breakdown: tuple[ApprovalSlice, ...] = ()
    proven_pilots: tuple[str, ...] = ()

    def result(self, check_id: str) -> Result:
        return next(r for r in self.results if r.id == check_id)

    @property
    def approval(self) -> dict[str, object]:
        c = self.content
        if c is None:
            return {"rate": None, "requiring_approval": None, "compliant": None}
        return {"rate": c.compliant / c.requiring if c.requiring else None,
                "requiring_approval": c.requiring, "compliant": c.compliant,
                "by": {dimension: [{"value": s.value, "requiring_approval": s.requiring, "compliant": s.compliant,
                                    "rate": s.rate} for s in self.approval_breakdown if s.dimension == dimension]
                       for dimension in ("week", "team", "channel", "context")}}


def evaluate(db: Database, extracts: Extracts, settings: Settings, as_of: date | None = None,
             team: str | None = None, evidence_limit: int = 50, state: State | None = None) -> Evaluation:
    """The whole catalogue as of `as_of` (default: the latest snapshot) for `team` (None = all)."""
    cell = Cell(as_of or default_as_of(db, extracts), team)
    return evaluate_cells(db, extracts, settings, [cell], {cell}, evidence_limit, state, figures=True)[cell]


def this_week(db: Database, extracts: Extracts, settings: Settings, as_of: date | None = None,
              team: str | None = None, evidence_limit: int = 50,
              state: State | None = None) -> tuple[Evaluation, Evaluation | None]:
    """The catalogue as of `as_of` with its failing records, and as of the snapshot before it (None
    without one), in one pass: a week and what it is compared with."""
    until = as_of or default_as_of(db, extracts)
    cells = [Cell(d, team) for d in [*[s for s in snapshots(db, extracts) if s < until][-1:], until]]
    evaluated = evaluate_cells(db, extracts, settings, cells, {cells[-1]}, evidence_limit, state, figures=True)
    return evaluated[cells[-1]], evaluated[cells[0]] if len(cells) > 1 else None


def trend(db: Database, extracts: Extracts, settings: Settings, weeks: int = 8, until: date | None = None,
          team: str | None = None, state: State | None = None, figures: bool = False) -> tuple[Evaluation, ...]:
    """The catalogue as of `until` and the snapshots before it, `weeks` dates in all, in one pass.

    Without `figures` only what the checks need is collected; with it, also the page figures.
    """
    until = until or default_as_of(db, extracts)
    days = [s for s in snapshots(db, extracts) if s < until][-(weeks - 1):] if weeks > 1 else []
    cells = [Cell(d, team) for d in [*days, until]]
    evaluated = evaluate_cells(db, extracts, settings, cells, set(), 0, state, figures)
    return tuple(evaluated[c] for c in cells)


def by_team(db: Database, extracts: Extracts, settings: Settings, as_of: date, team_names: Iterable[str],
            state: State | None = None) -> dict[str, Evaluation]:
    """The catalogue for each team as of one date, computed in one pass (the team-by-check grid)."""
    cells = [Cell(as_of, t) for t in team_names]
    evaluated = evaluate_cells(db, extracts, settings, cells, set(), 0, state)
    return {c.team: evaluated[c] for c in cells}


def families(extracts: Extracts, figures: bool = False) -> tuple[Family, ...]:
    """The families an evaluation collects, in checklist order: those of the checks whose tables are not
    broken, and with `figures` those the pages show."""
    wanted = [c.facts for c in CHECKS if _ready(c, extracts)] + (list(FIGURES) if figures else [])
    return tuple(dict.fromkeys(wanted))


def records(family: Family) -> tuple:
    """The records queries of the family's checks, each run for the cells whose failing records are listed."""
    return tuple(c.records for c in CHECKS if c.facts is family and c.records is not None)


def evaluate_cells(db: Database, extracts: Extracts, settings: Settings, cells: list[Cell],
                   evidence_cells: set[Cell], evidence_limit: int = 50, state: State | None = None,
                   figures: bool = False) -> dict[Cell, Evaluation]:
    """Every check for every cell, each family's queries run once for all cells.

    `figures` adds what only the pages show (field scores, pre-flight and approval figures
    even where their check cannot be judged); the checks themselves never need it.
    """
    facts: dict[Family, dict] = {}
    failures: dict[Family, str] = {}

    def collect(queue: deque[tuple[tuple[Family, ...], tuple[Cell, ...]]]) -> None:
        """Collect families, taking each unit from the queue, on a cursor of this lane, until none is left."""
        with db.cursor(extracts) as cursor:
            collector = Collector(db, extracts, settings, cursor, evidence_limit)
            while queue:
                try:
                    unit, part = queue.popleft()  # atomic: two lanes never take the same unit
                except IndexError:
                    return
                for family in unit:
                    request = Request(part, frozenset(evidence_cells), records(family), state)
                    try:
                        found = family.collect(collector, request)
                        with lock:  # a SPLIT family's halves come from two lanes
                            facts.setdefault(family, {}).update(found)
                    except Exception as exc:  # one family's failure must not blank the others
                        log.exception("collecting %s facts failed", family.name)
                        failures[family] = f"the {family.name} facts could not be computed: {_first_line(exc)}"

    wanted = [f for f in families(extracts, figures) if f.ready(extracts)]
    lock = threading.Lock()
    if db.lanes < 2:
        collect(deque([(tuple(wanted), tuple(cells))]))
    else:
        queue = deque(units(wanted, tuple(cells)))
        with ThreadPoolExecutor(db.lanes - 1, thread_name_prefix="lane") as pool:
            others = [pool.submit(collect, queue) for _ in range(db.lanes - 1)]
            collect(queue)
            for lane in others:
                lane.result()
    return {cell: _evaluation(cell, extracts, settings, facts, failures) for cell in cells}


def units(wanted: list[Family], cells: tuple[Cell, ...]) -> list[tuple[tuple[Family, ...], tuple[Cell, ...]]]:
    """The families in the order lanes take them (FIRST, then checklist order), those of a TOGETHER group in one
    unit at the place of its first, each with the cells it is collected for: a unit of a SPLIT family twice over
    several dates, each time for half of them."""
    ranked = sorted(wanted, key=lambda f: FIRST.index(f) if f in FIRST else len(FIRST))
    found: list[tuple[Family, ...]] = []
    for family in ranked:
        group = next((g for g in TOGETHER if family in g), (family,))
        unit = tuple(f for f in group if f in wanted)
        if unit not in found:
            found.append(unit)
    days = sorted({c.as_of for c in cells})
    halves = [days[: len(days) // 2], days[len(days) // 2:]] if len(days) > 1 else [days]
    return [(unit, tuple(c for c in cells if c.as_of in part))
            for unit in found for part in (halves if any(f in SPLIT for f in unit) else [days])]


def _ready(check: Check, extracts: Extracts) -> bool:
    return not any(extracts.table(t).status == BROKEN for t in check.tables)


def _evaluation(cell: Cell, extracts: Extracts, settings: Settings, facts: dict[Family, dict],
                failures: dict[Family, str]) -> Evaluation:
    results = tuple(_judge(check, cell, extracts, settings, facts, failures) for check in CHECKS)
    measured = facts.get(MEASUREMENT, {}).get(cell)
    proven = proven_pilots(measured.pilots, cell.as_of) if measured else ()
    signal = facts.get(SIGNAL, {}).get(cell.as_of)
    scores = field_scores(signal) if signal else ()
    preflight = facts.get(PREFLIGHT, {}).get(cell)
    anomalies = facts.get(ANOMALIES, {}).get(cell.as_of)
    content = facts.get(CONTENT, {}).get(cell)
    if content is not None and not _ready(BY_ID[APPROVAL_CHECK], extracts):
        content = None  # the approval figures are that check's: none beside its error (a table it reads broke)
    snaps = anomalies.snapshots if anomalies else ()
    recent = set(sorted(snaps)[-settings.anomaly_lookback_snapshots:])
    return Evaluation(
        as_of=cell.as_of, team=cell.team,
        snapshot=signal.snapshot if signal else current_snapshot(snaps, cell.as_of),
        results=results, readiness=readiness(results, proven), layers=layer_scores(results),
        signal_scores=scores, signal_score=overall(scores), uniqueness=uniqueness(signal) if signal else None,
        journeys=tuple((j, journey_status(j, settings)) for j in preflight.journeys) if preflight else (),
        anomalies=tuple(a for a in anomalies.anomalies if a.snapshot_date in recent) if anomalies else (),
        content=content.counts if content else None,
        approval_breakdown=content.breakdown if content else (),
        proven_pilots=proven,
    )


def _judge(check: Check, cell: Cell, extracts: Extracts, settings: Settings, facts: dict[Family, dict],
           failures: dict[Family, str]) -> Result:
    scope = "team" if check.team_scoped and cell.team is not None else "organisation"
    broken = [extracts.table(t) for t in check.tables if extracts.table(t).status == BROKEN]
    if broken:
        first = broken[0].errors[0] if broken[0].errors else None
        more = sum(len(t.errors) for t in broken) - 1
        message = (f"Cannot be judged: {first}" if first else f"Cannot be judged: {broken[0].name} is broken")
        message += f" (and {more} more contract error{'s' if more != 1 else ''})" if more > 0 else ""
        return Result.of(check, Verdict(Status.ERROR, message, metrics={"broken_tables": [t.name for t in broken]}),
                         scope)
    if check.facts in failures:
        return Result.of(check, Verdict(Status.ERROR, failures[check.facts]), scope)
    found = facts.get(check.facts, {}).get(check.facts.key(cell))
    if found is None:
        return Result.of(check, Verdict(Status.ERROR, f"No {check.facts.name} facts were collected."), scope)
    try:
        return Result.of(check, check.evaluate(found, settings), scope)
    except Exception as exc:  # a bug in one check becomes an error result, never a blank dashboard
        log.exception("check %s failed", check.id)
        return Result.of(check, Verdict(Status.ERROR, f"The check failed: {_first_line(exc)}"), scope)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
