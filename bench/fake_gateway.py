"""The fake Africa's Talking server of the tests, as a process of its own on loopback.

`python -m bench.fake_gateway` prints one JSON line (url, username, api_key), then answers
commands on stdin, one a line: `count` prints how many messages it accepted, `dump` prints
every accepted message as JSON ([to, text, message id] each). It stops when stdin closes.
"""

from __future__ import annotations

import json
import sys

from tests.fake_africastalking import FakeAfricasTalking


def main() -> None:
    with FakeAfricasTalking() as fake:
        print(json.dumps({"url": fake.url, "username": fake.username, "api_key": fake.api_key}))
        sys.stdout.flush()
        for line in sys.stdin:
            command = line.strip()
            if command == "count":
                print(len(fake.sent))
            elif command == "dump":
                print(json.dumps([(sms.to, sms.message, sms.message_id) for sms in fake.sent]))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
