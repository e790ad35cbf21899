"""``python -m pulsetui.service.search HOME [OWNER]``: build the search index of ``HOME``
in this process and write its file (what :mod:`.rebuild` starts in the background)."""

from pulsetui.service.search.rebuild import main

if __name__ == "__main__":
    main()
