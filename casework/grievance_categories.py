"""What a grievance can be about. Sensitive categories go to the front of every queue."""

from __future__ import annotations

from dataclasses import dataclass

from casework.errors import N_


@dataclass(frozen=True)
class GrievanceCategory:
    code: str
    label: str  # English, and the gettext message id the channels translate
    sensitive: bool = False


CATEGORIES = (
    GrievanceCategory("service_delay", N_("Delay in a service")),
    GrievanceCategory("payment", N_("Grant or payment problem")),
    GrievanceCategory("staff_conduct", N_("Staff conduct")),
    GrievanceCategory("fraud_corruption", N_("Fraud or corruption")),
    GrievanceCategory("access", N_("Access or disability")),
    GrievanceCategory("gender_based_violence", N_("Gender-based violence"), sensitive=True),
    GrievanceCategory("child_abuse", N_("Child abuse or neglect"), sensitive=True),
    GrievanceCategory("other", N_("Something else")),
)

BY_CODE = {category.code: category for category in CATEGORIES}
