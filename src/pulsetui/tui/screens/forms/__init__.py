"""Forms for the records a manager sets up and keeps: clients, consultants, engagements,
requests and wishes, touchpoints; the guided first run built from them; and the
functions that open them (:mod:`pulsetui.tui.screens.forms.open`)."""
