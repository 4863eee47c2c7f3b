"""`rencai calc`: exit 0 with a result, exit 2 with one bilingual line and never a traceback."""

import io
import json
import subprocess
import sys

import pytest

from rencai.policies.cli import calc_main
from rencai.policies.tests.helpers import example_path


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    # Fixed argv built from test constants, no shell.
    return subprocess.run([sys.executable, "-m", "rencai.cli", "calc", *args], input=stdin,  # noqa: S603
                          capture_output=True, text=True, timeout=60, check=False)


def test_example_file_exit_0_json():
    done = _run(str(example_path()))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["as_of"] == "2023-06-01"
    assert done.stderr == ""


def test_stdin_and_as_of_override_and_text_format():
    text = example_path().read_text(encoding="utf-8")
    done = _run("-", "--as-of", "2023-06-15", "--format", "text", stdin=text)
    assert done.returncode == 0, done.stderr
    assert "年龄：38周岁" in done.stdout
    assert "高校毕业生生活补贴" in done.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (["-"], '{"as_of": "2023-06-01", "housing": {"monthly_rent": -5}}', "monthly_rent"),
        (["-"], '{"as_of": "2023-06-01", "city": "paris"}', "city"),
        (["-"], '{"as_of": "01/06/2023"}', "as_of"),
        (["-"], '{"as_of": "2023-06-01", "birth_date": "2030-01-01"}', "birth_date"),
        (["-"], "{not json", "JSON"),
        (["-"], '{"as_of": "2023-06-01", "housing": {"monthly_rent": NaN}}', "JSON"),
        (["-", "--as-of", "yesterday"], '{"city": "shenyang"}', "--as-of"),
        (["-", "--format", "xml"], "{}", "--format"),
        (["/no/such/file.json"], "", "/no/such/file.json"),
        ([], "", "PERSON.json"),
    ],
)
def test_bad_input_exit_2_one_line_no_traceback(args, stdin, needle):
    done = _run(*args, stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert needle in lines[0]
    assert "Traceback" not in done.stderr
    assert " / " in lines[0]  # Chinese, then English


def test_calc_main_directly():
    out, err = io.StringIO(), io.StringIO()
    assert calc_main([str(example_path())], stdout=out, stderr=err) == 0
    assert json.loads(out.getvalue())["person"]["age"] == 37
    out, err = io.StringIO(), io.StringIO()
    assert calc_main(["-"], stdin=io.StringIO('{"as_of": "2023-06-01", "degree": "x"}'), stdout=out,
                     stderr=err) == 2
    assert "degree" in err.getvalue() and out.getvalue() == ""
