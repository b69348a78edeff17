#!/usr/bin/python3
"""Test SMTP server for scripts/test and the mail fault tests (aiosmtpd on loopback).

Listens on 127.0.0.1 in up to three modes (--modes, default all three) on
free ports chosen by the kernel:
  plain     no TLS, no AUTH
  starttls  STARTTLS required, then AUTH PLAIN or LOGIN required
  implicit  TLS from the first byte (port 465 style), AUTH LOGIN only
With a single mode, --port picks its port, so a test can stop the server and
start it again on the same port ("the server is down, then comes back").
Every accepted message becomes one JSON file in the spool directory:
  {"mode", "auth_user", "mail_from", "rcpt_tos", "mail_options", "message_id",
   "data_base64"}
written under a temporary name and renamed, so a reader never sees half a file.

When all ports listen, "<mode> 127.0.0.1:<port>" lines are written to the
ready file (again via a rename). The AUTH password comes from the
environment (RESELLERDESK_TEST_SMTP_PASSWORD), never the command line; it,
--cert, --key and --user are needed only for the TLS modes.

--control adds a "control 127.0.0.1:<port>" line: a loopback port taking one
JSON object per line and answering one JSON line ({"ok": true, "stats": {...}}
or {"ok": false, "error": "..."}) once the change is in effect, so a test
never races the server. The keys of a request (all optional):
  "reset": true              clears every fault below
  "tempfail": N              the next N transactions get 451 ...
  "tempfail_at": "rcpt"      ... at RCPT TO (the default) or "data" (after the
                             message, which is then not spooled)
  "permfail": "regex"        recipients matching it get 550 at RCPT TO (null: off)
  "cut_after_data": N        the next N messages are spooled, then the
                             connection is dropped without the final reply
  "stall_data": N            the next N messages are spooled, then the server
  "stall_marker": "path"     never answers; it creates the marker file first
  "flap": {"probability": p, "seed": s}
                             each new connection fails with probability p
                             (seeded, so a run is repeatable): closed before
                             the greeting, a 421 greeting, or 451 at RCPT TO;
                             null turns it off
An empty object only reads the counters ("stats").
--exit-with-parent stops the server when the process that started it dies.
"""

import argparse
import asyncio
import base64
import email.parser
import email.policy
import itertools
import json
import logging
import os
import random
import re
import signal
import ssl
import sys
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

MODES = ("plain", "starttls", "implicit")


class Faults:
    """What the control port asked for, and what happened (the stats)."""

    def __init__(self):
        self.reset()
        self.stats = dict.fromkeys(
            (
                "connections",
                "accepted",
                "tempfailed",
                "permfailed",
                "cut",
                "stalled",
                "dropped",
                "busy",
            ),
            0,
        )

    def reset(self):
        self.tempfail = 0
        self.tempfail_at = "rcpt"
        self.permfail = None
        self.cut_after_data = 0
        self.stall_data = 0
        self.stall_marker = None
        self.flap_probability = 0.0
        self.flap_random = None

    def apply(self, request):
        if not isinstance(request, dict):
            raise ValueError("a request is a JSON object")
        known = {
            "reset",
            "tempfail",
            "tempfail_at",
            "permfail",
            "cut_after_data",
            "stall_data",
            "stall_marker",
            "flap",
        }
        unknown = set(request) - known
        if unknown:
            raise ValueError("unknown keys: " + ", ".join(sorted(unknown)))
        if request.get("reset"):
            self.reset()
        if "tempfail" in request:
            self.tempfail = int(request["tempfail"])
        if "tempfail_at" in request:
            if request["tempfail_at"] not in ("rcpt", "data"):
                raise ValueError("tempfail_at is rcpt or data")
            self.tempfail_at = request["tempfail_at"]
        if "permfail" in request:
            pattern = request["permfail"]
            self.permfail = re.compile(pattern) if pattern else None
        if "cut_after_data" in request:
            self.cut_after_data = int(request["cut_after_data"])
        if "stall_data" in request:
            self.stall_data = int(request["stall_data"])
        if "stall_marker" in request:
            self.stall_marker = request["stall_marker"]
        if "flap" in request:
            flap = request["flap"]
            if flap:
                self.flap_probability = float(flap["probability"])
                self.flap_random = random.Random(int(flap["seed"]))
            else:
                self.flap_probability = 0.0
                self.flap_random = None

    def connection_fault(self):
        """None, or how this new connection fails while flapping."""
        self.stats["connections"] += 1
        if self.flap_random is None:
            return None
        # Two draws per connection whatever the outcome, so the sequence of
        # faults depends only on the seed and the number of connections.
        failing = self.flap_random.random() < self.flap_probability
        kind = self.flap_random.choice(("drop", "busy", "tempfail"))
        return kind if failing else None

    def take(self, name):
        """Consumes one of the counted faults, if any is left."""
        left = getattr(self, name)
        if left > 0:
            setattr(self, name, left - 1)
            return True
        return False


class Refuser(asyncio.Protocol):
    """A flapping server's failed connection: closed, maybe after a 421."""

    def __init__(self, greeting):
        self.greeting = greeting

    def connection_made(self, transport):
        if self.greeting:
            transport.write(self.greeting)
            transport.close()
        else:
            transport.abort()


def write_atomically(path, text):
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
    os.rename(temporary, path)


class SpoolHandler:
    counter = itertools.count()

    def __init__(self, spool, mode, faults=None, flap_tempfail=False):
        self.spool = spool
        self.mode = mode
        self.faults = faults
        self.flap_tempfail = flap_tempfail

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        faults = self.faults
        if faults is not None:
            if faults.permfail is not None and faults.permfail.search(address):
                faults.stats["permfailed"] += 1
                return "550 5.1.1 Mailbox unavailable (injected fault)"
            if self.flap_tempfail or (faults.tempfail_at == "rcpt" and faults.take("tempfail")):
                faults.stats["tempfailed"] += 1
                return "451 4.3.0 Temporary failure, try again later (injected fault)"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        faults = self.faults
        if faults is not None and faults.tempfail_at == "data" and faults.take("tempfail"):
            faults.stats["tempfailed"] += 1
            return "451 4.3.0 Temporary failure, try again later (injected fault)"
        self.store(session, envelope)
        if faults is not None:
            if faults.take("cut_after_data"):
                faults.stats["cut"] += 1
                server.transport.abort()
                await asyncio.Event().wait()  # cancelled by connection_lost
            if faults.take("stall_data"):
                faults.stats["stalled"] += 1
                if faults.stall_marker:
                    write_atomically(faults.stall_marker, envelope.rcpt_tos[0] + "\n")
                await asyncio.Event().wait()  # until the client goes away
            faults.stats["accepted"] += 1
        return "250 2.0.0 Message accepted"

    def store(self, session, envelope):
        user = session.auth_data.decode() if isinstance(session.auth_data, bytes) else None
        parsed = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(
            envelope.original_content
        )
        record = {
            "mode": self.mode,
            "auth_user": user,
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "mail_options": list(envelope.mail_options),
            "message_id": (parsed.get("Message-ID") or "").strip(),
            "data_base64": base64.b64encode(envelope.original_content).decode("ascii"),
        }
        name = "%d-%d-%d" % (time.time_ns(), os.getpid(), next(SpoolHandler.counter))
        write_atomically(os.path.join(self.spool, name + ".json"), json.dumps(record))


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        ):
            return AuthResult(success=True, auth_data=auth_data.login)
        return AuthResult(success=False, handled=False)

    return authenticate


async def control_client(faults, reader, writer):
    try:
        while line := await reader.readline():
            try:
                faults.apply(json.loads(line))
                answer = {"ok": True, "stats": faults.stats}
            except (ValueError, KeyError, TypeError, re.error) as error:
                answer = {"ok": False, "error": str(error)}
            writer.write(json.dumps(answer).encode() + b"\n")
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def watch_parent(parent, stop):
    while not stop.done():
        if os.getppid() != parent:
            stop.set_result(None)
            return
        await asyncio.sleep(0.5)


async def serve(args):
    # The implicit-TLS server requires AUTH on a connection that is TLS from
    # the start, which aiosmtpd cannot tell: silence its warning about that.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    loop = asyncio.get_running_loop()
    parent = os.getppid()
    faults = Faults() if args.control else None

    tls = None
    authenticator = None
    if any(mode != "plain" for mode in args.modes):
        password = os.environ.get("RESELLERDESK_TEST_SMTP_PASSWORD", "")
        if not password:
            sys.exit("smtp_server: RESELLERDESK_TEST_SMTP_PASSWORD is not set")
        if not (args.cert and args.key and args.user):
            sys.exit("smtp_server: the TLS modes need --cert, --key and --user")
        authenticator = make_authenticator(args.user, password)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)

    def plain():
        fault = faults.connection_fault() if faults is not None else None
        if fault == "drop":
            faults.stats["dropped"] += 1
            return Refuser(None)
        if fault == "busy":
            faults.stats["busy"] += 1
            return Refuser(b"421 4.3.2 Service not available (injected fault)\r\n")
        handler = SpoolHandler(args.spool, "plain", faults, flap_tempfail=fault == "tempfail")
        return SMTP(handler, loop=loop)

    factories = {
        "plain": plain,
        "starttls": lambda: SMTP(
            SpoolHandler(args.spool, "starttls", faults),
            tls_context=tls,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=authenticator,
            loop=loop,
        ),
        "implicit": lambda: SMTP(
            SpoolHandler(args.spool, "implicit", faults),
            auth_required=True,
            auth_require_tls=False,  # the whole connection is TLS already
            auth_exclude_mechanism=["PLAIN"],
            authenticator=authenticator,
            loop=loop,
        ),
    }
    lines = []
    servers = []
    for mode in MODES:
        if mode not in args.modes:
            continue
        server = await loop.create_server(
            factories[mode],
            host="127.0.0.1",
            port=args.port,
            ssl=tls if mode == "implicit" else None,
        )
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        lines.append("%s 127.0.0.1:%d\n" % (mode, port))
    if faults is not None:
        server = await asyncio.start_server(
            lambda reader, writer: control_client(faults, reader, writer), host="127.0.0.1", port=0
        )
        servers.append(server)
        lines.append("control 127.0.0.1:%d\n" % server.sockets[0].getsockname()[1])

    with open(args.ready + ".tmp", "w", encoding="ascii") as out:
        out.writelines(lines)
    os.rename(args.ready + ".tmp", args.ready)
    print("smtp_server: " + ", ".join(line.strip() for line in lines), flush=True)

    stop = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda: stop.done() or stop.set_result(None))
    if args.exit_with_parent:
        watcher = asyncio.create_task(watch_parent(parent, stop))
    await stop
    if args.exit_with_parent:
        watcher.cancel()
    for server in servers:
        server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--spool", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--user")
    parser.add_argument(
        "--modes",
        default=",".join(MODES),
        help="comma-separated, from: " + ", ".join(MODES),
    )
    parser.add_argument("--port", type=int, default=0, help="only with a single mode")
    parser.add_argument("--control", action="store_true", help="open the fault control port")
    parser.add_argument("--exit-with-parent", action="store_true")
    args = parser.parse_args()
    args.modes = [mode for mode in args.modes.split(",") if mode]
    if not args.modes or any(mode not in MODES for mode in args.modes):
        parser.error("--modes takes a comma-separated list of: " + ", ".join(MODES))
    if args.port and len(args.modes) != 1:
        parser.error("--port needs a single mode")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
