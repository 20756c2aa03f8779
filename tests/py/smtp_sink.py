"""A real SMTP server for Credence's mail tests: aiosmtpd on a loopback port, keeping each
message it accepts as a file (written whole, then renamed into place).

Usage: smtp_sink.py DIR [--port N] [--reject SUBSTRING] [--hold-first SECONDS]
Prints "PORT <n>" once it listens. Recipients containing SUBSTRING are refused with 550.
With --hold-first, the first message is kept, then its "250" withheld for SECONDS: a
client killed meanwhile never learns it was delivered.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder, reject, hold_first):
        self.folder = folder
        self.reject = reject
        self.hold_first = hold_first
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject in address:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        # Python's own e-mail parser reads the message: headers unfolded and decoded, the
        # text and HTML parts decoded from their transfer encodings.
        message = email.message_from_bytes(
            envelope.original_content, policy=email.policy.default
        )
        parts = {}
        for kind in ("plain", "html"):
            part = message.get_body(preferencelist=(kind,))
            parts[kind] = part.get_content() if part is not None else ""
        record = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "headers": [[k, str(v)] for k, v in message.items()],
            "text": parts["plain"],
            "html": parts["html"],
        }
        tmp = os.path.join(self.folder, f".{n:06d}.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.folder, f"{n:06d}.json"))
        if n == 1 and self.hold_first > 0:
            await asyncio.sleep(self.hold_first)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--reject", default="")
    parser.add_argument("--hold-first", type=float, default=0)
    args = parser.parse_args()
    port = args.port
    if port == 0:
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(
        Keep(args.folder, args.reject, args.hold_first), hostname="127.0.0.1", port=port
    )
    controller.start()
    print(f"PORT {port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # Stop when the test process goes away (its pipe to our stdin closes).
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
