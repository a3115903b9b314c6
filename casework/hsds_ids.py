"""Ids for the directory's records in Open Referral HSDS, which must be UUIDs.

They are derived (uuid5), not stored: from what names a row for good, a service's or an
agency's code, an office's id. So the same record has the same id in every export, on
whichever database the export ran, and an aggregator that imported yesterday's export
recognises today's records as the same ones.
"""

from __future__ import annotations

import uuid

# Every id in every export is derived from this: never change it, or every published
# record looks new (and the old ones gone) to whoever imports the next export.
ID_NAMESPACE = uuid.UUID("93341c46-4218-4f9e-b746-5a61c788e437")


def stable_id(kind: str, key: object) -> str:
    """The UUID of the `kind` record (service, location, ...) named `key`."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{key}"))
