"""Keys a citizen types on the USSD menu, shared by the fault tests (the handset itself is
tests.ussd.caller.Caller)."""

# A complaint about a payment problem (category 1) in the first district, at no office,
# up to its confirmation; then "1" sends it. Keys as a citizen types them.
COMPLAINT_TO_CONFIRM = ("3", "1", "1", "1", "My grant did not come", "1")
