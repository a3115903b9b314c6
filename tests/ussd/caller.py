"""A handset calling the app's own `/ussd` through the Flask test client, exactly as Africa's
Talking posts each hop: what the gateway (and so the citizen) gets back is what is checked."""

from __future__ import annotations

import itertools

_sessions = itertools.count(1)


class Caller:
    def __init__(self, client, number: str, **request_options) -> None:  # type: ignore[no-untyped-def]
        self.client, self.number, self.options = client, number, request_options
        self.inputs: list[str] = []
        self.session_id = ""
        self.reply = ""

    def dial(self) -> str:
        self.session_id = f"ATUid_caller_{next(_sessions)}"
        self.inputs = []
        return self._post()

    def press(self, *keys: str) -> str:
        for key in keys:
            self.inputs.append(key)
            self._post()
        return self.reply

    def resend(self) -> str:
        """The gateway sends the last hop again (it timed out waiting for us)."""
        return self._post()

    def choose(self, label: str) -> str:
        """Press the option showing `label` on the current screen."""
        for line in self.reply.splitlines()[1:]:
            number, _, text = line.partition(" ")
            if label in text and number.isdigit():
                return self.press(number)
        raise AssertionError(f"{label!r} is not on the screen:\n{self.reply}")

    def _post(self) -> str:
        response = self.client.post(
            "/ussd",
            data={
                "sessionId": self.session_id,
                "serviceCode": "*120*3210#",
                "phoneNumber": self.number,
                "networkCode": "65501",
                "text": "*".join(self.inputs),
            },
            **self.options,
        )
        # Whatever happens, the gateway gets a screen: never an HTTP error.
        assert response.status_code == 200, response.status_code
        assert response.headers["Content-Type"].startswith("text/plain")
        self.reply = response.get_data(as_text=True)
        assert self.reply.startswith(("CON ", "END ")), self.reply
        assert len(self.reply) <= 182, (len(self.reply), self.reply)
        return self.reply
