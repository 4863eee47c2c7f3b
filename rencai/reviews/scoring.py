"""The arithmetic of a panel's scores, without the database: an expert's weighted total, the outliers among a
panel's totals, the panel's result, the final result with a defence, and the ranking order. Every figure is a
Decimal rounded half up (四舍五入) to two places, the way a scoring sheet is added up by hand; nothing here is
ever a float."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# Iglewicz & Hoaglin (1993), "How to Detect and Handle Outliers" (ASQC Basic References in Quality Control,
# vol. 16): the modified z-score M = 0.6745 (x − median) / MAD, where 0.6745 is the 0.75 quantile of the
# standard normal (so that MAD/0.6745 estimates σ for normal data); they recommend flagging |M| > 3.5.
MAD_SCALE = Decimal("0.6745")
# When MAD is 0 (half the panel or more gave the same total) the mean absolute deviation stands in, scaled by
# √(π/2) ≈ 1.253314 (the MeanAD of a normal variable is σ·√(2/π)): M = (x − median) / (1.253314 · MeanAD).
MEANAD_SCALE = Decimal("1.253314")
DEFAULT_THRESHOLD = Decimal("3.5")


def rounded(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A total as people write it: 85 for 85.00, 85.50 otherwise."""
    value = rounded(value)
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


def weighted_total(values: Sequence[tuple[int, Decimal]]) -> Decimal:
    """An expert's total: Σ weight × score over the sheet's criteria ((score, weight) pairs), rounded to 0.01."""
    return rounded(sum((Decimal(score) * Decimal(weight) for score, weight in values), Decimal(0)))


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(Decimal(v) for v in values)
    n = len(ordered)
    if not n:
        raise ValueError("median of nothing")
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def outliers(totals: Sequence[Decimal], *, threshold: Decimal = DEFAULT_THRESHOLD,
             min_gap: Decimal = Decimal(0)) -> list[bool]:
    """Which of a panel's totals are outliers, by the modified z-score (Iglewicz & Hoaglin 1993, above): a total is
    flagged when |M| > ``threshold`` (the sheet's parameter, 3.5 by their recommendation) and it is at least
    ``min_gap`` points from the median (the sheet's parameter: with a small panel MAD can be a point or two, and
    a total two points off is a difference of opinion, not an outlier). Median and MAD are robust: one wild total
    moves neither, where a mean and standard deviation would be dragged towards it and hide it. Fewer than three
    totals: none (there is no majority to be far from)."""
    values = [Decimal(v) for v in totals]
    if len(values) < 3:
        return [False] * len(values)
    centre = median(values)
    deviations = [abs(v - centre) for v in values]
    mad = median(deviations)
    if mad:
        scaled = [MAD_SCALE * d / mad for d in deviations]
    else:
        mean_ad = sum(deviations, Decimal(0)) / len(deviations)
        if not mean_ad:
            return [False] * len(values)  # every total the same
        scaled = [d / (MEANAD_SCALE * mean_ad) for d in deviations]
    return [m > Decimal(threshold) and d >= Decimal(min_gap) for m, d in zip(scaled, deviations, strict=True)]


def panel_result(totals: Sequence[Decimal], *, trim: int = 0) -> Decimal:
    """The panel's result: the arithmetic mean of the totals (every expert counts: recognition's pass marks are
    set against the panel's average, and with three to seven experts dropping a score moves the result a lot),
    or, where the sheet says so, the trimmed mean — the ``trim`` highest and ``trim`` lowest totals left out
    (the common 去掉一个最高分、一个最低分), applied only while more than 2·trim totals are there. Outliers are
    flagged beside it for the office to look into, never silently dropped. Rounded half up to 0.01."""
    values = sorted(Decimal(v) for v in totals)
    if not values:
        raise ValueError("no totals")
    if trim and len(values) > 2 * trim:
        values = values[trim:len(values) - trim]
    return rounded(sum(values, Decimal(0)) / len(values))


def combined(review: Decimal, review_max: Decimal, defence: Decimal | None = None,
             defence_max: Decimal | None = None, defence_weight: Decimal = Decimal(0)) -> Decimal:
    """The final result on a 100-point scale: (1 − w) × review/review_max × 100 + w × defence/defence_max × 100,
    w the defence's weight set by the caller (0 ≤ w ≤ 1; 0 without a defence). Each sheet is brought to 100
    first, so a review out of 100 and a defence out of 50 weigh as the caller says. Rounded half up to 0.01."""
    weight = Decimal(defence_weight)
    if not 0 <= weight <= 1:
        raise ValueError("defence weight outside [0, 1]")
    result = (1 - weight) * Decimal(review) * HUNDRED / Decimal(review_max)
    if weight:
        result += weight * Decimal(defence) * HUNDRED / Decimal(defence_max)
    return rounded(result)


def ranking_key(final: Decimal, review_median: Decimal, first_criterion: Decimal) -> tuple:
    """The order of a ranking (best first): the final result; on a tie, the review panel's median total (the
    robust middle opinion, so a single generous expert does not decide); still tied, the mean score of the
    sheet's first criterion (a sheet lists its criteria by importance, as 评审办法 do: "总分相同的，以第一项得分
    高者排前"). Items equal on all three share a rank (1, 2, 2, 4)."""
    return (-Decimal(final), -Decimal(review_median), -Decimal(first_criterion))
