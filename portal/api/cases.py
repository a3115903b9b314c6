"""Cases: the list with its filters and cursor, one case, its transitions and notes."""

from __future__ import annotations

from typing import Any

from flask import abort

from casework.api_case_queries import CaseFilters, case_detail, case_id_in_scope, list_cases
from casework.references import is_valid
from casework.services.add_note import add_note
from casework.services.transition import transition
from portal.api.blueprint import actor, blueprint, db, responses, spec, write_responses
from portal.api.schemas import CaseDetail, CasePage, CaseQuery, Event, NoteIn, Problem, TransitionIn


@blueprint.get("/cases")
@spec.validate(
    query=CaseQuery,
    resp=responses(HTTP_200=CasePage, HTTP_422=Problem),
    tags=["cases"],
    operation_id="listCases",
)
def cases_list(query: CaseQuery) -> Any:
    """Cases this key may see, oldest first, a page at a time.

    Follow `next_cursor` until it is null. With `updated_since`, a system can fetch only
    what changed since its last sync.
    """
    filters = CaseFilters(
        kind=query.kind,
        status=query.status,
        open=query.open,
        category=query.category,
        district=query.district,
        updated_since=query.updated_since,
    )
    page = list_cases(db(), actor(), filters, limit=query.limit, cursor=query.cursor)
    return CasePage.model_validate({"cases": page.cases, "next_cursor": page.next_cursor})


@blueprint.get("/cases/<reference>")
@spec.validate(
    resp=responses(HTTP_200=CaseDetail, HTTP_404=Problem), tags=["cases"], operation_id="getCase"
)
def case_get(reference: str) -> Any:
    """One case whole: the citizen, the details of its kind, the timeline, and the
    transitions this key may make now. Reading it is audited."""
    # Anything but a valid reference names no case: answered without asking the database
    # (which refuses some characters, a NUL among them, with an error rather than "none").
    found = case_detail(db(), actor(), reference) if is_valid(reference) else None
    if found is None:
        abort(404)
    return CaseDetail.model_validate(found)


@blueprint.post("/cases/<reference>/transitions")
@spec.validate(
    json=TransitionIn,
    resp=write_responses(
        HTTP_200=CaseDetail, HTTP_403=Problem, HTTP_404=Problem, HTTP_409=Problem, HTTP_422=Problem
    ),
    tags=["cases"],
    operation_id="transitionCase",
)
def case_transition(reference: str, json: TransitionIn) -> Any:
    """Move the case along its workflow (see `allowed_transitions` on the case). The
    citizen is told by SMS when the step says so."""
    transition(db(), _case_id(reference), json.to, actor(), reason=json.reason)
    return CaseDetail.model_validate(case_detail(db(), actor(), reference))


@blueprint.post("/cases/<reference>/notes")
@spec.validate(
    json=NoteIn,
    resp=write_responses(HTTP_201=Event, HTTP_404=Problem, HTTP_422=Problem),
    tags=["cases"],
    operation_id="addCaseNote",
)
def case_note(reference: str, json: NoteIn) -> Any:
    """Add a note to the timeline: internal, or public (the citizen gets an SMS)."""
    event = add_note(db(), _case_id(reference), actor(), json.body, public=json.public)
    return Event.model_validate(
        {
            "at": event.at,
            "type": event.type,
            "public": event.public,
            "from_status": None,
            "to_status": None,
            "body": event.body,
            "actor": event.actor_type,
        }
    ), 201


def _case_id(reference: str) -> int:
    case_id = case_id_in_scope(db(), actor(), reference) if is_valid(reference) else None
    if case_id is None:
        abort(404)
    return case_id
