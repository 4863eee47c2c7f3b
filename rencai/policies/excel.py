from rencai.core.excel import Sheet

HEADER = ["姓名", "证件号码", "手机号码", "区县", "结果", "不可兼得", "每月金额（元）", "一次性金额（元）",
          "合计（元）", "决定条件"]


def matches_export(queryset, *, title: str) -> Sheet:
    """The people a policy could reach, as .xlsx (numbers masked), for the office's follow-up."""
    rows = ([m.talent.name, m.talent.id_number_masked, m.talent.phone_masked, m.district.name,
             m.get_eligible_display(), "可选其一，非推荐项" if m.alternative else "", m.monthly_amount,
             m.one_time_amount, m.total, m.decided_by] for m in queryset.iterator(chunk_size=2000))
    return Sheet(title, HEADER, rows)  # streamed (core.excel.xlsx_streaming_response): rows read as sent
