"""python -m bot <command>: run (default), webhook, set-webhook, delete-webhook, migrate,
invite, backup, import, sync, job, api-token, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.runtime.config import SettingsError, load_settings
from bot.runtime.logs import configure_logging

logger = logging.getLogger("bot")
WEBHOOK_COMMANDS = ("webhook", "set-webhook", "delete-webhook")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="KAM Assistant")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (long polling); the default")
    sub.add_parser(
        "webhook", help="run the bot taking updates Telegram posts to WEBHOOK_URL (on HTTP_PORT)"
    )
    sub.add_parser(
        "set-webhook", help="tell Telegram to post updates to WEBHOOK_URL (once per deploy)"
    )
    sub.add_parser("delete-webhook", help="tell Telegram to stop posting updates (back to run)")
    sub.add_parser("migrate", help="apply database migrations")
    invite = sub.add_parser("invite", help="create a one-time invitation link")
    invite.add_argument("--role", required=True, choices=["manager", "supervisor"])
    invite.add_argument("--supervisor", type=int, help="the supervisor's Telegram id")
    invite.add_argument("--erp-name", help="the manager's name or code as the ERP writes it")
    backup = sub.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("file", type=Path)
    imp = sub.add_parser("import", help="import an ERP export (CSV or XLSX)")
    imp.add_argument(
        "kind",
        help="clients, contracts, orders, order_lines, shipments, payments, prices, plans, "
        "or bank (a 1CClientBankExchange statement)",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--snapshot", action="store_true", help="a full export: mark what it lacks removed"
    )
    sync = sub.add_parser("sync", help="sync with 1C over its OData interface now")
    sync.add_argument(
        "--full", action="store_true", help="every document, not only the look-back window"
    )
    sync.add_argument(
        "--entity", help="one kind (shipments) or 1C entity (Document_РеализацияТоваровУслуг)"
    )
    api_token = sub.add_parser("api-token", help="tokens of the HTTP ingest API")
    token_sub = api_token.add_subparsers(dest="action", required=True)
    token_create = token_sub.add_parser("create", help="make a token and print it (only once)")
    token_create.add_argument(
        "--name", required=True, help='who calls with it, e.g. "1C exchange"'
    )
    token_revoke = token_sub.add_parser("revoke", help="refuse a token's calls from now on")
    token_revoke.add_argument("token", help="the token's id or name (see list)")
    token_sub.add_parser("list", help="the tokens, their last use, whether revoked")
    job = sub.add_parser("job", help="run one scheduled job now, or as of --at")
    job.add_argument("name", help="deliver, housekeeping, …")
    job.add_argument(
        "--at",
        help="ISO time to run as of, e.g. 2026-12-01T09:00+03:00 (no offset: DEFAULT_TIMEZONE)",
    )
    demo = sub.add_parser(
        "demo",
        help="a demo company: chat with the bot in the terminal (with BOT_TOKEN: on Telegram)",
    )
    demo.add_argument(
        "--database", type=Path, default=Path("data/demo.db"), help="default: data/demo.db"
    )
    demo.add_argument("--reset", action="store_true", help="generate the demo company anew")
    demo.add_argument("--seed", type=int, help="another company (default: 2026)")
    demo.add_argument("--language", choices=["ru", "en"], help="default: DEFAULT_LANGUAGE")
    demo.add_argument(
        "--today", type=date.fromisoformat, help="YYYY-MM-DD the company is dated around"
    )
    demo.add_argument(
        "--files", type=Path, default=Path("data/demo-files"), help="where files are saved"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        if command in ("run", "invite", *WEBHOOK_COMMANDS) or (
            command == "job" and args.name == "deliver"
        ):
            settings.require_token()  # before anything else is loaded or logged
        if command in ("webhook", "set-webhook"):
            settings.require_webhook(serving=command == "webhook")
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    # The terminal demo talks on stdout: routine log lines would drown the conversation.
    terminal_demo = command == "demo" and settings.bot_token is None
    configure_logging("WARNING" if terminal_demo else settings.log_level, settings.log_format)
    from bot import cli  # imported late: aiogram and SQLAlchemy take a while to load

    try:
        if command == "run":
            asyncio.run(cli.run(settings))
        elif command == "webhook":
            asyncio.run(cli.webhook(settings))
        elif command == "set-webhook":
            print(asyncio.run(cli.set_webhook(settings)))
        elif command == "delete-webhook":
            print(asyncio.run(cli.delete_webhook(settings)))
        elif command == "migrate":
            asyncio.run(cli.migrate(settings))
        elif command == "invite":
            print(asyncio.run(cli.invite(settings, args.role, args.supervisor, args.erp_name)))
        elif command == "import":
            print(asyncio.run(cli.import_file(settings, args.kind, args.file, args.snapshot)))
        elif command == "sync":
            print(asyncio.run(cli.sync(settings, full=args.full, entity=args.entity)))
        elif command == "job":
            print(asyncio.run(cli.job(settings, args.name, args.at)))
        elif command == "api-token" and args.action == "create":
            print(asyncio.run(cli.api_token_create(settings, args.name)))
        elif command == "api-token" and args.action == "revoke":
            print(asyncio.run(cli.api_token_revoke(settings, args.token)))
        elif command == "api-token":
            print(asyncio.run(cli.api_token_list(settings)))
        elif command == "backup":
            asyncio.run(cli.backup(settings, args.file))
            print(f"Backup written to {args.file}")
        elif command == "demo":
            from bot.demo.run import DemoArgs, demo

            options = DemoArgs(
                database=args.database,
                reset=args.reset,
                seed=args.seed,
                language=args.language,
                today=args.today,
                files=args.files,
            )
            asyncio.run(demo(settings, options))
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except cli.CliError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
