"""A demo South African service directory, as plain data for casework.seed_demo.

Grant amounts and rules are those in force from April 2025. Office addresses and phone
numbers are plausible, not verified: a real deployment loads its own directory.
"""

from __future__ import annotations

from typing import Any

OFFICE_HOURS = ({"days": "Mon-Fri", "opens": "07:30", "closes": "16:00"},)
SASSA_HOURS = ({"days": "Mon-Fri", "opens": "08:00", "closes": "16:00"},)
HOME_AFFAIRS_HOURS = (
    {"days": "Mon-Fri", "opens": "08:00", "closes": "15:30"},
    {"days": "Sat", "opens": "08:00", "closes": "13:00"},
)
CLINIC_HOURS = (
    {"days": "Mon-Fri", "opens": "07:00", "closes": "16:00"},
    {"days": "Sat", "opens": "07:00", "closes": "13:00"},
)
# 23:59 rather than 24:00, which datetime.time cannot parse.
ALWAYS_OPEN = ({"days": "Mon-Sun", "opens": "00:00", "closes": "23:59"},)

AGENCIES: tuple[dict[str, Any], ...] = (
    {
        "code": "dsd",
        "name": "Department of Social Development",
        "short_name": "DSD",
        "phone": "012 312 7500",
        "email": None,
        "website": "https://www.dsd.gov.za",
        "intake": True,
    },
    {
        "code": "sassa",
        "name": "South African Social Security Agency",
        "short_name": "SASSA",
        "phone": "0800 60 10 11",
        "email": "GrantEnquiries@sassa.gov.za",
        "website": "https://www.sassa.gov.za",
    },
    {
        "code": "dha",
        "name": "Department of Home Affairs",
        "short_name": "Home Affairs",
        "phone": "0800 60 11 90",
        "email": None,
        "website": "https://www.dha.gov.za",
    },
    {
        "code": "health",
        "name": "Department of Health",
        "short_name": "Health",
        "phone": "012 395 8000",
        "email": None,
        "website": "https://www.health.gov.za",
    },
    {
        "code": "saps",
        "name": "South African Police Service",
        "short_name": "SAPS",
        "phone": "08600 10111",
        "email": None,
        "website": "https://www.saps.gov.za",
    },
    {
        "code": "education",
        "name": "Department of Basic Education",
        "short_name": "Basic Education",
        "phone": "0800 202 933",
        "email": None,
        "website": "https://www.education.gov.za",
    },
    {
        "code": "housing",
        "name": "Department of Human Settlements",
        "short_name": "Human Settlements",
        "phone": "0800 146 873",
        "email": None,
        "website": "https://www.dhs.gov.za",
    },
)

# District, metro municipality (or the usual local one) and province of each demo area.
AREAS: dict[str, dict[str, str]] = {
    "johannesburg": {
        "district": "City of Johannesburg",
        "municipality": "City of Johannesburg Metropolitan Municipality",
        "province": "Gauteng",
    },
    "ethekwini": {
        "district": "eThekwini",
        "municipality": "eThekwini Metropolitan Municipality",
        "province": "KwaZulu-Natal",
    },
    "or_tambo": {
        "district": "OR Tambo",
        "municipality": "King Sabata Dalindyebo Local Municipality",
        "province": "Eastern Cape",
    },
    "mangaung": {
        "district": "Mangaung",
        "municipality": "Mangaung Metropolitan Municipality",
        "province": "Free State",
    },
}

# Each office takes its district, municipality and province from its area; an office
# outside the area's usual municipality names its own.
OFFICES: tuple[dict[str, Any], ...] = (
    # Social Development
    {
        "agency": "dsd",
        "area": "johannesburg",
        "name": "DSD Johannesburg Regional Office",
        "address": "Thusanong Building, 69 Commissioner Street, Marshalltown, Johannesburg, 2001",
        "phone": "011 355 7600",
        "opening_hours": OFFICE_HOURS,
        "latitude": -26.2069,
        "longitude": 28.0395,
    },
    {
        "agency": "dsd",
        "area": "ethekwini",
        "name": "DSD eThekwini District Office",
        "address": "208 Anton Lembede Street, Durban, 4001",
        "phone": "031 360 7600",
        "opening_hours": OFFICE_HOURS,
        "latitude": -29.8570,
        "longitude": 31.0260,
    },
    {
        "agency": "dsd",
        "area": "or_tambo",
        "name": "DSD OR Tambo District Office",
        "address": "32 Owen Street, Mthatha, 5099",
        "phone": "047 532 4700",
        "opening_hours": OFFICE_HOURS,
        "latitude": -31.5900,
        "longitude": 28.7830,
    },
    {
        "agency": "dsd",
        "area": "mangaung",
        "name": "DSD Mangaung District Office",
        "address": "27 Charlotte Maxeke Street, Bloemfontein, 9301",
        "phone": "051 400 0300",
        "opening_hours": OFFICE_HOURS,
        "latitude": -29.1180,
        "longitude": 26.2220,
    },
    # SASSA
    {
        "agency": "sassa",
        "area": "johannesburg",
        "name": "SASSA Jabulani Local Office",
        "address": "Jabulani Civic Centre, Koma Road, Jabulani, Soweto, 1868",
        "phone": "011 983 5900",
        "opening_hours": SASSA_HOURS,
        "latitude": -26.2455,
        "longitude": 27.8590,
    },
    {
        "agency": "sassa",
        "area": "ethekwini",
        "name": "SASSA Umlazi Local Office",
        "address": "Umlazi Mega City, Mangosuthu Highway, Umlazi, 4031",
        "phone": "031 907 3200",
        "opening_hours": SASSA_HOURS,
        "latitude": -29.9685,
        "longitude": 30.8900,
    },
    {
        "agency": "sassa",
        "area": "or_tambo",
        "name": "SASSA Mthatha Local Office",
        "address": "Corner Sutherland and Madeira Streets, Mthatha, 5099",
        "phone": "047 531 1200",
        "opening_hours": SASSA_HOURS,
        "latitude": -31.5880,
        "longitude": 28.7850,
    },
    {
        "agency": "sassa",
        "area": "or_tambo",
        "name": "SASSA Lusikisiki Local Office",
        "municipality": "Ingquza Hill Local Municipality",
        "address": "Main Road, Lusikisiki, 4820",
        "phone": "039 253 1100",
        "opening_hours": SASSA_HOURS,
        "latitude": -31.3640,
        "longitude": 29.5760,
    },
    {
        "agency": "sassa",
        "area": "mangaung",
        "name": "SASSA Botshabelo Local Office",
        "address": "Main Road, Section H, Botshabelo, 9781",
        "phone": "051 534 2600",
        "opening_hours": SASSA_HOURS,
        "latitude": -29.2380,
        "longitude": 26.7080,
    },
    # Home Affairs
    {
        "agency": "dha",
        "area": "johannesburg",
        "name": "Home Affairs Johannesburg Office",
        "address": "77 Harrison Street, Johannesburg, 2001",
        "phone": "011 836 3228",
        "opening_hours": HOME_AFFAIRS_HOURS,
        "latitude": -26.2045,
        "longitude": 28.0405,
    },
    {
        "agency": "dha",
        "area": "ethekwini",
        "name": "Home Affairs Durban Office",
        "address": "181 Dr Pixley KaSeme Street, Durban, 4001",
        "phone": "031 362 1300",
        "opening_hours": HOME_AFFAIRS_HOURS,
        "latitude": -29.8575,
        "longitude": 31.0250,
    },
    {
        "agency": "dha",
        "area": "or_tambo",
        "name": "Home Affairs Mthatha Office",
        "address": "Botha Sigcau Building, Leeds Road, Mthatha, 5099",
        "phone": "047 532 2081",
        "opening_hours": HOME_AFFAIRS_HOURS,
        "latitude": -31.5885,
        "longitude": 28.7840,
    },
    {
        "agency": "dha",
        "area": "mangaung",
        "name": "Home Affairs Bloemfontein Office",
        "address": "40 Henry Street, Bloemfontein, 9301",
        "phone": "051 411 3400",
        "opening_hours": HOME_AFFAIRS_HOURS,
        "latitude": -29.1170,
        "longitude": 26.2140,
    },
    # Health
    {
        "agency": "health",
        "area": "johannesburg",
        "name": "Hillbrow Community Health Centre",
        "address": "Corner Esselen and Klein Streets, Hillbrow, Johannesburg, 2001",
        "phone": "011 694 3700",
        "opening_hours": CLINIC_HOURS,
        "latitude": -26.1905,
        "longitude": 28.0490,
    },
    {
        "agency": "health",
        "area": "ethekwini",
        "name": "KwaMashu Community Health Centre",
        "address": "1 Bhejane Street, KwaMashu, 4360",
        "phone": "031 503 1600",
        "opening_hours": CLINIC_HOURS,
        "latitude": -29.7480,
        "longitude": 30.9780,
    },
    {
        "agency": "health",
        "area": "or_tambo",
        "name": "Nelson Mandela Academic Hospital Gateway Clinic",
        "address": "Nelson Mandela Drive, Mthatha, 5099",
        "phone": "047 502 4000",
        "opening_hours": CLINIC_HOURS,
        "latitude": -31.5970,
        "longitude": 28.7660,
    },
    # Police
    {
        "agency": "saps",
        "area": "johannesburg",
        "name": "SAPS Johannesburg Central Police Station",
        "address": "1 Commissioner Street, Marshalltown, Johannesburg, 2001",
        "phone": "011 375 5911",
        "opening_hours": ALWAYS_OPEN,
        "latitude": -26.2070,
        "longitude": 28.0335,
    },
    {
        "agency": "saps",
        "area": "ethekwini",
        "name": "SAPS Durban Central Police Station",
        "address": "255 Anton Lembede Street, Durban, 4001",
        "phone": "031 325 4200",
        "opening_hours": ALWAYS_OPEN,
        "latitude": -29.8600,
        "longitude": 31.0230,
    },
    {
        "agency": "saps",
        "area": "or_tambo",
        "name": "SAPS Mthatha Police Station",
        "address": "Corner York Road and Elliot Street, Mthatha, 5099",
        "phone": "047 502 5000",
        "opening_hours": ALWAYS_OPEN,
        "latitude": -31.5905,
        "longitude": 28.7860,
    },
    # Basic Education (the provincial education departments' district offices)
    {
        "agency": "education",
        "area": "johannesburg",
        "name": "Gauteng Education Johannesburg Central District",
        "address": "111 Commissioner Street, Johannesburg, 2001",
        "phone": "011 355 0000",
        "opening_hours": OFFICE_HOURS,
        "latitude": -26.2055,
        "longitude": 28.0450,
    },
    {
        "agency": "education",
        "area": "ethekwini",
        "name": "KwaZulu-Natal Education Durban Office",
        "address": "Truro House, 17 Margaret Mncadi Avenue, Durban, 4001",
        "phone": "031 360 6911",
        "opening_hours": OFFICE_HOURS,
        "latitude": -29.8640,
        "longitude": 31.0270,
    },
    {
        "agency": "education",
        "area": "or_tambo",
        "name": "Eastern Cape Education OR Tambo Inland District",
        "address": "51 Sprigg Street, Mthatha, 5099",
        "phone": "047 502 7400",
        "opening_hours": OFFICE_HOURS,
        "latitude": -31.5895,
        "longitude": 28.7800,
    },
    # Human Settlements (the provincial departments' offices)
    {
        "agency": "housing",
        "area": "johannesburg",
        "name": "Gauteng Human Settlements Customer Care Centre",
        "address": "Corner House, 63 Fox Street, Johannesburg, 2001",
        "phone": "011 355 4000",
        "opening_hours": OFFICE_HOURS,
        "latitude": -26.2060,
        "longitude": 28.0420,
    },
    {
        "agency": "housing",
        "area": "ethekwini",
        "name": "KwaZulu-Natal Human Settlements Durban Office",
        "address": "140 Dr AB Xuma Street, Durban, 4001",
        "phone": "031 336 5300",
        "opening_hours": OFFICE_HOURS,
        "latitude": -29.8565,
        "longitude": 31.0210,
    },
    {
        "agency": "housing",
        "area": "or_tambo",
        "name": "Eastern Cape Human Settlements Mthatha Office",
        "address": "69 Sutherland Street, Mthatha, 5099",
        "phone": "047 501 6300",
        "opening_hours": OFFICE_HOURS,
        "latitude": -31.5875,
        "longitude": 28.7860,
    },
)

ALL_CHANNELS = ("web", "ussd", "assisted")
# Long free-text answers are left off USSD, where typing them is impractical.
NOT_USSD = ["web", "assisted"]

PAYMENT_METHOD = {
    "name": "payment_method",
    "type": "choice",
    "label": {"en": "How do you want to be paid?"},
    "choices": [
        {"value": "bank", "label": {"en": "Into a bank account in my name"}},
        {"value": "sassa_card", "label": {"en": "SASSA (Postbank) card"}},
    ],
}

# A service's "text" becomes its English ServiceText; the other languages' texts are in
# demo_directory_text/<lang>.json.
SERVICES: tuple[dict[str, Any], ...] = (
    {
        "code": "child-support-grant",
        "agency": "sassa",
        "category": "grants",
        "channels": ALL_CHANNELS,
        "service_level_days": 10,
        "application_fields": [
            {
                "name": "primary_caregiver",
                "type": "yes_no",
                "label": {"en": "Are you the child's main caregiver?"},
            },
            {
                "name": "children",
                "type": "number",
                "label": {"en": "How many children do you apply for?"},
                "min": 1,
                "max": 20,
            },
            {
                "name": "youngest_child_id",
                "type": "id_number",
                "label": {"en": "ID number of the youngest child"},
            },
            {
                "name": "monthly_income",
                "type": "number",
                "label": {"en": "Your income per month, in rand"},
                "min": 0,
                "max": 1_000_000,
            },
            {
                "name": "married",
                "type": "yes_no",
                "label": {"en": "Are you married?"},
            },
        ],
        "text": {
            "name": "Child Support Grant",
            "short_name": "Child support grant",
            "description": (
                "A monthly grant of R560 (from April 2025) to help the primary caregiver of a "
                "child under 18 meet the child's basic needs. You can get it for all your own "
                "children and for up to six children who are not your own."
            ),
            "eligibility": (
                "You look after the child and live in South Africa as a citizen, permanent "
                "resident or refugee. You earn R5,600 a month or less (R11,200 together if "
                "you are married)."
            ),
            "required_documents": [
                "Your 13-digit ID document",
                "Child's birth certificate",
                "Proof of income, or an affidavit if you have none",
                "Marriage certificate, if you are married",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "older-persons-grant",
        "agency": "sassa",
        "category": "grants",
        "channels": ALL_CHANNELS,
        "service_level_days": 10,
        "application_fields": [
            {
                "name": "date_of_birth",
                "type": "date",
                "label": {"en": "Your date of birth"},
            },
            {
                "name": "monthly_income",
                "type": "number",
                "label": {"en": "Your income per month, in rand"},
                "min": 0,
                "max": 1_000_000,
            },
            {
                "name": "state_care",
                "type": "yes_no",
                "label": {"en": "Do you live in a state-funded care home?"},
            },
            PAYMENT_METHOD,
        ],
        "text": {
            "name": "Older Persons Grant",
            "short_name": "Older persons grant",
            "description": (
                "A monthly grant for people aged 60 and older with little or no income: "
                "R2,315 a month from April 2025, or R2,335 from age 75. SASSA checks your "
                "income and assets before approving it."
            ),
            "eligibility": (
                "You are 60 or older, a South African citizen, permanent resident or refugee "
                "living in South Africa, and your income and assets are below SASSA's limits. "
                "You cannot get it while living in a state-funded institution."
            ),
            "required_documents": [
                "Your 13-digit ID document",
                "Proof of income and assets",
                "Marriage or spouse's death certificate, if any",
                "Bank statement, for payment into a bank",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "disability-grant",
        "agency": "sassa",
        "category": "grants",
        "channels": ALL_CHANNELS,
        # Includes the assessment by a SASSA-appointed doctor.
        "service_level_days": 30,
        "application_fields": [
            {
                "name": "disability_type",
                "type": "choice",
                "label": {"en": "What kind of disability do you have?"},
                "choices": [
                    {"value": "physical", "label": {"en": "Physical"}},
                    {"value": "mental", "label": {"en": "Mental or intellectual"}},
                    {"value": "sensory", "label": {"en": "Sight or hearing"}},
                    {"value": "illness", "label": {"en": "Long-term illness"}},
                ],
            },
            {
                "name": "duration",
                "type": "choice",
                "label": {"en": "How long will it stop you from working?"},
                "choices": [
                    {"value": "temporary", "label": {"en": "6 to 12 months"}},
                    {"value": "permanent", "label": {"en": "More than 12 months"}},
                ],
            },
            {
                "name": "working",
                "type": "yes_no",
                "label": {"en": "Are you working at the moment?"},
            },
            {
                "name": "medical_records",
                "type": "yes_no",
                "label": {"en": "Do you have medical records or a doctor's letter?"},
            },
        ],
        "text": {
            "name": "Disability Grant",
            "short_name": "Disability grant",
            "description": (
                "A monthly grant of R2,315 (from April 2025) for adults who cannot work "
                "because of a physical or mental disability. A doctor appointed by SASSA "
                "assesses you first. The grant is temporary (6 to 12 months) or permanent."
            ),
            "eligibility": (
                "You are 18 to 59, a South African citizen, permanent resident or refugee, "
                "your disability stops you from working, and your income and assets are "
                "below SASSA's limits."
            ),
            "required_documents": [
                "Your 13-digit ID document",
                "Medical records or a doctor's letter",
                "Proof of income and assets",
                "Bank statement, for payment into a bank",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "foster-child-grant",
        "agency": "sassa",
        "category": "grants",
        "channels": ALL_CHANNELS,
        "service_level_days": 10,
        "application_fields": [
            {
                "name": "court_order_date",
                "type": "date",
                "label": {"en": "Date of the children's court order"},
            },
            {
                "name": "foster_children",
                "type": "number",
                "label": {"en": "How many foster children are in your care?"},
                "min": 1,
                "max": 12,
            },
            {
                "name": "child_id",
                "type": "id_number",
                "label": {"en": "ID number of one foster child"},
            },
            {
                "name": "social_worker",
                "type": "text",
                "label": {"en": "Your social worker's name (optional)"},
                "max_length": 60,
                "required": False,
            },
        ],
        "text": {
            "name": "Foster Child Grant",
            "short_name": "Foster child grant",
            "description": (
                "A monthly grant of R1,250 (from April 2025) for each child a children's "
                "court has placed in your foster care. A social worker arranges the court "
                "order first; the grant is paid until the child turns 18, or 21 if still in "
                "school."
            ),
            "eligibility": (
                "A children's court has placed the child in your care, and you and the child "
                "live in South Africa. There is no income test."
            ),
            "required_documents": [
                "Your 13-digit ID document",
                "The children's court order",
                "Child's birth certificate or ID",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "social-relief-of-distress",
        "agency": "sassa",
        "category": "grants",
        "channels": ALL_CHANNELS,
        "service_level_days": 5,
        "application_fields": [
            {
                "name": "monthly_income",
                "type": "number",
                "label": {"en": "Money you receive per month, in rand"},
                "min": 0,
                "max": 1_000_000,
            },
            {
                "name": "other_grant",
                "type": "yes_no",
                "label": {"en": "Do you already get a SASSA grant for yourself?"},
            },
            {
                "name": "uif_or_nsfas",
                "type": "yes_no",
                "label": {"en": "Do you get UIF or NSFAS payments?"},
            },
            PAYMENT_METHOD,
        ],
        "text": {
            "name": "Social Relief of Distress (SRD) Grant",
            "short_name": "SRD grant",
            "description": (
                "A temporary grant of R370 a month for adults who have no job and almost no "
                "income. SASSA checks each month against bank and government records, so a "
                "month can be approved or declined on its own."
            ),
            "eligibility": (
                "You are 18 to 59, live in South Africa, receive less than R624 a month, and "
                "get no other grant for yourself, UIF or NSFAS. Citizens, permanent residents, "
                "refugees and special permit holders can apply."
            ),
            "required_documents": [
                "Your 13-digit ID number",
                "A cellphone number in your own name",
                "Bank details, for payment into a bank",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "birth-registration",
        "agency": "dha",
        "category": "documents",
        # A parent signs the notice of birth in person; the web form only starts it.
        "channels": ("web", "assisted"),
        "service_level_days": 5,
        "application_fields": [
            {
                "name": "child_date_of_birth",
                "type": "date",
                "label": {"en": "Baby's date of birth"},
            },
            {
                "name": "place_of_birth",
                "type": "choice",
                "label": {"en": "Where was the baby born?"},
                "choices": [
                    {"value": "facility", "label": {"en": "Hospital or clinic"}},
                    {"value": "home", "label": {"en": "At home"}},
                    {"value": "other", "label": {"en": "Somewhere else"}},
                ],
            },
            {
                "name": "mother_id",
                "type": "id_number",
                "label": {"en": "Mother's ID number"},
            },
            {
                "name": "father_named",
                "type": "yes_no",
                "label": {"en": "Will the father be named on the birth record?"},
            },
        ],
        "text": {
            "name": "Birth Registration",
            "short_name": "Birth registration",
            "description": (
                "Registering a birth gives the child a birth certificate and ID number, "
                "needed for grants, school and clinics. Register within 30 days at a Home "
                "Affairs office or a hospital with a Home Affairs desk. Later registration "
                "is possible but needs more documents."
            ),
            "eligibility": (
                "A parent registers the birth. If neither parent can, a guardian or close "
                "relative may, with the reason and supporting documents."
            ),
            "required_documents": [
                "Parents' ID documents",
                "Proof of birth from the hospital or clinic",
                "Marriage certificate, if the parents are married",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "identity-document",
        "agency": "dha",
        "category": "documents",
        # Fingerprints and a photo are taken at the office.
        "channels": ("assisted",),
        "service_level_days": 10,
        "application_fields": [
            {
                "name": "application_type",
                "type": "choice",
                "label": {"en": "What do you need?"},
                "choices": [
                    {"value": "first", "label": {"en": "My first ID"}},
                    {"value": "replacement", "label": {"en": "A replacement (lost or stolen)"}},
                    {"value": "green_book", "label": {"en": "Smart ID card for my green ID book"}},
                    {"value": "new_details", "label": {"en": "A new ID with changed details"}},
                ],
            },
            {
                "name": "date_of_birth",
                "type": "date",
                "label": {"en": "Your date of birth"},
            },
            {
                "name": "sms_when_ready",
                "type": "yes_no",
                "label": {"en": "Send an SMS when your ID is ready?"},
            },
        ],
        "text": {
            "name": "Identity Document (Smart ID Card)",
            "short_name": "Smart ID card",
            "description": (
                "The smart ID card replaces the green ID book and proves who you are for "
                "grants, banking and voting. Your fingerprints and photo are taken at a Home "
                "Affairs office or a participating bank branch, so you apply in person."
            ),
            "eligibility": (
                "South African citizens aged 16 or older. Permanent residents are issued a "
                "green ID book instead."
            ),
            "required_documents": [
                "Your birth certificate or green ID book",
                "A parent's ID, for a first application",
                "Marriage certificate, if your surname changed",
            ],
            "cost": "Free for your first ID; R140 for a replacement",
        },
    },
    {
        "code": "gbv-support",
        "agency": "dsd",
        "category": "protection",
        "channels": ALL_CHANNELS,
        "service_level_days": 1,
        "application_fields": [
            {
                "name": "safe_now",
                "type": "yes_no",
                "label": {"en": "Are you safe right now?"},
            },
            {
                "name": "help_needed",
                "type": "choice",
                "label": {"en": "What help do you need most?"},
                "choices": [
                    {"value": "counselling", "label": {"en": "Counselling"}},
                    {"value": "shelter", "label": {"en": "A safe place to stay"}},
                    {"value": "protection_order", "label": {"en": "Help with a protection order"}},
                    {"value": "medical", "label": {"en": "Medical care"}},
                ],
            },
            {
                # Calling at the wrong moment can put the person at risk.
                "name": "safe_call_time",
                "type": "choice",
                "label": {"en": "When is it safe for us to call you?"},
                "choices": [
                    {"value": "morning", "label": {"en": "Morning"}},
                    {"value": "afternoon", "label": {"en": "Afternoon"}},
                    {"value": "evening", "label": {"en": "Evening"}},
                    {"value": "never", "label": {"en": "Do not call me, send an SMS"}},
                ],
            },
            {
                "name": "details",
                "type": "text",
                "label": {"en": "Anything else you want us to know (optional)"},
                "max_length": 1000,
                "required": False,
                "channels": NOT_USSD,
            },
        ],
        "text": {
            "name": "Victim Empowerment and Gender-Based Violence Support",
            "short_name": "GBV support",
            "description": (
                "Free, confidential help for anyone affected by gender-based violence: "
                "counselling, a safe shelter, help with a protection order and referral for "
                "medical care. In an emergency call 10111, or the GBV Command Centre on "
                "0800 428 428, day or night."
            ),
            "eligibility": (
                "Anyone, of any age or gender, who has experienced violence or abuse or is at "
                "risk of it. You do not need to open a police case first."
            ),
            "required_documents": ["No documents are needed"],
            "cost": "Free",
        },
    },
    {
        "code": "child-protection-report",
        "agency": "dsd",
        "category": "protection",
        "channels": ALL_CHANNELS,
        "service_level_days": 1,
        "application_fields": [
            {
                "name": "danger_now",
                "type": "yes_no",
                "label": {"en": "Is the child in danger right now?"},
            },
            {
                "name": "concern",
                "type": "choice",
                "label": {"en": "What is happening to the child?"},
                "choices": [
                    {"value": "abuse", "label": {"en": "Physical or sexual abuse"}},
                    {"value": "neglect", "label": {"en": "Neglect"}},
                    {"value": "abandoned", "label": {"en": "Abandoned or orphaned"}},
                    {"value": "exploitation", "label": {"en": "Child labour or exploitation"}},
                ],
            },
            {
                "name": "child_age",
                "type": "number",
                "label": {"en": "How old is the child? Guess if unsure"},
                "min": 0,
                "max": 17,
            },
            {
                "name": "location",
                "type": "text",
                "label": {"en": "Where is the child? Area or street"},
                "max_length": 60,
            },
            {
                "name": "details",
                "type": "text",
                "label": {"en": "What have you seen or heard? (optional)"},
                "max_length": 1000,
                "required": False,
                "channels": NOT_USSD,
            },
        ],
        "text": {
            "name": "Report a Child in Need of Care and Protection",
            "short_name": "Child protection report",
            "description": (
                "Tell a social worker about a child who is abused, neglected, abandoned or "
                "exploited. The report is investigated under the Children's Act and your "
                "name is kept from the family. If a child is in danger now, call 10111 or "
                "Childline on 116."
            ),
            "eligibility": (
                "Anyone can report. Teachers, health workers, social workers and some others "
                "must report suspected abuse by law."
            ),
            "required_documents": ["No documents are needed"],
            "cost": "Free",
        },
    },
    {
        "code": "substance-abuse-treatment",
        "agency": "dsd",
        "category": "health",
        "channels": ALL_CHANNELS,
        "service_level_days": 10,
        "application_fields": [
            {
                "name": "for_whom",
                "type": "choice",
                "label": {"en": "Who needs help?"},
                "choices": [
                    {"value": "self", "label": {"en": "Me"}},
                    {"value": "family", "label": {"en": "A family member"}},
                ],
            },
            {
                "name": "substance",
                "type": "choice",
                "label": {"en": "Which substance is the main problem?"},
                "choices": [
                    {"value": "alcohol", "label": {"en": "Alcohol"}},
                    {"value": "cannabis", "label": {"en": "Dagga (cannabis)"}},
                    {"value": "nyaope", "label": {"en": "Nyaope or heroin"}},
                    {"value": "tik", "label": {"en": "Tik (methamphetamine)"}},
                    {"value": "other", "label": {"en": "Something else"}},
                ],
            },
            {
                "name": "age",
                "type": "number",
                "label": {"en": "Age of the person who needs help"},
                "min": 10,
                "max": 100,
            },
        ],
        "text": {
            "name": "Substance Abuse Treatment",
            "short_name": "Substance abuse help",
            "description": (
                "Assessment by a social worker and referral to free outpatient or inpatient "
                "treatment for alcohol or drug dependence at a government or registered "
                "centre. Family members can ask for help on someone's behalf. The Substance "
                "Abuse Helpline is 0800 12 13 14."
            ),
            "eligibility": (
                "Anyone struggling with alcohol or drugs, or a family member worried about "
                "them. Children under 18 are treated with a parent's or social worker's help."
            ),
            "required_documents": [
                "Your ID document, if you have one",
                "A referral letter or clinic card, if any",
            ],
            "cost": "Free at government centres",
        },
    },
    {
        "code": "ecd-registration",
        "agency": "education",
        "category": "education",
        "channels": ALL_CHANNELS,
        # Includes a site visit for health and safety.
        "service_level_days": 30,
        "application_fields": [
            {
                "name": "programme_name",
                "type": "text",
                "label": {"en": "Name of the ECD programme"},
                "max_length": 60,
            },
            {
                "name": "programme_type",
                "type": "choice",
                "label": {"en": "What kind of programme is it?"},
                "choices": [
                    {"value": "centre", "label": {"en": "ECD centre or creche"}},
                    {"value": "playgroup", "label": {"en": "Playgroup"}},
                    {"value": "home_visiting", "label": {"en": "Home visiting programme"}},
                ],
            },
            {
                "name": "children_enrolled",
                "type": "number",
                "label": {"en": "How many children attend?"},
                "min": 1,
                "max": 500,
            },
            {
                "name": "municipal_approval",
                "type": "yes_no",
                "label": {"en": "Do you have municipal health and zoning approval?"},
            },
            {
                "name": "opened_on",
                "type": "date",
                "label": {"en": "When did the programme start? (optional)"},
                "required": False,
            },
        ],
        "text": {
            "name": "Early Childhood Development (ECD) Programme Registration",
            "short_name": "ECD registration",
            "description": (
                "Registers a creche, playgroup or other early learning programme with the "
                "provincial education department, which took over ECD from Social "
                "Development in April 2022. Registered programmes can apply for the ECD "
                "subsidy; conditional registration is possible while you fix gaps."
            ),
            "eligibility": (
                "Anyone running an early learning programme for children from birth until "
                "they start school, including home-based and non-profit programmes."
            ),
            "required_documents": [
                "Owner's or manager's ID document",
                "NPO or company registration, if any",
                "Municipal health and zoning approval",
                "Daily programme and list of children",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "school-fee-exemption",
        "agency": "education",
        "category": "education",
        "channels": ALL_CHANNELS,
        "service_level_days": 14,
        "application_fields": [
            {
                "name": "learner_id",
                "type": "id_number",
                "label": {"en": "Learner's ID number"},
            },
            {
                "name": "school_name",
                "type": "text",
                "label": {"en": "Name of the school"},
                "max_length": 60,
            },
            {
                "name": "annual_fees",
                "type": "number",
                "label": {"en": "School fees per year for this learner, in rand"},
                "min": 1,
                "max": 500_000,
            },
            {
                "name": "annual_income",
                "type": "number",
                "label": {"en": "Parents' combined income per year, in rand"},
                "min": 0,
                "max": 100_000_000,
            },
            {
                "name": "learner_gets_grant",
                "type": "yes_no",
                "label": {"en": "Does the learner get a child support grant?"},
            },
        ],
        "text": {
            "name": "School Fee Exemption",
            "short_name": "School fee exemption",
            "description": (
                "Parents who cannot afford fees at a fee-paying public school can apply to "
                "the school governing body for full or partial exemption. Learners who get a "
                "child support or foster child grant, or live in a children's home, qualify "
                "automatically."
            ),
            "eligibility": (
                "Full exemption if your combined yearly income is less than 10 times the "
                "fees, partial if less than 30 times. The school may not exclude your child "
                "while you apply."
            ),
            "required_documents": [
                "Your ID document",
                "Learner's birth certificate",
                "Proof of income, or an affidavit",
                "Grant letter, if the learner gets a grant",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "housing-subsidy",
        "agency": "housing",
        "category": "housing",
        "channels": ALL_CHANNELS,
        "service_level_days": 30,
        "application_fields": [
            {
                "name": "programme",
                "type": "choice",
                "label": {"en": "Which programme fits your household income?"},
                "choices": [
                    {"value": "bng", "label": {"en": "Free house (BNG): up to R3,500 a month"}},
                    {
                        "value": "first_home_finance",
                        "label": {"en": "First Home Finance: R3,501 to R22,000"},
                    },
                ],
            },
            {
                "name": "monthly_income",
                "type": "number",
                "label": {"en": "Household income per month, in rand"},
                "min": 0,
                "max": 1_000_000,
            },
            {
                "name": "dependants",
                "type": "number",
                "label": {"en": "How many people depend on you financially?"},
                "min": 0,
                "max": 20,
            },
            {
                "name": "owned_before",
                "type": "yes_no",
                "label": {"en": "Have you owned a house or had a housing subsidy?"},
            },
            {
                "name": "preferred_area",
                "type": "text",
                "label": {"en": "Area where you want to live"},
                "max_length": 60,
            },
        ],
        "text": {
            "name": "Housing Subsidy (BNG and First Home Finance)",
            "short_name": "Housing subsidy",
            "description": (
                "A free house (Breaking New Ground, BNG) for households earning up to R3,500 "
                "a month, or First Home Finance (formerly FLISP) towards a deposit or home "
                "loan for those earning R3,501 to R22,000. You join your province's housing "
                "needs register, and waiting times can be long."
            ),
            "eligibility": (
                "You are a citizen or permanent resident aged 18 or older, married or with "
                "financial dependants, have never owned a house and have not had a housing "
                "subsidy. Older persons and people with disabilities may apply alone."
            ),
            "required_documents": [
                "Your ID document, and your partner's",
                "IDs or birth certificates of dependants",
                "Proof of household income",
                "Marriage certificate, if married",
            ],
            "cost": "Free to apply",
        },
    },
    {
        "code": "food-parcels",
        "agency": "dsd",
        "category": "food",
        "channels": ALL_CHANNELS,
        "service_level_days": 5,
        "application_fields": [
            {
                "name": "household_size",
                "type": "number",
                "label": {"en": "How many people live in your household?"},
                "min": 1,
                "max": 30,
            },
            {
                "name": "children_under_five",
                "type": "number",
                "label": {"en": "How many of them are under 5 years old?"},
                "min": 0,
                "max": 15,
            },
            {
                "name": "anyone_earning",
                "type": "yes_no",
                "label": {"en": "Does anyone in the household earn money?"},
            },
            {
                "name": "area",
                "type": "text",
                "label": {"en": "Your area, village or ward"},
                "max_length": 60,
            },
        ],
        "text": {
            "name": "Food Parcels (Food Relief)",
            "short_name": "Food parcels",
            "description": (
                "Emergency food parcels or vouchers for households with no food, for example "
                "after losing income, a death in the family or a disaster. A social worker "
                "assesses your household and may refer you to a community nutrition centre "
                "for daily cooked meals."
            ),
            "eligibility": (
                "Households in immediate need with no other way to buy food. Households with "
                "young children, older persons or people with disabilities come first."
            ),
            "required_documents": [
                "Your ID document, if you have one",
                "Household members' IDs or birth certificates",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "missing-person-report",
        "agency": "saps",
        "category": "protection",
        # The reporter signs consent at the station for the photo to be published.
        "channels": ("assisted",),
        "service_level_days": 1,
        "application_fields": [
            {
                "name": "missing_name",
                "type": "text",
                "label": {"en": "Full name of the missing person"},
                "max_length": 100,
            },
            {
                "name": "missing_age",
                "type": "number",
                "label": {"en": "Age of the missing person"},
                "min": 0,
                "max": 120,
            },
            {
                "name": "last_seen",
                "type": "date",
                "label": {"en": "Date the person was last seen"},
            },
            {
                "name": "has_photo",
                "type": "yes_no",
                "label": {"en": "Do you have a recent photo of the person?"},
            },
        ],
        "text": {
            "name": "Report a Missing Person",
            "short_name": "Missing person report",
            "description": (
                "Report a missing person at any police station straight away: there is no "
                "24-hour waiting period. You report in person because you sign a form "
                "allowing the police to publish the person's photo."
            ),
            "eligibility": "Anyone worried about a missing family member, friend or dependant.",
            "required_documents": [
                "A recent photo of the missing person",
                "Your ID document",
                "The person's ID number, if you know it",
            ],
            "cost": "Free",
        },
    },
    {
        "code": "chronic-medicine-collection",
        "agency": "health",
        "category": "health",
        "channels": ALL_CHANNELS,
        "service_level_days": 10,
        "application_fields": [
            {
                "name": "clinic_patient",
                "type": "yes_no",
                "label": {"en": "Do you get chronic medicine at a public clinic?"},
            },
            {
                "name": "condition",
                "type": "choice",
                "label": {"en": "What is the medicine for?"},
                "choices": [
                    {"value": "hiv", "label": {"en": "HIV"}},
                    {"value": "hypertension", "label": {"en": "High blood pressure"}},
                    {"value": "diabetes", "label": {"en": "Diabetes"}},
                    {"value": "other", "label": {"en": "Another chronic condition"}},
                ],
            },
            {
                "name": "pickup_area",
                "type": "text",
                "label": {"en": "Area where you want to collect it"},
                "max_length": 60,
            },
        ],
        "text": {
            "name": "Chronic Medicine Collection (CCMDD)",
            "short_name": "Chronic medicine pick-up",
            "description": (
                "If your chronic condition is stable, collect your repeat medicine at a "
                "pick-up point near you, such as a pharmacy, instead of queuing at the clinic "
                "each month. This is the CCMDD programme, also called Dablapmeds; you still "
                "see the clinic when your script is renewed."
            ),
            "eligibility": (
                "Public clinic patients whose nurse or doctor confirms they are stable on "
                "treatment for HIV, high blood pressure, diabetes or another chronic "
                "condition."
            ),
            "required_documents": [
                "Your ID document or clinic folder number",
                "Your clinic card or current prescription",
            ],
            "cost": "Free",
        },
    },
)
