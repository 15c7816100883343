"""``python -m cardhelper --origin https://<the complaint system>``: start the ID-card helper.

See cardhelper/README.md. ``--simulate`` answers with a simulated card (demos, no reader).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from cardhelper.pcsc import PYSCARD_MISSING, PcscReader, pyscard_available
from cardhelper.server import DEFAULT_PORT, HOST, CardHelper, Pairing, TokenStore, make_server
from cardhelper.simulated import SimulatedCard, SimulatedReader

DEFAULT_STATE_DIR = Path.home() / ".damrongdhama-cardhelper"


def announce(code: str) -> None:
    print(
        f"\n  รหัสจับคู่ (pairing code): {code}\n  กรอกรหัสนี้ในหน้ารับเรื่องเมื่อกด “อ่านบัตรประชาชน” ครั้งแรก (ใช้ได้ครั้งเดียว)\n",
        flush=True,
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m cardhelper", description="Read Thai national ID cards for the intake page."
    )
    p.add_argument(
        "--origin", action="append", default=[], required=True, metavar="URL",
        help="the complaint system's address, e.g. https://damrongdhama.example.go.th (repeatable)",
    )  # fmt: skip
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on {HOST} (default {DEFAULT_PORT})")
    p.add_argument("--host", default=HOST, help=f"only {HOST} is accepted: the card never reaches the network")
    p.add_argument("--reader", default="", metavar="NAME", help="use the reader whose name contains NAME")
    p.add_argument("--simulate", action="store_true", help="answer with a simulated card (demos, tests)")
    p.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help=f"where paired browsers are kept ({DEFAULT_STATE_DIR})",
    )
    p.add_argument("--unpair", action="store_true", help="forget every paired browser, then start")
    p.add_argument("--verbose", action="store_true", help="log every request")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(message)s")
    if args.simulate:
        reader = SimulatedReader(SimulatedCard())
    else:
        reader = PcscReader(args.reader)
        if not pyscard_available():
            logging.warning(PYSCARD_MISSING)
    tokens = TokenStore(args.state_dir / "tokens.json")
    if args.unpair:
        tokens.clear()
    try:
        helper = CardHelper(reader=reader, origins=args.origin, tokens=tokens, pairing=Pairing(announce))
        server = make_server(helper, host=args.host, port=args.port)
    except ValueError as error:
        print(f"cardhelper: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"cardhelper: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(
        f"Card helper on {server.url} for {', '.join(sorted(helper.origins))}"
        f"{' (simulated card)' if args.simulate else ''}; {len(tokens)} paired browser(s). Ctrl+C stops it.",
        flush=True,
    )
    announce(helper.pairing.code)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
