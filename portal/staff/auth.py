"""Staff sign-in (Flask-Login, argon2 passwords), with idle and absolute time limits."""

from __future__ import annotations

import secrets
import time
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from casework.abuse_limits import TOO_MANY
from casework.actors import Actor
from casework.models import StaffUser
from casework.staff_sign_in import authenticate, staff_by_id
from portal.page_helpers import safe_next
from portal.rate_limits import client_address, limited
from portal.services import get_db

blueprint = Blueprint("staff_auth", __name__, url_prefix="/staff")
login_manager = LoginManager()

IDLE_LIMIT = 30 * 60  # a desk left unattended
ABSOLUTE_LIMIT = 12 * 3600  # a shift


class SignedInStaff(UserMixin):
    def __init__(self, user: StaffUser) -> None:
        self.user = user
        self.id = user.id

    @property
    def actor(self) -> Actor:
        return Actor.staff(self.user)


@login_manager.user_loader
def load_staff(staff_id: str) -> SignedInStaff | None:
    user = staff_by_id(get_db(), int(staff_id))
    return SignedInStaff(user) if user else None


class SignInForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(_l("Enter your username"))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password"))])


def _typed_username() -> str | None:
    return (request.form.get("username") or "").strip().lower() or None


def _too_many_tries(wait: str) -> ResponseReturnValue:
    """The sign-in form again, with what was typed, saying how long to wait."""
    form = SignInForm()
    form.password.errors = [f"{gettext(TOO_MANY)} {wait}"]
    return render_template("staff/sign_in.html", form=form, expired=None), 429


@blueprint.route("/sign-in", methods=["GET", "POST"])
# On top of the account's own lock: these also slow down trying many usernames.
@limited("staff_sign_in_per_address", client_address, refused=_too_many_tries)
@limited("staff_sign_in_per_username", _typed_username, refused=_too_many_tries)
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(get_db(), form.username.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # a fresh session for a fresh sign-in
            login_user(SignedInStaff(user))
            now = time.time()
            session.update(staff_signed_in_at=now, staff_seen_at=now, sid=secrets.token_hex(8))
            return redirect(safe_next(request.args.get("next"), url_for("staff.home")))
        form.password.errors.append(
            _l(
                "The username or password is wrong, or the account is locked after too many"
                " tries. Try again in 15 minutes."
            )
        )
    return render_template("staff/sign_in.html", form=form, expired=request.args.get("expired"))


@blueprint.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    logout_user()
    session.clear()
    return redirect(url_for("staff_auth.sign_in"))


def staff_required(*roles: str) -> Any:
    """Signed-in staff only (of `roles`, if given), inside the time limits."""

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if not current_user.is_authenticated:
                return redirect(url_for("staff_auth.sign_in", next=request.path))
            now = time.time()
            if (
                now - session.get("staff_seen_at", 0) > IDLE_LIMIT
                or now - session.get("staff_signed_in_at", 0) > ABSOLUTE_LIMIT
            ):
                logout_user()
                session.clear()
                return redirect(url_for("staff_auth.sign_in", expired=1, next=request.path))
            session["staff_seen_at"] = now
            if roles and current_user.user.role not in roles:
                return render_template(
                    "problem.html",
                    heading=_l("Not for your role"),
                    message=_l("Ask an administrator if you need this."),
                ), 403
            return view(*args, **kwargs)

        return wrapped

    return decorate


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "staff_auth.sign_in"
    app.register_blueprint(blueprint)
