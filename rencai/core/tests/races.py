"""Real races for tests, on SQLite (a file database: see settings/test.py) and PostgreSQL alike: N threads, each
with its own test client and so its own database connection, released together by a barrier, each sending
one request through the whole stack (middleware, views or the API, services, the database)."""

import re
import threading

from django.conf import settings
from django.db import connections
from django.test import Client

from rencai.core.errors import BUSY_MESSAGE

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def clients_for(user, n: int) -> list[Client]:
    """N clients logged in as ``user`` (one session, logged in once), each to be used by one thread."""
    login = Client()
    if user is not None:
        login.force_login(user)
    result = []
    for _ in range(n):
        client = Client(raise_request_exception=False)  # a server error is an answer to count, not an exception
        if user is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = login.cookies[settings.SESSION_COOKIE_NAME].value
        result.append(client)
    return result


def race(send, clients: list[Client]) -> list:
    """``send(client, i)`` in one thread per client, all released at once; the responses in order."""
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            answers[i] = send(clients[i], i)
        except Exception as exc:  # reported by the caller's assertion
            answers[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def message_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json().get("message", "")
    return response.content.decode()


def assert_success_or_conflict(answers, success=(200, 201, 302)) -> dict[int, int]:
    """Every answer is a success or the documented 409 with a Chinese message; never a 5xx or an exception.
    Returns how many answers had each status."""
    counts: dict[int, int] = {}
    for answer in answers:
        assert not isinstance(answer, BaseException), repr(answer)
        assert answer.status_code in (*success, 409), (answer.status_code, answer.content[:400])
        if answer.status_code == 409:
            message = message_of(answer)
            assert CHINESE.search(message), answer.content[:400]
            # the safety net's "busy" would mean a writer did not get the lock in time: with BEGIN IMMEDIATE
            # and the busy timeout, concurrent writers wait their turn and meet the real conflict instead
            assert BUSY_MESSAGE not in message, "a writer did not get the database lock in time"
        counts[answer.status_code] = counts.get(answer.status_code, 0) + 1
    return counts
