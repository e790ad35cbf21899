"""Reports: weekly Markdown, CSV, iCalendar, NPS and eNPS summaries."""
