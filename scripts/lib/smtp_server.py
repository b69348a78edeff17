#!/usr/bin/python3
"""Test SMTP server for scripts/test (aiosmtpd on loopback).

Listens on 127.0.0.1 on free ports chosen by the kernel, in three modes:
  plain     no TLS, no AUTH
  starttls  STARTTLS required, then AUTH PLAIN or LOGIN required
  implicit  TLS from the first byte (port 465 style), AUTH LOGIN only
Every accepted message becomes one JSON file in the spool directory:
  {"mode", "auth_user", "mail_from", "rcpt_tos", "mail_options", "data_base64"}
written under a temporary name and renamed, so a reader never sees half a file.

When all ports listen, "<mode> 127.0.0.1:<port>" lines are written to the
ready file (again via a rename). The AUTH password comes from the
environment (RESELLERDESK_TEST_SMTP_PASSWORD), never the command line.
"""

import argparse
import asyncio
import base64
import itertools
import json
import logging
import os
import signal
import ssl
import sys
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class SpoolHandler:
    def __init__(self, spool, mode):
        self.spool = spool
        self.mode = mode

    async def handle_DATA(self, server, session, envelope):
        user = session.auth_data.decode() if isinstance(session.auth_data, bytes) else None
        record = {
            "mode": self.mode,
            "auth_user": user,
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "mail_options": list(envelope.mail_options),
            "data_base64": base64.b64encode(envelope.original_content).decode("ascii"),
        }
        name = "%d-%d-%d" % (time.time_ns(), os.getpid(), next(SpoolHandler.counter))
        temporary = os.path.join(self.spool, "." + name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(temporary, os.path.join(self.spool, name + ".json"))
        return "250 2.0.0 Message accepted"

    counter = itertools.count()


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


async def serve(args):
    # The implicit-TLS server requires AUTH on a connection that is TLS from
    # the start, which aiosmtpd cannot tell: silence its warning about that.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    loop = asyncio.get_running_loop()
    password = os.environ.get("RESELLERDESK_TEST_SMTP_PASSWORD", "")
    if not password:
        sys.exit("smtp_server: RESELLERDESK_TEST_SMTP_PASSWORD is not set")
    authenticator = make_authenticator(args.user, password)

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)

    factories = {
        "plain": lambda: SMTP(SpoolHandler(args.spool, "plain"), loop=loop),
        "starttls": lambda: SMTP(
            SpoolHandler(args.spool, "starttls"),
            tls_context=tls,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=authenticator,
            loop=loop,
        ),
        "implicit": lambda: SMTP(
            SpoolHandler(args.spool, "implicit"),
            auth_required=True,
            auth_require_tls=False,  # the whole connection is TLS already
            auth_exclude_mechanism=["PLAIN"],
            authenticator=authenticator,
            loop=loop,
        ),
    }
    lines = []
    servers = []
    for mode, factory in factories.items():
        server = await loop.create_server(
            factory, host="127.0.0.1", port=0, ssl=tls if mode == "implicit" else None
        )
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        lines.append("%s 127.0.0.1:%d\n" % (mode, port))

    with open(args.ready + ".tmp", "w", encoding="ascii") as out:
        out.writelines(lines)
    os.rename(args.ready + ".tmp", args.ready)
    print("smtp_server: " + ", ".join(line.strip() for line in lines), flush=True)

    stop = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda: stop.done() or stop.set_result(None))
    await stop
    for server in servers:
        server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--spool", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--user", required=True)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
