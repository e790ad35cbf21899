"""The command line: quick entry, listing, export, doctor, demo."""
