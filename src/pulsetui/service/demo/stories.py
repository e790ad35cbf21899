"""What the demo firm's records say: agenda topics, promises, requests, NPS and eNPS
reasons, pulse notes and worries, in English, Finnish, Estonian and Russian.

Plain text pools; :mod:`pulsetui.service.demo.builder` picks from them with its seeded
random generator, so their order is part of the demo's data.
"""

from __future__ import annotations

from pulsetui.domain.enums import SpiralQuarter, TouchpointKind

AGENDA_TEXTS = (
    "Release plan for the next sprint",
    "Open bugs from the last acceptance test",
    "Access rights for the new team member",
    "Budget follow-up for this quarter",
    "Performance of the search page",
    "Change request: export to Excel",
    "Test environment stability",
    "Holiday season coverage",
    "Roadmap for the next quarter",
    "Security review findings",
    "Who approves the UI changes?",
    "Invoice questions from finance",
    "Käyttäjäpalaute: hakutoiminto on hidas",
    "Järgmise kvartali prioriteedid",
    "Сроки интеграции с 1С",
    "Monitoring alerts at night 🔔",
)

AGREEMENTS_US = (
    "Deliver the fix for the login timeout",
    "Redesign the search page after the usability test",
    "Prepare a cost estimate for the export feature",
    "Document the deployment process",
    "Run the load test before release",
    "Share the incident report",
    "Propose a rotation plan for on-call",
)

AGREEMENTS_CLIENT = (
    "Approve the UI mock-ups",
    "Provide test data for the integration",
    "Give VPN access to the new consultant",
    "Decide on the hosting option",
    "Name a product owner for the reporting module",
    "Pay the overdue invoices",
)

BROKEN_PROMISES = (
    "Ship the reporting module",
    "Deliver milestone 2 of the roadmap",
    "Fix the nightly import before the audit",
)

BROKEN_REASONS = (
    "Missed the deadline: the team was pulled into an incident",
    "Slipped two sprints; scope was larger than estimated",
    "Not delivered before the client's board meeting",
)

TOUCHPOINT_NOTES = {
    TouchpointKind.ARTICLE: "Sent an article on release automation",
    TouchpointKind.CASE: "Shared a case study from a similar project",
    TouchpointKind.ROADMAP: "Proposed a roadmap for the next half-year",
    TouchpointKind.CALL: "Quick call to check how things are going",
    TouchpointKind.EVENT: "Invited to our breakfast seminar",
    TouchpointKind.FEEDBACK: "Asked for feedback on the last release",
}

WISHES = (
    "Dark mode for the admin pages",
    "Export of all reports to PDF",
    "A second language version of the portal",
    "Single sign-on with the client's directory",
    "Push notifications in the mobile app",
    "Bulk edit for orders",
)

SUPPORT = (
    "Password reset e-mails arrive late",
    "Report totals differ from the invoice",
    "Page loads slowly on Monday mornings",
    "Import fails for files over 10 MB",
)

NPS_REASONS = {
    "promoter": (
        "Fast, reliable delivery and people who think ahead",
        "The team feels like part of our own company",
        "Erinomainen yhteistyö, kiitos!",
        "Väga hea koostöö ja kiire reageerimine",
    ),
    "passive": (
        "Good work, but communication could be more proactive",
        "Solid team; releases are sometimes late",
        "Хорошая команда, но сроки иногда сдвигаются",
    ),
    "detractor": (
        "Deadlines were missed twice in a row",
        "Promises made in meetings were not kept",
        "We learned about problems too late",
        "Liian monta viivästystä viime kuukausina",
    ),
}

ENPS_ROUNDS = (  # name, closed this many days before today, scores
    ("2025", 385, (9, 10, 8, 7, 9, 6, 10, 8, 5, 9, 7)),
    ("2026", 21, (10, 9, 9, 8, 10, 7, 9, 6, 10, 9, 8, 4)),
    ("2026-trainees", 21, (8, 6, 9)),
)

ENPS_REASONS = (
    "Great colleagues and interesting projects",
    "Hyvä porukka, joustava työaika",
    "Head kolleegid, aga liiga palju ületunde",
    "Отличная команда, но мало обучения",
    "Too many context switches between clients",
    "My manager listens and acts 👍",
    "",
)

# ---- pulse conversations and meeting notes

FOLLOW_UPS = (
    "Ask the client about a second developer",
    "Find a training budget for the cloud course",
    "Check the on-call rota with the client",
    "Talk to the client about overtime",
    "Book a mentoring session with a senior architect",
    "Look into a remote-work day each week",
    "Sort out the new laptop",
)
GROWTH = (
    "Wants to lead a small team next year",
    "Interested in the AWS architect certification",
    "Would like to try product ownership",
    "Хочет развиваться в архитектуре",
    "Tahab rohkem kliendiga suhelda",
)
PULSE_NOTES = (
    "project going well, the client is friendly",
    "busy sprint, but under control",
    "would like clearer priorities from the client",
    "enjoys the team; misses the office days",
    "kaikki hyvin, kiireinen kuukausi",
    "всё нормально, но много встреч",
)
MEETING_NOTES = (
    "Went through the agenda; priorities agreed for the next sprint.",
    "Short meeting: status and risks. Client happy with the demo.",
    "Discussed the roadmap and the budget. Follow-up by e-mail.",
    "Tense discussion about the schedule; agreed on a recovery plan.",
    "Kokous sujui hyvin, asiakas tyytyväinen.",
)

STRESSED_WORRIES = (
    "Evenings and weekends for three weeks now",
    "The client adds work every day; no time to do it well",
    "Сплю плохо, слишком много задач",
)
WORRIES = ("", "", "", "Unsure what comes after this project")

# ---- single lines of the scripted stories

UNPLANNED_NOTE = "Added mid-project for work nobody had planned."
NO_LONGER_NEEDED = "No longer needed"
TALKED_THROUGH = "Talked it through with the client; new date agreed in writing"
OVERDUE_OFFER = "Send the fixed-price offer"
SLOW_APPROVAL = "Approve access to the test environment"
SLOW_APPROVAL_REASON = "Approval took three weeks instead of one"
WELCOME_PACK = "Sent the welcome pack and a case study"
SEASONS_GREETINGS = "Season's greetings card 🎄 Hyvää joulua!"

# What a team notes for its weekly client reports (done / next / risk with a way out).
WORK_DONE = (
    "Shipped the search filters to the test environment",
    "Fixed the three bugs found in acceptance testing",
    "Finished the data migration dry run",
    "Reviewed the API design with the client's architect",
    "Automated the nightly build and its smoke tests",
    "Valmis: raportointinäkymän ensimmäinen versio",
)
WORK_NEXT = (
    "Start the payment integration",
    "Prepare the release notes and the demo for the steering group",
    "Performance tests with production-sized data",
    "Accessibility review of the new forms",
    "Järgmine: kasutajaliidese muudatuste testimine",
)
WORK_RISKS = (
    (
        "Test data has not arrived, so the integration tests may slip",
        "We run the tests on generated data now and again once the real data arrives.",
    ),
    (
        "Two approvals are pending, which holds the release back",
        "We suggest one decision meeting this week with everyone who approves.",
    ),
)

# the quarter of the spiral each piece of work naturally feeds (a text not here: none)
FEEDS = {
    "Deliver the fix for the login timeout": SpiralQuarter.Q3_STABILITY,
    "Redesign the search page after the usability test": SpiralQuarter.Q2_USABILITY,
    "Prepare a cost estimate for the export feature": SpiralQuarter.Q1_FUNCTIONALITY,
    "Document the deployment process": SpiralQuarter.Q3_STABILITY,
    "Run the load test before release": SpiralQuarter.Q3_STABILITY,
    "Share the incident report": SpiralQuarter.Q4_SUPPORT,
    "Propose a rotation plan for on-call": SpiralQuarter.Q4_SUPPORT,
    "Ship the reporting module": SpiralQuarter.Q1_FUNCTIONALITY,
    "Deliver milestone 2 of the roadmap": SpiralQuarter.Q1_FUNCTIONALITY,
    "Fix the nightly import before the audit": SpiralQuarter.Q3_STABILITY,
    "Dark mode for the admin pages": SpiralQuarter.Q2_USABILITY,
    "Export of all reports to PDF": SpiralQuarter.Q1_FUNCTIONALITY,
    "A second language version of the portal": SpiralQuarter.Q2_USABILITY,
    "Single sign-on with the client's directory": SpiralQuarter.Q1_FUNCTIONALITY,
    "Push notifications in the mobile app": SpiralQuarter.Q1_FUNCTIONALITY,
    "Bulk edit for orders": SpiralQuarter.Q2_USABILITY,
    "Extra dashboard for the sales team": SpiralQuarter.Q1_FUNCTIONALITY,
    "Мобильная версия личного кабинета": SpiralQuarter.Q2_USABILITY,
    "Integration with the new CRM": SpiralQuarter.Q1_FUNCTIONALITY,
    "Custom report for the board": SpiralQuarter.Q1_FUNCTIONALITY,
    "Order history search": SpiralQuarter.Q1_FUNCTIONALITY,
    "CSV import of price lists": SpiralQuarter.Q1_FUNCTIONALITY,
    "Extra approval step in the loan form": SpiralQuarter.Q1_FUNCTIONALITY,
    "New onboarding animation": SpiralQuarter.Q2_USABILITY,
}
