"""A handset behind Africa's Talking, posting USSD hops to the app as the gateway does,
and holding every reply to the rules a handset needs: HTTP 200, `CON `/`END `, 182 chars."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient

_sessions = itertools.count(1)


class GatewayPhone:
    def __init__(self, client: FlaskClient, number: str) -> None:
        self.client, self.number = client, number
        self.session_id, self.inputs, self.reply = "", [], ""

    def dial(self) -> str:
        self.session_id = f"ATUid_fault_{next(_sessions)}"
        self.inputs = []
        return self.resend()

    def press(self, *keys: str) -> str:
        for key in keys:
            self.inputs.append(key)
            self.resend()
        return self.reply

    def resend(self) -> str:
        """The current hop again, as the gateway sends it when our answer was slow."""
        response = self.client.post(
            "/ussd",
            data={
                "sessionId": self.session_id,
                "serviceCode": "*120*3210#",
                "phoneNumber": self.number,
                "networkCode": "65501",
                "text": "*".join(self.inputs),
            },
        )
        assert response.status_code == 200, response.status_code
        assert response.mimetype == "text/plain"
        self.reply = response.get_data(as_text=True)
        assert self.reply.startswith(("CON ", "END ")), self.reply
        assert len(self.reply) <= 182, (len(self.reply), self.reply)
        return self.reply


# A complaint about a payment problem (category 1) in the first district, at no office,
# up to its confirmation; then "1" sends it. Keys as a citizen types them.
COMPLAINT_TO_CONFIRM = ("3", "1", "1", "1", "My grant did not come", "1")
