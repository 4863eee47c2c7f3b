"""A feed's rows checked row by row, column by column, in one pass over the whole frame (Polars): a million
rows in a few seconds. Every problem is reported with its row number (the file's: the header is row 1), the
column's Chinese header and the reason, numbers masked; a row with any problem is not loaded, the others are.

``rows_validate(frame, feed)`` takes the file's cells as text (``_row`` plus one column per key, blank as null)
and returns the valid rows as facts-to-be (subject key, masked number, name, period, value JSON, digest) and the
report. ID numbers are checked vectorised (length, digits, ISO 7064 check character, birth date, province) and
a refused one is checked again by the registry's own validator (``talents.validation.resident_id_validate``)
for its stdnum reason; codes, regions and 统一社会信用代码 are looked up once per distinct value.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from stdnum.cn import uscc as uscc_std
from stdnum.exceptions import ValidationError as StdnumError

from rencai.core import crypto
from rencai.core.masking import ID_CHECK_CHARS, ID_WEIGHTS, mask_id_number
from rencai.core.stdnum_reasons import stdnum_reason
from rencai.talents.validation import PROVINCE_PREFIXES, resident_id_validate

from . import kinds
from .enums import SubjectType

ERROR_SCHEMA = {"row": pl.Int64, "field": pl.String, "message": pl.String}
MAX_YEAR, MIN_YEAR = 2100, 1900


@dataclass
class Checked:
    valid: pl.DataFrame  # _row, subject_key, subject_masked, subject_name, period, value, digest
    errors: pl.DataFrame  # row, field, message (sorted by row)
    total_rows: int

    @property
    def rejected_rows(self) -> int:
        return self.errors.get_column("row").n_unique() if self.errors.height else 0


def _blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    texts = [c for c in frame.columns if c != "_row"]
    return frame.with_columns(pl.when(pl.col(c).str.strip_chars() == "").then(None)
                              .otherwise(pl.col(c).str.strip_chars()).alias(c) for c in texts)


def _error(frame: pl.DataFrame, mask: pl.Series, label: str, message) -> pl.DataFrame:
    """The report rows of ``frame`` where ``mask`` holds: ``message`` is a Series (per row) or a text."""
    picked = frame.select("_row").with_columns(
        field=pl.lit(label), message=message if isinstance(message, pl.Series) else pl.lit(message))
    return picked.filter(mask.fill_null(False)).rename({"_row": "row"}).select(list(ERROR_SCHEMA)).cast(ERROR_SCHEMA)


# --- one column type each: (normalised Series, error message Series with null where fine) ---------------------

_RESIDENT_ID_REASONS = {"InvalidLength": "应为18位", "InvalidFormat": "格式错误（前17位应为数字）",
                        "InvalidComponent": "出生日期或地区码无效"}


def _resident_ids(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    number = s.str.replace_all(r"[\s-]", "").str.to_uppercase()
    frame = pl.DataFrame({"n": number}).with_columns(
        shaped=pl.col("n").str.contains(r"^\d{17}[0-9X]$").fill_null(False),
        body=pl.col("n").str.slice(0, 17).cast(pl.Int64, strict=False))
    # ISO 7064 MOD 11-2 on the 17 digits taken as one integer: digit i is body // 10^(16-i) % 10.
    weighted = sum((pl.col("body") // 10 ** (16 - i) % 10) * w for i, w in enumerate(ID_WEIGHTS))
    birth = pl.col("n").str.slice(6, 8).str.strptime(pl.Date, "%Y%m%d", strict=False)
    ok = frame.select(
        pl.col("shaped")
        & (pl.lit(pl.Series(list(ID_CHECK_CHARS))).get(weighted % 11) == pl.col("n").str.slice(17, 1)).fill_null(False)
        & (birth.dt.year() >= 1).fill_null(False)
        & pl.col("n").str.slice(0, 2).is_in(sorted(PROVINCE_PREFIXES)).fill_null(False)).to_series()
    messages: list[str | None] = [None] * len(s)
    bad = (~ok & number.is_not_null()).arg_true().to_list()
    values = number.to_list() if bad else None
    for index in bad:  # the refused ones again, by the registry's validator: its reason, in Chinese
        try:
            values[index] = resident_id_validate(values[index])
        except StdnumError as exc:
            messages[index] = (f"居民身份证号码“{mask_id_number(values[index])}”无效："
                               f"{stdnum_reason(exc, **_RESIDENT_ID_REASONS)}")
    normal = number if values is None else pl.Series(values, dtype=pl.String)
    return normal, pl.Series(messages, dtype=pl.String)


def _by_distinct(s: pl.Series, check) -> tuple[pl.Series, pl.Series]:
    """A vectorised check run on the distinct values only (a month's file has one month, a few thousand
    employers, a dozen districts), its results joined back to every row."""
    values = s.drop_nulls().unique()
    normal, message = check(values)
    table = pl.DataFrame({"v": values, "normal": normal, "message": message})
    back = s.to_frame("v").join(table, on="v", how="left", maintain_order="left")
    return back.get_column("normal"), back.get_column("message").cast(pl.String)


def _per_distinct(s: pl.Series, check) -> tuple[pl.Series, pl.Series]:
    """A check in Python, once per distinct value (codes, names): ``check(value) -> (normalised, message)``."""
    def run(values: pl.Series) -> tuple[pl.Series, pl.Series]:
        found = [check(v) for v in values.to_list()]
        return (pl.Series([f[0] for f in found], dtype=pl.String), pl.Series([f[1] for f in found], dtype=pl.String))
    return _by_distinct(s, run)


def _uscc(value: str) -> tuple[str | None, str | None]:
    try:
        return uscc_std.validate(value), None
    except StdnumError as exc:
        return None, f"统一社会信用代码“{value}”无效（{stdnum_reason(exc)}）"


def _region_finder():
    from rencai.regions.models import Region

    regions = list(Region.objects.select_related("parent"))
    by_name: dict[str, list[str]] = {}
    for r in regions:
        for name in {r.name, f"{r.parent.name}{r.name}" if r.parent else r.name}:
            by_name.setdefault(name, []).append(r.code)
    codes = {r.code for r in regions}

    def find(value: str) -> tuple[str | None, str | None]:
        if value in codes:
            return value, None
        found = by_name.get(value, [])
        if len(found) == 1:
            return found[0], None
        return None, f"未知的行政区划“{value}”，请填写区县名称（如 和平区）或六位行政区划代码"

    return find


def _dates(s: pl.Series, label: str, unit: str) -> tuple[pl.Series, pl.Series]:
    """A month (2026-11, 2026/11, 202611, 2026年11月, an Excel date), a year (2026, 2026年) or a day (2026-11-05,
    2026/11/05, 20261105, 2026年11月5日) → a date (the month's or year's first day)."""
    text = s.str.replace(r"[ T]00:00(:00)?(\.0+)?$", "")
    if unit == kinds.YEAR:
        parts = text.str.extract_groups(r"^(\d{4})\s*年?度?$")
        y, m, d = parts.struct.field("1"), pl.Series(["1"] * len(s)), pl.Series(["1"] * len(s))
        hint = "应为四位年份，如 2025"
    elif unit == kinds.MONTH:
        parts = text.str.extract_groups(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$")
        y, m, d = parts.struct.field("1"), parts.struct.field("2"), pl.Series(["1"] * len(s))
        hint = "应为年月，如 2026-11"
    else:
        parts = text.str.extract_groups(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})\s*日?$")
        y, m, d = parts.struct.field("1"), parts.struct.field("2"), parts.struct.field("3")
        hint = "应为日期，如 2026-11-05"
    iso = (pl.DataFrame({"y": y, "m": m, "d": d})
           .select(pl.concat_str(pl.col("y"), pl.col("m").str.zfill(2), pl.col("d").str.zfill(2), separator="-"))
           .to_series())
    day = iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    day = pl.DataFrame({"day": day}).select(
        pl.when(pl.col("day").dt.year().is_between(MIN_YEAR, MAX_YEAR)).then(pl.col("day"))).to_series()
    message = pl.DataFrame({"s": s, "ok": day.is_not_null()}).select(
        pl.when(pl.col("s").is_not_null() & ~pl.col("ok"))
        .then(pl.format(f"{label}“{{}}”无效，{hint}", pl.col("s")))).to_series()
    return day, message


def _amounts(s: pl.Series, label: str, *, as_fen: bool) -> tuple[pl.Series, pl.Series]:
    """Yuan (or square metres) with at most two decimals, never negative: fen as an integer, or the text with two
    decimals (a decimal kept exactly, never a float)."""
    text = s.str.replace_all(r"[,，\s元]", "")
    parts = text.str.extract_groups(r"^(\d{1,13})(?:\.(\d{1,2}))?$")
    whole, cents = parts.struct.field("1"), parts.struct.field("2")
    frame = pl.DataFrame({"w": whole, "c": cents, "s": s})
    fen = frame.select(pl.col("w").cast(pl.Int64, strict=False) * 100
                       + pl.col("c").fill_null("0").str.pad_end(2, "0").cast(pl.Int64, strict=False)).to_series()
    message = frame.select(pl.when(pl.col("s").is_not_null() & pl.col("w").is_null())
                           .then(pl.format(f"{label}“{{}}”不是有效的数额（不能为负数，最多两位小数）", pl.col("s")))
                           ).to_series()
    if as_fen:
        return fen, message
    shown = pl.DataFrame({"f": fen}).select(pl.concat_str(
        (pl.col("f") // 100).cast(pl.String), pl.lit("."), (pl.col("f") % 100).cast(pl.String).str.zfill(2))
    ).to_series()
    return shown, message


def _column(s: pl.Series, column: kinds.Column, header: str, regions) -> tuple[pl.Series, pl.Series]:
    t = column.type
    if t == kinds.ID:
        return _resident_ids(s)
    if t == kinds.USCC:
        return _per_distinct(s.str.replace_all(r"\s", "").str.to_uppercase(), _uscc)
    if t == kinds.REGION:
        return _per_distinct(s, regions)
    if t in (kinds.MONTH, kinds.YEAR, kinds.DATE):
        return _by_distinct(s, lambda v: _dates(v, header, t))
    if t in (kinds.MONEY, kinds.DECIMAL):
        return _by_distinct(s, lambda v: _amounts(v, header, as_fen=t == kinds.MONEY))
    if t == kinds.CHOICE:
        code, message = _by_distinct(s, lambda v: _choices(v, column, header))
        if column.default:  # a blank cell means the default
            code = pl.select(pl.when(s.is_null()).then(pl.lit(column.default)).otherwise(code)).to_series()
        return code, message
    # names and other text: only a length to check
    message = pl.DataFrame({"s": s}).select(
        pl.when(pl.col("s").str.len_chars() > column.max_length)
        .then(pl.lit(f"{header}过长（最多{column.max_length}个字）"))).to_series()
    return s, message


def _choices(s: pl.Series, column: kinds.Column, header: str) -> tuple[pl.Series, pl.Series]:
    allowed = "、".join(label for _code, label in column.choices)
    code = s.str.to_lowercase().replace_strict(column.choice_words, default=None, return_dtype=pl.String)
    message = pl.DataFrame({"s": s, "c": code}).select(
        pl.when(pl.col("s").is_not_null() & pl.col("c").is_null())
        .then(pl.format(f"{header}“{{}}”无效，应为：{allowed}", pl.col("s")))).to_series()
    return code, message


def rows_validate(frame: pl.DataFrame, *, feed) -> Checked:
    """Check every row of ``frame`` (``_row`` and the feed's columns by key, as text) against the feed's kind."""
    spec = feed.spec
    frame = _blank_to_null(frame)
    total = frame.height
    regions = _region_finder()
    reports: list[pl.DataFrame] = [pl.DataFrame(schema=ERROR_SCHEMA)]
    out: dict[str, pl.Series] = {}
    bad = pl.Series("bad", [False] * total, dtype=pl.Boolean)
    for column in spec.columns:
        header = feed.header_of(column.key)
        if column.key not in frame.columns:  # an optional column the file leaves out
            s = pl.Series([None] * total, dtype=pl.String)
        else:
            s = frame.get_column(column.key)
        missing = s.is_null()
        if column.required and column.default is None:
            reports.append(_error(frame, missing, header, f"{header}不能为空"))
            bad = bad | missing
        normal, message = _column(s, column, header, regions)
        wrong = message.is_not_null()
        if wrong.any():
            reports.append(_error(frame, wrong, header, message))
            bad = bad | wrong
        out[column.key] = normal

    subject = spec.subject_column
    good = pl.DataFrame({"_row": frame.get_column("_row"), **{k: v for k, v in out.items()}}).filter(~bad)
    if spec.subject == SubjectType.PERSON:
        numbers = good.get_column(subject.key).to_list()
        good = good.with_columns(
            subject_key=pl.Series(crypto.lookup_hashes(numbers), dtype=pl.String),
            subject_masked=pl.concat_str(pl.col(subject.key).str.slice(0, 4), pl.lit("*" * 13),
                                         pl.col(subject.key).str.slice(17, 1)),
            subject_name=pl.col("name").fill_null(""))
    else:
        good = good.with_columns(subject_key=pl.col(subject.key), subject_masked=pl.col(subject.key),
                                 subject_name=pl.col("org_name").fill_null(""))
    # One row per subject and period: a repeat is reported against the first.
    repeated = ~good.select(pl.struct("subject_key", spec.period).is_first_distinct()).to_series()
    if repeated.any():
        what = "人" if spec.subject == SubjectType.PERSON else "单位"
        header = feed.header_of(subject.key)
        keys = good.filter(repeated).select("subject_key", spec.period).unique()
        first = (good.filter(~repeated).join(keys, on=["subject_key", spec.period])
                 .select("subject_key", spec.period, pl.col("_row").alias("first")))
        twice = good.filter(repeated).join(first, on=["subject_key", spec.period], how="left")
        said = f"与第{{}}行重复（同一{what}、同一{feed.header_of(spec.period)}只能有一行）"
        reports.append(_error(twice, pl.Series([True] * twice.height), header,
                              twice.select(pl.format(said, pl.col("first"))).to_series()))
        good = good.filter(~repeated)
    value_keys = list(spec.value_keys)
    good = good.with_columns(value=pl.struct(*value_keys).struct.json_encode() if value_keys else pl.lit("{}"))
    valid = good.select("_row", "subject_key", "subject_masked", "subject_name",
                        pl.col(spec.period).alias("period"), "value")
    # A quick fingerprint of the value, to find the rows a reload leaves unchanged without comparing their JSON;
    # the database compares the values themselves where fingerprints differ (loading.py), so the fingerprint
    # need not be stable across Polars versions.
    valid = valid.with_columns(digest=pl.col("value").hash(seed=16).reinterpret(signed=True))
    errors = pl.concat(reports).sort("row", maintain_order=True)
    return Checked(valid=valid, errors=errors, total_rows=total)
