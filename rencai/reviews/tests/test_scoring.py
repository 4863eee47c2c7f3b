"""The arithmetic of a panel, by hand: weighted totals, the outlier rule (modified z-score, MAD and its MeanAD
fallback), the mean and trimmed mean, the defence's weight and the ranking order."""

from decimal import Decimal as D

import pytest

from rencai.reviews import scoring


def test_a_total_is_the_weighted_sum_rounded_half_up():
    assert scoring.weighted_total([(18, D(1)), (17, D(1)), (16, D(1))]) == D("51.00")
    # 0.3 × 17 + 0.7 × 9 = 5.1 + 6.3 = 11.4; 0.125 × 1 = 0.125 → 0.13 (half up, not half even's 0.12)
    assert scoring.weighted_total([(17, D("0.3")), (9, D("0.7"))]) == D("11.40")
    assert scoring.weighted_total([(1, D("0.125"))]) == D("0.13")
    assert scoring.plain(D("85.00")) == "85" and scoring.plain(D("85.5")) == "85.50"


def test_the_outlier_rule_by_hand():
    # totals 80, 82, 78, 81, 50: median 80; |deviations| 0, 2, 2, 1, 30 → MAD (their median) 2;
    # M = 0.6745 × deviation / 2: 50 → 0.6745 × 30 / 2 = 10.12 > 3.5 (flagged); 82 and 78 → 0.67; 81 → 0.34
    totals = [D(80), D(82), D(78), D(81), D(50)]
    assert scoring.outliers(totals) == [False, False, False, False, True]
    # a threshold of 11 (the sheet's parameter) no longer flags it: 10.12 < 11
    assert scoring.outliers(totals, threshold=D(11)) == [False] * 5
    # nor does a minimum gap of 31 points from the median (it is 30 away)
    assert scoring.outliers(totals, min_gap=D(31)) == [False] * 5
    # the mean is pulled down by it (74.20); dropping the highest and lowest gives (78 + 80 + 81) / 3 = 79.67
    assert scoring.panel_result(totals) == D("74.20")
    assert scoring.panel_result(totals, trim=1) == D("79.67")


def test_when_most_experts_agree_the_mean_absolute_deviation_stands_in():
    # 80, 80, 80, 60: median 80, MAD 0; MeanAD = 20 / 4 = 5; M(60) = 20 / (1.253314 × 5) = 3.19 ≤ 3.5: kept;
    # 80, 80, 80, 80, 55: MeanAD = 25 / 5 = 5; M(55) = 25 / 6.27 = 3.99 > 3.5: flagged
    assert scoring.outliers([D(80), D(80), D(80), D(60)]) == [False] * 4
    assert scoring.outliers([D(80)] * 4 + [D(55)]) == [False] * 4 + [True]
    # a one-point difference among agreeing experts is flagged by the ratio alone, not with a minimum gap
    assert scoring.outliers([D(80)] * 4 + [D(81)]) == [False] * 4 + [True]
    assert scoring.outliers([D(80)] * 4 + [D(81)], min_gap=D(10)) == [False] * 5
    assert scoring.outliers([D(70)] * 5) == [False] * 5
    assert scoring.outliers([D(10), D(90)]) == [False, False]  # two experts: no majority to be far from


def test_the_defence_weighs_as_the_caller_says_on_a_hundred_point_scale():
    # review 80 of 100, defence 40 of 50 (80%): any weight gives 80; defence 30 of 50 (60%) at 0.3: 0.7×80 + 0.3×60
    assert scoring.combined(D(80), D(100), D(40), D(50), D("0.3")) == D("80.00")
    assert scoring.combined(D(80), D(100), D(30), D(50), D("0.3")) == D("74.00")
    assert scoring.combined(D("42.5"), D(50)) == D("85.00")  # no defence: the review on 100
    with pytest.raises(ValueError):
        scoring.combined(D(80), D(100), D(30), D(50), D("1.5"))


def test_the_ranking_order_breaks_ties_by_median_then_the_first_criterion():
    keys = {"a": scoring.ranking_key(D(80), D(80), D(16)), "b": scoring.ranking_key(D(80), D(82), D(15)),
            "c": scoring.ranking_key(D(80), D(82), D(17)), "d": scoring.ranking_key(D(85), D(70), D(10))}
    assert sorted(keys, key=keys.get) == ["d", "c", "b", "a"]
