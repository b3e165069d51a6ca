"""The ``fpbx-api`` command: serve, demo, keys, db, openapi."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fpbx_api import migrations
from fpbx_api.config import ConfigError, load_config
from fpbx_api.db import make_engine
from fpbx_api.fusionpbx import indexes
from fpbx_api.fusionpbx.models import ApiKey, Domain
from fpbx_api.http import keys
from fpbx_api.plugins import discover

MAX_DAYS = 36500  # a key's longest lifetime that is not "never" (100 years)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fpbx-api", description=__doc__)
    parser.add_argument("--config", help="TOML file (default: $FPBX_API_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API with gunicorn")
    serve.add_argument("--bind", default="127.0.0.1:8080")
    serve.add_argument("--workers", type=int, default=2)

    demo = sub.add_parser("demo", help="serve a SQLite demo domain example.com")
    demo.add_argument("--bind", default="127.0.0.1:8080")
    demo.add_argument("--database", default="fpbx-api-demo.sqlite")

    key = sub.add_parser("keys", help="per-domain API keys").add_subparsers(
        dest="action", required=True)
    create = key.add_parser("create", help="create a key (shown once)")
    create.add_argument("--domain", required=True, help="domain name or uuid")
    create.add_argument("--scope", action="append", choices=keys.SCOPES, default=[],
                        help="read (default), write, system; repeat to combine")
    create.add_argument("--name")
    create.add_argument("--expires-days", type=_days, metavar="DAYS",
                        help="expire after this many days (1 to 36500); none: never")
    listing = key.add_parser("list", help="list keys (never their secrets)")
    listing.add_argument("--domain")
    revoke = key.add_parser("revoke", help="revoke a key")
    revoke.add_argument("key_uuid")

    dbp = sub.add_parser("db", help="the API's own tables").add_subparsers(
        dest="action", required=True)
    dbp.add_parser("upgrade", help="create or upgrade v_api_keys (Alembic)")
    dbp.add_parser("indexes", help="create the indexes plugins declare (CONCURRENTLY)")

    spec = sub.add_parser("openapi", help="the OpenAPI document").add_subparsers(
        dest="action", required=True)
    write = spec.add_parser("write", help="write the spec as JSON")
    write.add_argument("path", nargs="?", default="openapi/openapi.json")

    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"fpbx-api: configuration error: {exc}", file=sys.stderr)
        return 2


def _days(text: str) -> int:
    """A key's lifetime: a whole number of days from 1 to MAX_DAYS. 0 must not read as
    "never" (leave the option out for that); a negative one would be born expired."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if not 1 <= days <= MAX_DAYS:
        raise argparse.ArgumentTypeError(
            f"must be 1 to {MAX_DAYS} days (leave --expires-days out for a key that "
            "never expires)")
    return days


def _config(args, **overrides):
    return load_config(args.config, overrides=overrides or None)


def _serve(args) -> int:
    from fpbx_api.server import run

    config = _config(args)
    run(config, bind=args.bind, workers=args.workers)
    return 0


def _demo(args) -> int:
    from fpbx_api.demo import run_demo

    return run_demo(args.database, args.bind)


def _keys(args) -> int:
    config = _config(args)
    with Session(make_engine(config["database"]["url"], config["database"])) as db:
        if args.action == "create":
            domain = _domain(db, args.domain)
            expires = (datetime.now(UTC) + timedelta(days=args.expires_days)
                       if args.expires_days is not None else None)
            row, secret = keys.create_key(db, domain.domain_uuid, scopes=args.scope,
                                          name=args.name, expires_at=expires)
            db.commit()
            print(f"key uuid: {row.api_key_uuid}\ndomain:   {domain.domain_name}\n"
                  f"scopes:   {row.scopes}\nexpires:  {expires or 'never'}\n"
                  f"API key:  {secret}\n"
                  "Store the key now: it is not shown again.")
        elif args.action == "list":
            stmt = select(ApiKey).order_by(ApiKey.insert_date)
            if args.domain:
                stmt = stmt.where(ApiKey.domain_uuid == _domain(db, args.domain).domain_uuid)
            for row in db.scalars(stmt):
                state = "revoked" if row.revoked_at else "active"
                print(f"{row.api_key_uuid}  {row.key_prefix}…  {row.scopes:<17} {state:<8}"
                      f" expires={row.expires_at or '-'} last_used={row.last_used_at or '-'}"
                      f"  {row.name or ''}")
        elif not keys.revoke(db, args.key_uuid):
            print("no such active key", file=sys.stderr)
            return 1
        else:
            db.commit()
            print("revoked")
    return 0


def _domain(db: Session, name: str) -> Domain:
    domain = db.scalars(select(Domain).where(
        (func.lower(Domain.domain_name) == name.lower())
        | (func.cast(Domain.domain_uuid, Domain.domain_name.type) == name))).first()
    if domain is None:
        raise SystemExit(f"fpbx-api: no domain {name!r}")
    return domain


def _db(args) -> int:
    config = _config(args)
    if args.action == "upgrade":
        migrations.upgrade(config["database"]["url"])
        print("v_api_keys is up to date")
        return 0
    plugins = discover(config["plugins"]["disabled"], fail_on_error=True).loaded
    for index, outcome, size in indexes.ensure(config["database"]["url"], plugins):
        print(f"{index.name:<44} {outcome:<22} {size:>8}  {index.table}: {index.purpose}")
    return 0


def _openapi(args) -> int:
    from fpbx_api.app import create_app
    from fpbx_api.http.openapi import write_spec

    config = _config(args, database={"url": "sqlite://"})
    write_spec(create_app(config), args.path)
    print(f"wrote {args.path}")
    return 0


COMMANDS = {"serve": _serve, "demo": _demo, "keys": _keys, "db": _db, "openapi": _openapi}


if __name__ == "__main__":
    sys.exit(main())
