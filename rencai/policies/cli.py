"""``rencai calc PERSON.json [--as-of YYYY-MM-DD] [--format json|text]`` — the calculator on the command line.

Needs no database and no Django. Exit 0 with a result; exit 2 with one line in Chinese and English on
standard error for bad input; exit 1 (still one line, no traceback) if the installed catalog itself is
broken or something unforeseen happens.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import TextIO

from rencai.policies.calculator import calculate, to_json
from rencai.policies.engine.catalog import CatalogError
from rencai.policies.engine.evaluate import MANUAL, UNKNOWN
from rencai.policies.fields import CITY_LABELS, SUBJECT_LABELS
from rencai.policies.profile import ProfileError, parse_date

USAGE = ("用法 / usage: rencai calc PERSON.json [--as-of YYYY-MM-DD] [--format json|text]\n"
         "（档案可为个人、团队或单位：subject 为 person、team 或 organization）")


class _Usage(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")


def _parse_args(argv: list[str]) -> tuple[str, str | None, str]:
    path: str | None = None
    as_of: str | None = None
    fmt = "json"
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg.startswith("--as-of") or arg.startswith("--format"):
            name, _, value = arg.partition("=")
            if not value:
                if not args:
                    raise _Usage(f"{name} 缺少取值", f"{name} needs a value")
                value = args.pop(0)
            if name == "--as-of":
                as_of = value
            elif name == "--format":
                if value not in ("json", "text"):
                    raise _Usage(f"--format 只能是 json 或 text：{value!r}",
                                 f"--format must be json or text: {value!r}")
                fmt = value
            else:
                raise _Usage(f"未知选项 {name}", f"unknown option {name}")
        elif arg.startswith("-") and arg != "-":
            raise _Usage(f"未知选项 {arg}", f"unknown option {arg}")
        elif path is None:
            path = arg
        else:
            raise _Usage(f"多余的参数 {arg}", f"unexpected argument {arg}")
    if path is None:
        raise _Usage("缺少档案文件（PERSON.json 或 - 表示标准输入）", "missing PERSON.json (or - for stdin)")
    return path, as_of, fmt


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number")


def _read_profile(path: str, stdin: TextIO) -> object:
    try:
        if path == "-":
            text = stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise _Usage(f"无法读取文件 {path}：{getattr(error, 'strerror', None) or error}",
                     f"cannot read {path}: {error}") from None
    try:
        # Decimal keeps 3200.5 exact; NaN/Infinity are not JSON numbers.
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise _Usage(f"JSON 格式错误（第{error.lineno}行第{error.colno}列）：{error.msg}",
                     f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}") from None
    except ValueError as error:
        raise _Usage(f"JSON 中有非法数字：{error}", f"invalid number in JSON: {error}") from None


def calc_main(argv: list[str], *, stdin: TextIO | None = None, stdout: TextIO | None = None,
              stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    if any(arg in ("-h", "--help") for arg in argv):
        print(USAGE, file=stdout)
        return 0
    try:
        path, as_of_text, fmt = _parse_args(argv)
        profile = _read_profile(path, stdin)
        as_of = parse_date(as_of_text, "--as-of") if as_of_text is not None else None
        result = calculate(profile, as_of=as_of)  # type: ignore[arg-type]
    except _Usage as error:
        print(f"错误 / error: {error}", file=stderr)
        return 2
    except ProfileError as error:
        print(f"输入有误 / bad input: {error}", file=stderr)
        return 2
    except CatalogError as error:
        first = error.problems[0] if error.problems else "?"
        print(f"政策目录有误 / the policy catalog is invalid: {first}", file=stderr)
        return 1
    except Exception as error:  # never a traceback on the command line
        print(f"内部错误 / internal error: {type(error).__name__}: {error}", file=stderr)
        return 1
    stdout.write(to_json(result) + "\n" if fmt == "json" else text_summary(result))
    return 0


_STATUS = {True: "✔ 符合", False: "✘ 不符合", MANUAL: "◆ 个案审核", UNKNOWN: "？信息不全"}


def _money(value: object) -> str:
    return "—" if value is None else f"{value}元"


def text_summary(result: dict) -> str:
    """A readable Chinese summary: what the person can get first, then the rest with the first reason."""
    subject = result.get("subject", "person")
    about = result[subject]
    where = f"评估日：{result['as_of']}　所在城市：{CITY_LABELS.get(about['city'], '未填写')}"
    if subject == "person":
        lines = [f"{where}　年龄：{'未填写' if about['age'] is None else str(about['age']) + '周岁'}", ""]
    else:  # a team's or an organization's answer (issue 8)
        lines = [f"{where}　申报主体：{SUBJECT_LABELS[subject]}", ""]
    order = {True: 0, MANUAL: 1, UNKNOWN: 2, False: 3}
    for item in sorted(result["results"], key=lambda r: order[r["eligible"]]):
        status = _STATUS[item["eligible"]]
        amount = ""
        if item["monthly_amount"] is not None:
            months = f"，{item['months']}个月" if item["months"] else "，期限未定"
            amount = f"　每月{_money(item['monthly_amount'])}{months}，合计{_money(item['total'])}"
        elif item["one_time_amount"] is not None:
            cap = "最高" if item["kind"] == "program" else "一次性"
            amount = f"　{cap}{_money(item['one_time_amount'])}"
        lines.append(f"{status}　{item['title']}（{item['policy']}）{amount}")
        reasons = item["reasons"] if item["eligible"] is not False else item["reasons"][:2]
        lines += [f"　　· {reason}" for reason in reasons]
        lines.append(f"　　出处：{item['source']['document']}「{item['source']['quote']}」")
    for choice in result["choices"]:
        lines += ["", f"需选择（{choice['exclusive_group']}，不可兼得）：{'、'.join(choice['options'])}；"
                      f"建议选择 {choice['recommended']}"]
    return "\n".join(lines) + "\n"
