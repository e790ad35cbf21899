"""Work in a background thread gives way while keys are coming, and not for ever; the
main thread never waits."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from pulsetui.service import pacing


@pytest.fixture(autouse=True)
def nobody_types_afterwards() -> Iterator[None]:
    yield
    pacing.set_typing(None)


def in_thread(step: threading.Event) -> threading.Thread:
    def run() -> None:
        pacing.give_way()
        step.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_thread_waits_while_keys_come_and_goes_on_after() -> None:
    typing = threading.Event()
    typing.set()
    pacing.set_typing(typing.is_set)
    done = threading.Event()
    thread = in_thread(done)
    assert not done.wait(0.2)  # keys are coming: it waits
    typing.clear()  # a pause
    assert done.wait(10)
    thread.join()


def test_the_main_thread_and_a_front_end_less_process_never_wait() -> None:
    pacing.set_typing(lambda: True)
    start = time.monotonic()
    pacing.give_way()  # the main thread
    assert time.monotonic() - start < pacing.WAIT_STEP_SECONDS
    pacing.set_typing(None)
    done = threading.Event()
    in_thread(done).join()
    assert done.is_set()


def test_a_typist_who_never_pauses_holds_it_back_only_so_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pacing, "LONGEST_WAIT_SECONDS", 0.1)
    pacing.set_typing(lambda: True)
    done = threading.Event()
    thread = in_thread(done)
    assert done.wait(10)
    thread.join()
