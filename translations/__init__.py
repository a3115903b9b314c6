"""The gettext catalogs, one per language (<lang>/LC_MESSAGES/messages.po and its compiled
messages.mo), shared by the web pages, the USSD screens and the SMS. A package only so that
an installed copy of Thusa carries them; see TRANSLATING.md."""
