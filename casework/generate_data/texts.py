"""Words for generated data: names, complaints, reasons and notes, as people write them.

Phrases are combined (an opening and a detail, say) so that a million complaints do not
all read alike, which matters to anything that searches or compresses text.
"""

from __future__ import annotations

# Given names and surnames by language, so a Zulu speaker is more often a Dlamini than a
# van der Merwe; anyone can have any name, the weighting is all.
GIVEN_NAMES = {
    "zu": ("Sipho", "Thandiwe", "Nomvula", "Bongani", "Zanele", "Sibusiso", "Nokuthula", "Themba"),
    "xh": ("Lwazi", "Nandipha", "Siyabonga", "Ayanda", "Lindiwe", "Luthando", "Zukiswa", "Mandla"),
    "st": ("Lerato", "Tumelo", "Palesa", "Thabo", "Mpho", "Lebohang", "Dineo", "Teboho"),
    "af": ("Pieter", "Annelie", "Johan", "Marietjie", "Chantelle", "Jacques", "Elmarie", "Riaan"),
    "sw": ("Amani", "Neema", "Baraka", "Zawadi", "Juma", "Rehema", "Imani", "Faraji"),
    "en": ("Michael", "Sarah", "David", "Ayesha", "Kevin", "Fatima", "Grace", "Daniel"),
}
SURNAMES = {
    "zu": ("Dlamini", "Ndlovu", "Zulu", "Mkhize", "Ngcobo", "Khumalo", "Mthembu", "Cele"),
    "xh": ("Mahlangu", "Nkosi", "Mbeki", "Gqola", "Sisulu", "Mgudlwa", "Ntshona", "Qoboshiyane"),
    "st": ("Mokoena", "Mofokeng", "Molefe", "Nthako", "Letsie", "Sello", "Ramokhoase", "Tau"),
    "af": ("van der Merwe", "Botha", "Pretorius", "Steyn", "du Plessis", "Fourie", "Nel", "Kruger"),
    "sw": ("Mwangi", "Otieno", "Kamau", "Wanjiru", "Hassan", "Mushi", "Omondi", "Njoroge"),
    "en": ("Smith", "Patel", "Naidoo", "Williams", "Jacobs", "Adams", "Pillay", "Brown"),
}

# What complaints say, by category: an opening, then a detail.
COMPLAINT_OPENINGS = {
    "service_delay": (
        "I applied three months ago and have heard nothing.",
        "My application has been waiting since last year.",
        "Nobody has called me back about my application.",
        "I went to the office four times and was told to come back.",
    ),
    "payment": (
        "My grant was not paid this month.",
        "The amount paid into my account was less than before.",
        "My SASSA card was blocked and I cannot get my money.",
        "I was told my payment was stopped but nobody said why.",
    ),
    "staff_conduct": (
        "The official at the counter shouted at me.",
        "I waited all day and the staff were rude when I asked.",
        "A staff member refused to help me in my language.",
        "The security guard would not let me in with my child.",
    ),
    "fraud_corruption": (
        "Someone asked me for money to speed up my application.",
        "A man outside the office is selling places in the queue.",
        "My grant is being collected by someone I do not know.",
        "I was asked for a bribe to get my ID document.",
    ),
    "access": (
        "The office has no ramp and I use a wheelchair.",
        "There is no sign language interpreter at the office.",
        "The queue is outside with no shade or water for the elderly.",
        "The office is closed on the days the bus comes to our village.",
    ),
    "gender_based_violence": (
        "I need help, my partner is hurting me.",
        "I reported abuse at the police station and nobody followed up.",
        "My neighbour is being beaten and is afraid to report it.",
        "I left home because of violence and need a safe place.",
    ),
    "child_abuse": (
        "A child in our street is left alone for days.",
        "I think a child at the crèche is being hurt.",
        "My niece is not going to school and is made to work.",
        "A child is living with a relative who drinks and beats him.",
    ),
    "other": (
        "I do not know where to go for help.",
        "The office phone number does not work.",
        "I was sent from one office to another and back again.",
        "The website did not accept my documents.",
    ),
}
COMPLAINT_DETAILS = (
    "Please help me.",
    "I have children to feed.",
    "I cannot afford the taxi to go again.",
    "This is the second time this has happened.",
    "My reference was given to me on the phone.",
    "I am 72 years old and cannot stand in the queue.",
    "I have all my documents with me.",
    "Please call me in the afternoon.",
    "",
)

REJECTION_REASONS = (
    "Not a matter for this department; the citizen was told where to go.",
    "A duplicate of a complaint already being handled.",
    "Not enough detail to act on, and the number did not answer.",
)
RESOLUTION_REASONS = (
    "Payment made on Friday; the citizen confirmed.",
    "The application was processed and the citizen informed.",
    "The manager spoke to the staff member; an apology was given.",
    "A social worker visited and a safety plan is in place.",
    "Referred to the right office and the citizen was helped.",
    "The card was replaced at the local office.",
)
REOPEN_REASONS = (
    "The payment has still not arrived.",
    "The citizen says nothing has changed.",
)
INTERNAL_NOTES = (
    "Called the citizen, no answer; will try again tomorrow.",
    "Spoke to the local office manager.",
    "Waiting for the payment system to confirm.",
    "Documents checked, all in order.",
    "Asked the district office for the file.",
)
STAFF_MESSAGES = (
    "Please bring your ID and bank statement to the office.",
    "We are looking into your complaint and will call you this week.",
    "Your documents were received, thank you.",
)
MORE_INFO_REASONS = (
    "Please send a certified copy of your ID.",
    "We need three months of bank statements.",
    "Please send the child's birth certificate.",
)
CITIZEN_ANSWERS = (
    "I brought the documents to the office on Monday.",
    "Attached are my bank statements.",
    "The birth certificate is at the office now.",
)
APPLICATION_REJECTIONS = (
    "Income above the means test.",
    "The documents did not match the application.",
    "Already receiving a grant that cannot be combined with this one.",
)
REFERRAL_REASONS = (
    "Needs a social worker to assess the household.",
    "Needs an ID document before a grant can be applied for.",
    "Needs chronic medicine and a clinic file.",
    "Needs food support while the grant is processed.",
    "School fees are owed and the learner may be excluded.",
    "Housing is unsafe after the storm.",
)
DECLINE_REASONS = (
    "Not in our area; please refer to the district office.",
    "We do not offer this service.",
)
CANCEL_REASONS = (
    "The citizen no longer needs the service.",
    "Sent to the wrong agency.",
)
ANSWER_TEXTS = (
    "Soweto",
    "Umlazi",
    "Mthatha",
    "Botshabelo",
    "Sunshine Day Care",
    "Ikusasa Primary School",
    "Dr Mbeki at the clinic",
    "Next to the tuck shop on Main Road",
)
