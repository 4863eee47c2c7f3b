"""台账's downloads: the Excel export (core/excel.py) and the printable yearly report (PDF with charts, drawn by
reportlab as the talent card is, in the CID font every reader has). Both are aggregates: counts below 5 are shown
as "<5" (analytics.privacy.suppress_small), and no person is named, so no audit entry is needed."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rencai.analytics.privacy import suppress_small
from rencai.core.excel import Sheet

from .enums import Unit
from .selectors import Cell, Ledger, Row

FONT = "STSong-Light"  # as recognition.cards: a CID font every PDF reader has, no font file shipped


def shown(cell: Cell) -> str | int | Decimal:
    """A cell's figure as published: people counted below 5 as "<5", money in yuan, a rate in per cent."""
    if cell.actual is None:
        return "—"
    if cell.unit == Unit.PEOPLE:
        return suppress_small(int(cell.actual))
    if cell.unit == Unit.PERCENT:
        return f"{cell.actual}%"
    return cell.actual


def _count(cell: Cell):
    return suppress_small(cell.count or 0) if cell.unit == Unit.PERCENT else ""


def _ratio(cell: Cell) -> str:
    return f"{cell.ratio}%" if cell.ratio is not None else "—"


def _goal(cell: Cell):
    if cell.goal is None:
        return "—"
    if cell.unit == Unit.PEOPLE:
        return int(cell.goal)
    return f"{cell.goal}%" if cell.unit == Unit.PERCENT else cell.goal


def _rows(ledger: Ledger) -> list[Row]:
    return ledger.rows + ([ledger.total] if ledger.total else [])


def ledger_sheets(ledger: Ledger) -> list[Sheet]:
    header = ["区县"]
    for _measure, label, unit in ledger.measures:
        header += [f"{label}（{unit}）", f"{label}目标", f"{label}完成率"]
        if unit == "%":
            header.append("办结件数" if label == "按时办结率" else "评价条数")
    rows = []
    for row in _rows(ledger):
        values = [row.name]
        for cell in row.cells:
            values += [shown(cell), _goal(cell), _ratio(cell)]
            if cell.unit == Unit.PERCENT:
                values.append(_count(cell))
        rows.append(values)
    return [Sheet(f"{ledger.year}年台账", header, rows, column_width=16)]


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


# A chart's districts at most, so that one chart fits the landscape page's frame (18 pt a district): an
# administrator's ledger holds every district of every city, and reportlab refuses a drawing taller than its frame.
DISTRICTS_PER_CHART = 24


def _charts(ledger: Ledger, measure: str, label: str) -> list[Drawing]:
    """One measure's completion per district, in charts of at most DISTRICTS_PER_CHART districts each."""
    rows = ledger.rows
    parts = [rows[at:at + DISTRICTS_PER_CHART] for at in range(0, len(rows), DISTRICTS_PER_CHART)] or [[]]
    return [_chart(part, measure, label if len(parts) == 1 else f"{label}（{n}/{len(parts)}）")
            for n, part in enumerate(parts, start=1)]


def _chart(rows: list[Row], measure: str, label: str) -> Drawing:
    """Actual against target as horizontal bars, a pair per district."""
    height = max(60, 18 * len(rows)) + 40
    drawing = Drawing(250 * mm, height)
    drawing.add(String(0, height - 12, f"{label}：完成情况", fontName=FONT, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 60, 10, 250 * mm - 180, height - 40
    actual = [float(r.cell(measure).actual or 0) for r in rows]
    goals = [float(r.cell(measure).goal or 0) for r in rows]
    chart.data = [actual, goals]
    chart.categoryAxis.categoryNames = [r.name for r in rows]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#1f4e79")
    chart.bars[1].fillColor = colors.HexColor("#f79009")
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 250 * mm - 100, height - 20
    legend.fontName, legend.fontSize = FONT, 8
    legend.colorNamePairs = [(colors.HexColor("#1f4e79"), "实际"), (colors.HexColor("#f79009"), "目标")]
    drawing.add(legend)
    return drawing


def ledger_pdf(ledger: Ledger, *, scope: str, as_of: str) -> bytes:
    """The yearly report: the ledger as a table (figures as published), then a chart per measure."""
    _font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=f"{scope}{ledger.year}年人才工作台账",
                            author="人才服务数字化平台")
    title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
    cell_style = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5)
    story = [Paragraph(f"{scope}{ledger.year}年人才工作台账（目标责任考核）", title),
             Paragraph(f"数据截至 {as_of}。人数少于5的以“&lt;5”表示。完成率＝实际÷目标。", body), Spacer(1, 4 * mm)]
    header = [Paragraph("区县", cell_style)]
    for _measure, label, unit in ledger.measures:
        header.append(Paragraph(f"{label}（{unit}）<br/>实际 / 目标 / 完成率", cell_style))
    data = [header]
    for row in _rows(ledger):
        data.append([Paragraph(escape(row.name), cell_style)] + [
            Paragraph(escape(f"{shown(c)} / {_goal(c)} / {_ratio(c)}"), cell_style) for c in row.cells])
    width = min(41 * mm, (landscape(A4)[0] - 24 * mm - 24 * mm) / max(len(ledger.measures), 1))  # fits the page
    table = Table(data, repeatRows=1, colWidths=[24 * mm] + [width] * len(ledger.measures))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#98a2b3")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story.append(table)
    for ref in ledger.references:
        story.append(Paragraph(escape(f"{ref.label}：{ref.actual}{ref.unit}（文件参考：{ref.source}，为全市口径，"
                                      "非区县考核目标）"), body))
    story.append(PageBreak())
    for measure, label, _unit in ledger.measures:
        for chart in _charts(ledger, measure, label):
            story += [chart, Spacer(1, 6 * mm)]
    doc.build(story)
    return buffer.getvalue()
