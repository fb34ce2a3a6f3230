"""markup: the days and lists the summary, the panel, the charts and the exports write."""

import datetime as dt

from central_asia_atlas.markup import and_list, day


def test_days_and_lists_are_written_as_prose() -> None:
    """No zero-padded day, and "and" before the last of a list only."""
    assert day(dt.date(2025, 10, 7)) == "7 October 2025"
    assert day(dt.date(2022, 2, 24)) == "24 February 2022"
    assert and_list([]) == ""
    assert and_list(["Russia"]) == "Russia"
    assert and_list(["Russia", "China"]) == "Russia and China"
    assert and_list(["Russia", "the EU", "China"]) == "Russia, the EU and China"
