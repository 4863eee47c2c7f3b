"""Forms of the policy workbench; labels and messages in Chinese."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from rencai.policies.engine.catalog import DECISION_KIND_LABELS


class TextForm(forms.Form):
    text = forms.CharField(label="规则文本", widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false"}),
                           max_length=100_000)
    note = forms.CharField(label="修改说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class FieldsForm(forms.Form):
    """The edits most often made without touching the text: title, source quote, dates, duration, amounts.
    The amount rows are added per rule (``rows``: the table_rows of its text)."""

    title = forms.CharField(label="政策名称", max_length=200)
    quote = forms.CharField(label="依据原文（在下方文件中选中文字即可填入）", max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    in_force_from = forms.DateField(label="施行起始日")
    in_force_until = forms.DateField(label="截止日（不填为长期有效）", required=False)
    in_force_note = forms.CharField(label="施行日期说明", max_length=500)
    months = forms.IntegerField(label="发放月数（不填为文件未规定期限）", required=False, min_value=1, max_value=600)
    note = forms.CharField(label="修改说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rows: list[dict] = (), monthly: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        if not monthly:
            del self.fields["months"]
        for i, row in enumerate(self.rows):
            self.fields[f"row_{i}"] = forms.DecimalField(
                label=f"金额档次：{row['reason']}（元）", min_value=Decimal(0), max_value=Decimal(100_000_000),
                max_digits=12, decimal_places=2)


class DecideForm(forms.Form):
    kind = forms.ChoiceField(label="决定方式", choices=list(DECISION_KIND_LABELS.items()), widget=forms.RadioSelect)
    basis = forms.CharField(label="依据（本地实施细则的名称与文号）", max_length=300)
    basis_date = forms.DateField(label="依据的印发日期")
    effective_from = forms.DateField(label="自何日起施行")
    note = forms.CharField(label="说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    condition_id = forms.SlugField(label="条件编号（小写字母、数字和短横线）", max_length=60, required=False)
    condition_test = forms.CharField(label="条件（规则语言）", max_length=1000, required=False)
    condition_fail = forms.CharField(label="不符合时向申请人说明", max_length=300, required=False)
    row = forms.ChoiceField(label="金额档次", required=False)
    value = forms.DecimalField(label="确定的金额（元）", required=False, min_value=Decimal(0),
                               max_value=Decimal(100_000_000), max_digits=12, decimal_places=2)

    def __init__(self, *args, rows: list[dict] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["row"].choices = [("", "（请选择）")] + [
            (f"{r['let']}|{r['row']}", f"{r['reason']}（现为{r['value']}元）") for r in rows]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "condition":
            for name in ("condition_id", "condition_test", "condition_fail"):
                if not data.get(name):
                    self.add_error(name, "决定为增设条件时须填写此项")
        if kind == "number":
            if not data.get("row"):
                self.add_error("row", "决定为确定数额时须选择金额档次")
            if data.get("value") is None:
                self.add_error("value", "决定为确定数额时须填写金额")
        if data.get("basis_date") and data.get("effective_from") and data["effective_from"] < data["basis_date"]:
            self.add_error("effective_from", "施行日期不能早于依据的印发日期")
        return data


class PublishForm(forms.Form):
    reason = forms.CharField(label="发布理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
