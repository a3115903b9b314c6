"""The yardstick for the USSD benchmark: Flask answering `POST /ussd` with a fixed screen.

It reads the same form as the real callback and answers the same way (text/plain, `CON `),
so under the same gunicorn settings the difference is what a real hop costs: the menu
engine, the session store, the abuse limits and the database.
"""

from __future__ import annotations

from flask import Flask, request

HOME = (
    "CON Thusa: how can we help?\n1 Apply for a service\n2 Track my cases\n"
    "3 Make a complaint\n4 Find a service\n5 Language\n6 Privacy notice"
)


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/ussd")
    def hop() -> tuple[str, int, dict[str, str]]:
        form = request.form
        if not form.get("sessionId") or not form.get("phoneNumber"):
            return "END Sorry, we could not read that.", 200, {"Content-Type": "text/plain"}
        form.get("text", "")
        return HOME, 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app
