"""Where the order of two projects decides something: the prize lines and the Regionalsieger."""

from types import SimpleNamespace

from compmgr.results.services import decisive_cuts


def test_prize_lines_and_the_regionalsieger_line():
    limits = {1: 1, 2: 2, 3: 2}
    # after the 1st prize, after both 2nd prizes, after both 3rd; Regionalsieger = 1st prizes
    assert decisive_cuts(limits) == [1, 3, 5]
    ticked = {10: SimpleNamespace(qualified=True), 11: SimpleNamespace(qualified=True)}
    assert decisive_cuts(limits, ticked) == [1, 2, 3, 5]  # two Regionalsieger ticked
    assert decisive_cuts({1: 0, 2: 0, 3: 0}) == [1]  # no prizes: still the first place
