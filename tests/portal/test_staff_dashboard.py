"""The staff dashboard (charts with the same numbers in tables) and the queues' CSV exports."""

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from casework.actors import Actor
from casework.dashboard import dashboard_figures
from casework.models import AuditLog, Case, Grievance, Role
from casework.services import refer, submit_application, transition
from portal.staff.charts import CHARTS, chart_tables
from portal.staff.dashboard import SVG_POLICY, plain_duration
from tests.casework.scenes import build_world
from tests.factories import create_office, lodge, set_status
from tests.portal.web import as_staff

PHONE = "+27821234567"
DESCRIPTION = "I applied in March and nobody has called me back."


@pytest.fixture
def world(db):
    return build_world(db)


@pytest.fixture
def scene(db, world):
    """Complaints to both agencies, in several statuses, districts and channels."""
    theirs = create_office(db, world.other, district="Mangaung")
    cases = {
        "late": lodge(db, district="eThekwini", channel="ussd").grievance,
        "abuse": lodge(db, category="child_abuse", channel="web", district="Umlazi").grievance,
        "sms": lodge(db, category="payment", channel="sms", district="eThekwini").grievance,
        "theirs": lodge(db, office_id=theirs.id, channel="web", phone="+27825550009").grievance,
    }
    with db.transaction() as session:
        session.get(Case, cases["late"].id).due_at = dt.datetime.now(dt.UTC) - dt.timedelta(1)
    transition(db, cases["sms"].id, "acknowledged", world.actor("supervisor"))
    set_status(db, cases["abuse"], "escalated")
    return cases


class Tables(HTMLParser):
    """Each <table> on a page by its caption: [(row header, [cells])]."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[str, list[str]]]] = {}
        self._caption: str | None = None
        self._cell: str | None = None
        self._in_caption = False
        self._row: list[str] = []
        self._row_is_body = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tr":
            self._row, self._row_is_body = [], False
        elif tag in ("th", "td"):
            self._cell = ""
            self._row_is_body |= attrs.get("scope") == "row"

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
            self.tables[self._caption] = []
        elif tag in ("th", "td"):
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row_is_body:
            self.tables[self._caption].append((self._row[0], self._row[1:]))

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def page_tables(html):
    parser = Tables()
    parser.feed(html)
    return parser.tables


def test_dashboard_tables_hold_the_same_numbers_as_the_figures(client, db, world, scene):
    officer = world.staff["triage_officer"]
    page = as_staff(client, officer).get("/staff/dashboard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200

    expected = chart_tables(dashboard_figures(db, Actor.staff(officer)))
    tables = page_tables(html)
    assert len(expected) == 5
    for table in expected.values():
        assert tables[table.heading] == [
            (label, [str(n) for n in numbers]) for label, numbers in table.rows
        ], table.name
        src = f'src="/staff/dashboard/{table.name}.svg"'
        assert src in html and f'alt="{table.alt}"' in html
    assert dict(tables["Complaints by status"])["escalated"] == ["1"]
    assert dict(tables["Complaints by district"])["eThekwini"] == ["2"]
    figures = re.findall(r"<dt>([^<]+)</dt><dd>(?:<a [^>]+>)?([^<]+)<", html)
    assert ("Open", "4") in figures and ("Overdue", "1") in figures
    assert ("Escalated", "1") in figures


def test_every_staff_role_gets_its_own_scope(client, db, world, scene):
    for role in Role:
        user = world.staff[role.value]
        viewer = client.application.test_client()
        html = as_staff(viewer, user).get("/staff/dashboard").get_data(as_text=True)
        open_count = re.search(r"<dt>Open</dt><dd><a [^>]+>(\d+)<", html).group(1)
        assert int(open_count) == dashboard_figures(db, Actor.staff(user)).open, role
    # The other agency's officer counts their one complaint, not the intake's three.
    viewer = client.application.test_client()
    html = as_staff(viewer, world.other_officer).get("/staff/dashboard").get_data(as_text=True)
    assert re.search(r"<dt>Open</dt><dd><a [^>]+>1<", html)
    assert dict(page_tables(html)["Complaints by district"]) == {"Mangaung": ["1"]}


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_script_free_svg_with_the_figures(client, db, world, scene, chart):
    officer = world.staff["supervisor"]
    response = as_staff(client, officer).get(f"/staff/dashboard/{chart}.svg")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == SVG_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = response.get_data()
    root = ET.fromstring(body)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert not [e for e in root.iter() if e.tag.endswith("}script")]
    assert b"<script" not in body and b"javascript:" not in body.lower()
    texts = {(e.text or "").strip() for e in root.iter()}
    table = chart_tables(dashboard_figures(db, Actor.staff(officer)))[chart]
    for label, numbers in table.rows:
        assert {str(n) for n in numbers if n} <= texts, (label, numbers)
    shown_labels = table.chart_labels[::2] if chart == "trend" else table.chart_labels
    assert set(shown_labels) <= texts


def test_dashboard_and_charts_need_a_signed_in_officer(client, db, world):
    for path in ("/staff/dashboard", "/staff/dashboard/status.svg"):
        response = client.get(path)
        assert response.status_code == 302 and "/staff/sign-in" in response.location
    as_staff(client, world.staff["case_officer"])
    assert client.get("/staff/dashboard/nothing.svg").status_code == 404


def test_the_dashboard_is_linked_from_the_staff_home(client, db, world):
    html = as_staff(client, world.staff["case_officer"]).get("/staff").get_data(as_text=True)
    assert 'href="/staff/dashboard"' in html


@pytest.mark.parametrize(
    ("hours", "said"),
    [
        (None, "No data yet"),
        (0.001, "Under a minute"),
        (0.5, "30 minutes"),
        (1, "1 hour"),
        (3 + 1 / 3, "3 hours 20 minutes"),
        (28, "1 day 4 hours"),
        (48.5, "2 days"),
    ],
)
def test_durations_are_said_in_plain_words(hours, said):
    value = None if hours is None else dt.timedelta(hours=hours)
    assert plain_duration(value) == said


def shown(case):
    """The reference as the queue page shows it: G 4827 1935 06."""
    return f"G {case.reference[:4]} {case.reference[4:8]} {case.reference[8:]}"


def rows_of(response):
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only with its byte order mark
    return list(csv.reader(io.StringIO(body[1:])))


HEADER = [
    "reference",
    "kind",
    "status",
    "category",
    "priority",
    "district",
    "channel",
    "agency",
    "created",
    "due",
    "overdue",
]


def test_grievances_csv_holds_the_filtered_rows_without_personal_details(client, db, world, scene):
    as_staff(client, world.staff["triage_officer"])
    response = client.get("/staff/grievances.csv?district=eThekwini")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert re.fullmatch(
        r'attachment; filename="grievances-\d{4}-\d{2}-\d{2}\.csv"',
        response.headers["Content-Disposition"],
    )
    rows = rows_of(response)
    assert rows[0] == HEADER
    by_reference = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_reference) == {shown(scene["late"]), shown(scene["sms"])}
    late_row = by_reference[shown(scene["late"])]
    assert late_row["overdue"] == "yes" and late_row["status"] == "lodged"
    assert late_row["category"] == "Delay in a service" and late_row["channel"] == "ussd"
    assert late_row["agency"] == "DSD" and late_row["district"] == "eThekwini"
    body = response.get_data(as_text=True)
    for secret in (PHONE, "821234567", "+27825550009", DESCRIPTION):
        assert secret not in body


def test_the_csv_follows_every_filter_the_page_has(client, db, world, scene):
    as_staff(client, world.staff["triage_officer"])
    for query, expected in (
        ("overdue=y", {"late"}),
        ("status=escalated", {"abuse"}),
        ("category=payment&channel=sms", {"sms"}),
        ("priority=urgent", {"abuse"}),
        ("q=%2B27821234567", {"late", "abuse", "sms"}),
        ("", {"late", "abuse", "sms", "theirs"}),
    ):
        rows = rows_of(client.get(f"/staff/grievances.csv?{query}"))[1:]
        found = {re.sub(r"\D", "", row[0]) for row in rows}
        assert found == {scene[name].reference for name in expected}, query


def test_the_queue_page_links_its_csv_with_its_filters(client, db, world, scene):
    as_staff(client, world.staff["triage_officer"])
    html = client.get("/staff/grievances?category=payment&overdue=y&page=0").get_data(as_text=True)
    assert 'href="/staff/grievances.csv?category=payment&amp;overdue=y"' in html
    for kind in ("applications", "referrals"):
        html = client.get(f"/staff/{kind}").get_data(as_text=True)
        assert f'href="/staff/{kind}.csv"' in html


def test_csv_neutralises_spreadsheet_formulas(client, db, world):
    for district in ('=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)"):
        lodge(db, district=district)
    # Lodging trims spaces; a district an import wrote with a leading tab is still caught.
    tabbed = lodge(db).grievance
    with db.transaction() as session:
        session.get(Grievance, tabbed.id).district = "\tTab"
    as_staff(client, world.staff["triage_officer"])
    rows = rows_of(client.get("/staff/grievances.csv"))[1:]
    districts = sorted(row[HEADER.index("district")] for row in rows)
    assert districts == sorted(
        ['\'=HYPERLINK("http://evil.example","x")', "'+1", "'-2", "'@SUM(A1)", "'\tTab"]
    )


def test_each_export_is_audited_with_its_row_count_not_its_contents(client, db, world, scene):
    officer = world.staff["triage_officer"]
    as_staff(client, officer)
    client.get("/staff/grievances.csv?district=eThekwini&q=%2B27821234567")
    with db.read() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "queue.exported")).one()
    assert entry.actor_staff_id == officer.id and entry.case_id is None
    assert entry.detail == {
        "queue": "grievances",
        "filters": {"district": "eThekwini", "searched": True},
        "rows": 2,
        "capped": False,
    }
    assert "821234567" not in str(entry.detail)


def test_an_out_of_scope_case_never_appears_in_an_export(client, db, world, scene):
    intake_officer = world.staff["case_officer"]
    referral = refer(
        db,
        world.actor("case_officer", receiving=True),
        to_agency_id=world.intake.id,
        reason="Needs a social worker.",
        citizen_id=world.citizen.id,
    )
    application = submit_application(
        db,
        phone="+27825550010",
        service_id=world.service.id,
        answers={"children": 2},
        channel="web",
        language="en",
    )
    exports = {}
    for who, user in (("intake", intake_officer), ("other", world.other_officer)):
        viewer = client.application.test_client()
        as_staff(viewer, user)
        exports[who] = {
            queue: {re.sub(r"\D", "", row[0]) for row in rows_of(viewer.get(path))[1:]}
            for queue, path in (
                ("grievances", "/staff/grievances.csv"),
                ("applications", "/staff/applications.csv"),
                ("referrals", "/staff/referrals.csv"),
            )
        }
    intake_grievances = {scene[name].reference for name in ("late", "abuse", "sms")}
    assert exports["intake"] == {
        "grievances": intake_grievances,
        "applications": set(),
        "referrals": {referral.reference},
    }
    assert exports["other"] == {
        "grievances": {scene["theirs"].reference},
        "applications": {application.reference},
        "referrals": {referral.reference},  # they sent it
    }


def test_a_capped_export_says_so(client, db, world, scene, monkeypatch):
    monkeypatch.setattr("casework.queue_exports.EXPORT_CAP", 2)
    as_staff(client, world.staff["triage_officer"])
    response = client.get("/staff/grievances.csv")
    rows = rows_of(response)
    assert len(rows) == 1 + 2 + 1
    assert rows[-1][0].startswith("Only the first 2 matching rows are here")
    assert response.headers["Content-Disposition"].endswith('-first-2.csv"')
