"""Every USSD screen, by name. A session's state names the screen it is on."""

from ussd.screens import apply, complaint, directory, home, privacy, track

SCREENS = {
    **home.SCREENS,
    **apply.SCREENS,
    **track.SCREENS,
    **complaint.SCREENS,
    **directory.SCREENS,
    **privacy.SCREENS,
}
