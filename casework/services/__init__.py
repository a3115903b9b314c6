"""Every write the channels may make. One function, one transaction."""

from casework.services.add_note import add_note
from casework.services.assign import assign
from casework.services.lodge_grievance import LodgedGrievance, lodge_grievance
from casework.services.refer import refer
from casework.services.submit_application import submit_application
from casework.services.transition import transition

__all__ = [
    "LodgedGrievance",
    "add_note",
    "assign",
    "lodge_grievance",
    "refer",
    "submit_application",
    "transition",
]
