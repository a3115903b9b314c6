"""What the Open311 tests share: the specification's own examples, kept verbatim, and
small helpers to call the endpoint and read its answers as a partner would.

The examples are copied from the GeoReport v2 specification (wiki.open311.org/
GeoReport_v2, as vendored in github.com/open311/open311.github.io, GeoReport_v2/index.md)
and its Service Discovery page (Service_Discovery.md). Their JSON writes ids as numbers
with leading zeros (`"service_code":001`), which is not JSON: `spec_json` quotes them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from sqlalchemy import select

from casework.actors import Actor
from casework.api_keys import issue_key
from casework.database import Database
from casework.models import Agency, Office
from casework.seed_demo import seed_demo

BASE = "/open311/v2"

# "Service Discovery", Examples (XML tab).
SPEC_DISCOVERY_XML = """<?xml version="1.0" encoding="UTF-8"?>
<discovery>
    <changeset>2011-02-03 14:18</changeset>
    <contact>You can email or call for assistance api@mycity.org +1 (555) 555-5555</contact>
    <key_service>You can request a key here: http://api.mycity.gov/api_key/request</key_service>
    <endpoints>
        <endpoint>
            <specification>http://wiki.open311.org/GeoReport_v2</specification>
            <url>http://open311.mycity.gov/v2</url>
            <changeset>2010-11-23 09:01</changeset>
            <type>production</type>
            <formats>
                <format>text/xml</format>
            </formats>
        </endpoint>
    </endpoints>
</discovery>"""

# "GET Service List": Sample URL, then Example response (XML tab, first service).
SPEC_SERVICES_URL = "https://api.city.gov/dev/v2/services.xml?jurisdiction_id=city.gov"
SPEC_SERVICES_XML = """<?xml version="1.0" encoding="utf-8"?>
<services>
    <service>
        <service_code>001</service_code>
        <service_name>Cans left out 24x7</service_name>
        <description>Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.</description>
        <metadata>true</metadata>
        <type>realtime</type>
        <keywords>lorem, ipsum, dolor</keywords>
        <group>sanitation</group>
    </service>
</services>"""  # noqa: E501
SPEC_SERVICES_JSON = """[
  {
    "service_code":001,
    "service_name":"Cans left out 24x7",
    "description":"Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.",
    "metadata":true,
    "type":"realtime",
    "keywords":"lorem, ipsum, dolor",
    "group":"sanitation"
  }
]"""  # noqa: E501

# "GET Service Definition": Sample URL, then Example response (XML and JSON tabs).
SPEC_DEFINITION_URL = "https://api.city.gov/dev/v2/services/033.xml?jurisdiction_id=city.gov"
SPEC_DEFINITION_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_definition>
    <service_code>DMV66</service_code>
    <attributes>
        <attribute>
            <variable>true</variable>
            <code>WHISHETN</code>
            <datatype>singlevaluelist</datatype>
            <required>true</required>
            <datatype_description></datatype_description>
            <order>1</order>
            <description>What is the ticket/tag/DL number?</description>
            <values>
                <value>
                    <key>123</key>
                    <name>Ford</name>
                </value>
                <value>
                    <key>124</key>
                    <name>Chrysler</name>
                </value>
            </values>
        </attribute>
    </attributes>
</service_definition>"""
SPEC_DEFINITION_JSON = """{
  "service_code":"DMV66",
  "attributes":[
    {
      "variable":true,
      "code":"WHISHETN",
      "datatype":"singlevaluelist",
      "required":true,
      "datatype_description":null,
      "order":1,
      "description":"What is the ticket/tag/DL number?",
      "values":[
        {"key":123, "name":"Ford"},
        {"key":124, "name":"Chrysler"}
      ]
    }
  ]
}"""

# "POST Service Request": Example Request (its body, as sent), then Example response.
SPEC_POST_PATH = "/dev/v2/requests.xml"
SPEC_POST_BODY = (
    "api_key=xyz&jurisdiction_id=city.gov&service_code=001&lat=37.76524078&long=-122.4212043"
    "&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111"
    "&account_id=123456&first_name=john&last_name=smith&phone=111111111"
    "&description=A+large+sinkhole+is+destroying+the+street"
    "&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg"
    "&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001"
)
SPEC_POST_RESPONSE_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>
            The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code
        </service_notice>
        <account_id/>
    </request>
</service_requests>"""  # noqa: E501

# "GET Service Requests": Sample URL, then Example response (XML tab, first request).
SPEC_REQUESTS_URL = (
    "https://api.city.gov/dev/v2/requests.xml?start_date=2010-05-24T00:00:00Z"
    "&end_date=2010-06-24T00:00:00Z&status=open&jurisdiction_id=city.gov"
)
SPEC_REQUESTS_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <status>closed</status>
        <status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description></description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
    </request>
</service_requests>"""

# "GET Service Request": Sample URL.
SPEC_REQUEST_URL = "https://api.city.gov/dev/v2/requests/123456.xml?jurisdiction_id=city.gov"

# "Errors": Example (XML and JSON tabs).
SPEC_ERROR_XML = """<?xml version="1.0" encoding="utf-8"?>
<errors>
    <error>
        <code>403</code>
        <description>Invalid api_key received -- can't proceed with create_request.</description>
    </error>
</errors>"""
SPEC_ERROR_JSON = """[
  {
    "code":403,
    "description":"Invalid api_key received -- can't proceed with create_request."
  }
]"""

# Points in the demo directory's districts.
JOHANNESBURG = (-26.2041, 28.0473)  # the city centre
DURBAN = (-29.8587, 31.0218)


def spec_json(text: str) -> Any:
    return json.loads(re.sub(r":\s*(0\d+)", r':"\1"', text))


def ours(spec_url: str) -> str:
    """A sample URL of the spec, as asked of this server."""
    return BASE + spec_url.split("/dev/v2", 1)[1]


def shape(value: Any) -> Any:
    """What a document holds, without its values: a dict's keys (in order) with their
    shapes, a list's items' shape; for XML the same from tags."""
    if isinstance(value, ET.Element):
        children = list(value)
        if value.tag in _CONTAINERS:  # Spark: a container is a list, even of one
            return [shape(children[0])] if children else []
        if not children:
            return "value"
        return {child.tag: shape(child) for child in children}
    if isinstance(value, dict):
        return {key: shape(child) for key, child in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return "value"


# Elements the spec defines as lists, whatever their number of children.
_CONTAINERS = {
    "services",
    "attributes",
    "values",
    "endpoints",
    "formats",
    "service_requests",
    "errors",
}


def xml(response: Any) -> ET.Element:
    assert response.content_type == "text/xml; charset=utf-8", response.content_type
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.data)


def body(response: Any) -> Any:
    assert response.content_type == "application/json; charset=utf-8", response.content_type
    return response.get_json()


def seeded(db: Database) -> Database:
    seed_demo(db, with_staff=False)
    return db


def new_key(db: Database, agency: str = "dsd", role: str = "triage_officer") -> str:
    return issue_key(db, Actor.system(), agency_code=agency, role=role, name="CRM").key


def agency_id(db: Database, code: str) -> int:
    with db.read() as session:
        return session.scalars(select(Agency.id).where(Agency.code == code)).one()


def office_named(db: Database, name: str) -> Office:
    with db.read() as session:
        return session.scalars(select(Office).where(Office.name == name)).one()


def complaint(**fields: Any) -> dict[str, Any]:
    """A well-formed POST: a named complaint about a delay, from central Johannesburg."""
    lat, long = JOHANNESBURG
    return {
        "service_code": "service_delay",
        "lat": str(lat),
        "long": str(long),
        "description": "I applied for a grant in March and nobody has called me back.",
        "first_name": "Thandi",
        "last_name": "Nkosi",
        "phone": "082 123 4567",
    } | fields


def post(client: Any, key: str | None, fmt: str = "json", **fields: Any) -> Any:
    headers = fields.pop("headers", None)
    data = complaint(**fields) | ({"api_key": key} if key else {})
    return client.post(f"{BASE}/requests.{fmt}", data=data, headers=headers)


def lodged_id(client: Any, key: str, **fields: Any) -> str:
    response = post(client, key, **fields)
    assert response.status_code == 200, response.get_data(as_text=True)
    return body(response)[0]["service_request_id"]


def get(client: Any, path: str, key: str | None, **params: Any) -> Any:
    query = params | ({"api_key": key} if key else {})
    return client.get(f"{BASE}/{path}", query_string=query)
