"""Open311 GeoReport v2 at `/open311/v2/` (wiki.open311.org/GeoReport_v2): grievances
for agencies' and partners' systems, in JSON and XML.

- discovery: where the endpoint is and what it speaks;
- services, services/<code>: one Open311 service per grievance category;
- POST requests: lodge a grievance; GET requests, requests/<id>: follow them, with a key,
  in the key's scope.
"""

from __future__ import annotations

# The view modules attach their routes to the blueprint as they are imported.
from portal.open311 import discovery, get_requests, post_requests, services  # noqa: F401
from portal.open311.blueprint import blueprint

__all__ = ["blueprint"]
