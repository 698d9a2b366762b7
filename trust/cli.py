"""The `trust` command line: the same engine as the app, as a gate for orchestrators and CI."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from trust import configuration, engine, lookups
from trust.checks.model import Status
from trust.configuration import ConfigProblem
from trust.databases import open_database
from trust.extracts.database import Database
from trust.extracts.errors import ExtractsUnavailable
from trust.extracts.loading import ABSENT, OK, Extracts
from trust.logs import one_line_logging
from trust.settings import DEMO_EXTRACTS, Settings, load_settings
from trust.views import news, report

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="trust", description="Check whether marketing's AI can be defended.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = commands.add_parser("validate", help="list every contract error, table by table")
    validate.add_argument("--extracts", type=Path, help="extracts folder (default: TRUST_EXTRACTS)")

    check = commands.add_parser("check", help="run every trust check; exit 1 when one fails")
    check.add_argument("--extracts", type=Path, help="extracts folder (default: TRUST_EXTRACTS)")
    check.add_argument("--as-of", type=_day, help="evaluate as of this date, YYYY-MM-DD (default: latest snapshot)")
    check.add_argument("--team", help="evaluate for one team (default: all teams)")
    check.add_argument("--format", choices=("table", "json", "junit"), default="table", help="output format")
    check.add_argument("--fail-on", choices=("fail", "warn"), default="fail",
                       help="lowest status that makes the exit code 1 (default: fail)")

    pack = commands.add_parser("report", help="write the weekly leadership pack (PDF, HTML or Markdown)")
    pack.add_argument("--extracts", type=Path, help="extracts folder (default: TRUST_EXTRACTS)")
    pack.add_argument("--as-of", type=_day, help="the week, YYYY-MM-DD (default: latest snapshot)")
    pack.add_argument("--team", help="the pack of one team (default: all teams)")
    pack.add_argument("--format", choices=("pdf", "html", "md"), default="pdf", help="output format (default: pdf)")
    pack.add_argument("--out", type=Path, help="file to write (default: trust-pack-DATE.FORMAT here; md and html "
                                               "go to standard output with --out -)")
    pack.add_argument("--send-to", action="append", metavar="ADDRESS",
                      help="e-mail the PDF to this address (again for more) instead of writing a file")

    preflight = commands.add_parser("preflight", help="pre-flight one journey; exit 1 when it fails")
    preflight.add_argument("--journey", required=True, help="the journey_id to check")
    preflight.add_argument("--extracts", type=Path, help="extracts folder (default: TRUST_EXTRACTS)")
    preflight.add_argument("--as-of", type=_day, help="judge against the snapshot current at this date")
    preflight.add_argument("--format", choices=("table", "json"), default="table", help="output format")

    audit = commands.add_parser("audit", help="the audit log of self-assessments and reviews")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    verify = audit_commands.add_parser("verify", help="check the hash chain; exit 1 at the first broken entry")
    verify.add_argument("--state", type=Path, help="state store (default: TRUST_STATE)")
    verify.add_argument("--key", type=Path, help="audit key file (default: TRUST_AUDIT_KEY_FILE)")

    demo = commands.add_parser("demo", help="write the demo extracts")
    demo.add_argument("--out", type=Path, default=DEMO_EXTRACTS,
                      help=f"folder to write (default: {DEMO_EXTRACTS})")
    demo.add_argument("--customers", type=_positive, default=20_000,
                      help="customers per snapshot (default: 20000; 1000000 for the scale set)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    demo.add_argument("--latest", type=_day, help="date of the latest weekly snapshot, YYYY-MM-DD "
                      "(default: 2026-11-22, so that the same arguments always give the same files)")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else _bad_day(text)
    except ValueError:
        return _bad_day(text)


def _bad_day(text: str) -> date:
    raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, found {text!r}")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, found {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    one_line_logging()
    try:
        args = build_parser().parse_args(argv)
        if args.command == "demo":
            return _demo(args)
        if args.command == "audit":
            return _audit_verify(load_settings(state=args.state, audit_key_file=args.key))
        settings = load_settings(extracts=getattr(args, "extracts", None))
        if args.command == "check":
            return _check(settings, args)
        if args.command == "report":
            return _report(settings, args)
        if args.command == "preflight":
            return _preflight(settings, args)
        return _validate(settings)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:
        print(f"trust: invalid setting: {_first_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except (ExtractsUnavailable, ConfigProblem) as exc:
        print(f"trust: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader (`head`, a closed pipe) has gone: nothing to report
        sys.stderr.close()
        return EXIT_OK


def open_extracts(settings: Settings) -> tuple[Database, Extracts]:
    """The database and loaded extracts in force; the demo is written first when it is missing."""
    configuration.extracts(settings)
    if settings.uses_demo and not settings.reads_catalog and not settings.extracts_path.exists():
        from trust.demo import write_demo

        print(f"trust: writing the demo extracts to {settings.extracts_path} (first use)", file=sys.stderr)
        write_demo(settings.extracts_path)
    database = open_database(settings)
    return database, database.load()


def _validate(settings: Settings) -> int:
    _, extracts = open_extracts(settings)
    print(f"Extracts: {extracts.root}")
    for table in extracts.tables.values():
        if table.status == OK:
            files = f"{len(table.files)} file{'s' if len(table.files) != 1 else ''}"
            print(f"  ok      {table.name:<22} {table.rows:>12,} rows  {files}")
        elif table.status == ABSENT:
            print(f"  absent  {table.name:<22} (optional; absent means no such records)")
        else:
            print(f"  ERROR   {table.name}")
            for error in table.errors:
                print(f"            {error}")
    count = len(extracts.errors)
    if count:
        broken = sum(1 for t in extracts.tables.values() if t.errors)
        print(f"{count} contract error{'s' if count != 1 else ''} in {broken} table{'s' if broken != 1 else ''}.")
        return EXIT_FAILED
    print("No contract errors.")
    return EXIT_OK


def _check(settings: Settings, args: argparse.Namespace) -> int:
    database, extracts = open_extracts(settings)
    if args.team is not None:
        known = lookups.teams(database, extracts, settings)
        if args.team not in known:
            raise UsageError(f"trust check: unknown team {args.team!r}; teams: {', '.join(known) or 'none'}")
    state, actions = recorded(settings)
    evaluation, previous = engine.this_week(database, extracts, settings, args.as_of, args.team, state=state)
    if args.format == "json":
        payload = report.as_json(evaluation, extracts.errors)
        payload["changes"] = report.plain(news.as_dict(news.for_week(database, extracts, settings, evaluation,
                                                                      previous, state, actions)))
        print(report.dumps(payload))
    elif args.format == "junit":
        print(report.as_junit(evaluation, args.fail_on))
    else:
        print(report.as_table(evaluation, extracts.errors))
    failing = {Status.FAIL, Status.ERROR} | ({Status.WARN} if args.fail_on == "warn" else set())
    return EXIT_FAILED if any(r.status in failing for r in evaluation.results) else EXIT_OK


def _report(settings: Settings, args: argparse.Namespace) -> int:
    from trust.views import pack, static_chart

    database, extracts = open_extracts(settings)
    if args.team is not None and args.team not in lookups.teams(database, extracts, settings):
        raise UsageError(f"trust report: unknown team {args.team!r}")
    state, actions = recorded(settings)
    try:
        week = pack.assemble(database, extracts, settings, args.as_of, args.team, state, actions)
    except static_chart.ChartNotDrawn as exc:  # Chromium, which draws the pack's chart, is there but fails
        raise UsageError(f"trust report: no pack: its chart could not be drawn: {exc}") from None
    if args.send_to:
        from trust.delivery import SendError, message, send

        try:
            send(settings, args.send_to, message(week, pack.pdf(week), settings.smtp_from or "", args.send_to))
        except SendError as exc:
            print(f"trust report: not sent: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"Sent the weekly pack for {week.current.as_of.isoformat()} to {', '.join(args.send_to)}.")
        return EXIT_OK
    if str(args.out) == "-" and args.format != "pdf":
        sys.stdout.write(pack.render(week, args.format))
        return EXIT_OK
    out = args.out or Path(f"trust-pack-{week.current.as_of.isoformat()}{'-' + args.team if args.team else ''}"
                           f".{args.format}")
    try:
        if args.format == "pdf":
            out.write_bytes(pack.pdf(week))
        else:
            out.write_text(pack.render(week, args.format), encoding="utf-8")
    except OSError as exc:
        print(f"trust report: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote the weekly pack for {week.current.as_of.isoformat()} to {out}.")
    return EXIT_OK


def _preflight(settings: Settings, args: argparse.Namespace) -> int:
    database, extracts = open_extracts(settings)
    as_of = args.as_of or lookups.default_as_of(database, extracts)
    try:
        gate = lookups.preflight_journey(database, extracts, settings, args.journey, as_of)
    except lookups.TableUnavailable as exc:
        print(f"trust preflight: cannot run: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if gate is None:
        raise UsageError(f"trust preflight: there is no journey {args.journey!r} in journeys")
    if args.format == "json":
        print(report.dumps(report.preflight_json(args.journey, gate, as_of)))
    else:
        print(report.preflight_table(args.journey, gate, as_of))
    if gate.reason:  # a go-live gate never passes on what it could not see
        return EXIT_FAILED
    return EXIT_FAILED if gate.status is Status.FAIL else EXIT_OK


def _audit_verify(settings: Settings) -> int:
    from trust.state.assessments import verify

    store = configuration.existing_store(settings)
    if store is None:
        print(f"trust audit verify: there is no state store at {settings.state}", file=sys.stderr)
        return EXIT_USAGE
    result = verify(store)
    print(result)
    return EXIT_OK if result.ok else EXIT_FAILED


def recorded(settings: Settings) -> tuple:
    """The dashboard's recorded answers, reviews and actions, if a state store exists (never created here).

    A store that exists but cannot be read stops the command (exit 2): its verdicts would otherwise count the
    recorded answers and reviews as missing."""
    from trust.state.actions import actions
    from trust.state.assessments import state

    store = configuration.existing_store(settings)
    if store is None:
        return None, ()
    try:
        return state(store), actions(store)
    except sqlite3.Error as exc:
        raise ConfigProblem("TRUST_STATE", f"{settings.state} cannot be read ({exc})", configuration.RESTORE) from None


def _demo(args: argparse.Namespace) -> int:
    from trust.demo import write_demo

    try:
        dated = {"latest": args.latest} if args.latest else {}
        summary = write_demo(args.out, customers=args.customers, seed=args.seed, **dated)
    except ValueError as exc:
        print(f"trust demo: {exc}", file=sys.stderr)
        return EXIT_USAGE
    total = sum(summary.rows.values())
    print(f"Wrote the demo extracts to {summary.out}: {len(summary.rows)} tables, "
          f"{total:,} rows in {summary.seconds:.1f} s.")
    return EXIT_OK


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    return f"TRUST_{'.'.join(str(p) for p in error['loc']).upper()}: {error['msg']}"


if __name__ == "__main__":
    sys.exit(main())
