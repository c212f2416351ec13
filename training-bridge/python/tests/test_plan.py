"""The reading order, without pyarrow: pinned generator values (the same as the Java tests pin)
and the split/shuffle/resume properties."""

import pytest

from gristmill_shards.plan import (
    ReaderOptions,
    ReadPlan,
    SplitMix64,
    derive,
    permutation,
    signed64,
)


def test_generator_values_match_java():
    assert SplitMix64(0).next() == 0xE220A8397B1DCDAF
    assert signed64(derive(42, 1)) == -914255856146365723
    assert permutation(10, 123) == [5, 2, 6, 9, 8, 1, 0, 4, 3, 7]


def order(rows, o, epoch):
    plan = ReadPlan(rows, o, epoch)
    return [plan.locate(plan.source_position(p)) for p in range(plan.length)]


@pytest.mark.parametrize("shards", [[103], [20, 21, 20, 22, 20], [15] * 6 + [13]])
@pytest.mark.parametrize("world", [1, 2, 3, 8])
@pytest.mark.parametrize("shuffle,window", [(False, 0), (True, 0), (True, 10)])
def test_union_of_ranks_is_the_dataset_and_ranks_are_balanced(shards, world, shuffle, window):
    seen, sizes = [], []
    for rank in range(world):
        o = ReaderOptions(rank, world, 42, shuffle, window, 4)
        rows = order(shards, o, 1)
        seen += rows
        sizes.append(len(rows))
    expected = {(s, r) for s in range(len(shards)) for r in range(shards[s])}
    assert len(seen) == sum(shards)
    assert set(seen) == expected
    assert max(sizes) - min(sizes) <= 1


def test_same_seed_same_order_other_epoch_other_order():
    o = ReaderOptions(1, 3, 7, True, 16, 4)
    rows = [30, 31, 29, 40]
    assert order(rows, o, 0) == order(rows, o, 0)
    assert order(rows, o, 0) != order(rows, o, 1)


def test_bad_options_are_refused():
    with pytest.raises(ValueError):
        ReaderOptions(rank=3, world_size=3)
