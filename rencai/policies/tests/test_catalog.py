"""The catalog: contract ids, verbatim quotes, and load errors that name file and line."""

import shutil
from pathlib import Path

import pytest
import yaml

from rencai.policies.engine.catalog import CATALOG_DIR, CatalogError, load_catalog
from rencai.policies.tests.helpers import seeds_dir

# The ids of the contract's table (contracts/calculator.md, "Policy identifiers"), with their documents.
CONTRACT_IDS = {
    "sy-apartment-free-rent": "004", "sy-apartment-waiting-subsidy": "004", "sy-rent-subsidy": "004",
    "sy-living-subsidy-graduate": "004", "sy-living-subsidy-skilled": "004",
    "sy-purchase-subsidy-high-level": "004", "sy-purchase-subsidy-graduate": "004",
    "sy-purchase-subsidy-skilled": "004", "sy-urgent-talent-reward": "004",
    "nt-returnee-purchase-subsidy": "003", "nt-youth-station": "003", "nt-jianghai-returnee-program": "003",
    "ln-startup-training-subsidy": "002", "ln-startup-guaranteed-loan": "002", "ln-craftsman-award": "002",
}
PROGRAMS = {"sy-urgent-talent-reward", "nt-jianghai-returnee-program", "ln-startup-guaranteed-loan"}


def _raw_files() -> list[Path]:
    return sorted(CATALOG_DIR.glob("*.yaml"))


def test_every_contract_id_is_in_the_catalog_from_its_document():
    catalog = load_catalog()
    for pid, document in CONTRACT_IDS.items():
        assert pid in catalog.policies, pid
        assert catalog.policies[pid].source.document.startswith(document), pid
        assert catalog.policies[pid].subject == "person"
    for pid in PROGRAMS:
        assert catalog.policies[pid].kind == "program"
    assert catalog.policies["nt-youth-station"].kind == "service"


def test_every_quote_is_verbatim_in_its_document():
    seeds = seeds_dir()
    checked = 0
    for path in _raw_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for source in [data["source"], *data.get("also_sources", [])]:
            text = (seeds / source["document"]).read_text(encoding="utf-8")
            assert source["quote"] in text, (path.name, source["quote"])
            checked += 1
    assert checked >= len(_raw_files())


def test_quoted_amounts_match_the_catalog_tables():
    # The numbers in each table must be the ones in the quote (万元 or 元 as written).
    catalog = load_catalog()
    for policy in catalog.policies.values():
        for let in policy.lets:
            for row in let.rows:
                if row.value is None:
                    continue
                yuan = int(row.value)
                forms = {f"{yuan}元", f"{yuan}㎡"} | ({f"{yuan // 10000}万元"} if yuan % 10000 == 0 else set())
                if let.name == "area_cap":
                    forms = {f"{yuan}㎡"}
                assert any(form in policy.source.quote for form in forms), (policy.id, row.id, yuan)


def test_file_names_are_ids_and_the_catalog_loads_with_unique_codes():
    catalog = load_catalog()
    names = {p.name.removesuffix(".yaml") for p in _raw_files() if not p.name.endswith(".group.yaml")}
    assert names == set(catalog.policies)
    assert len(catalog.codes) == len(set(catalog.codes))
    assert catalog.policies["sy-rent-subsidy"].group is catalog.groups["sy-housing-or-living"]


def test_open_points_are_recorded_not_invented():
    catalog = load_catalog()
    rent = catalog.policies["sy-rent-subsidy"].amount
    assert rent is not None and rent.months is None and rent.months_note
    waiting = catalog.policies["sy-apartment-waiting-subsidy"].amount
    assert waiting is not None and waiting.months is None and waiting.months_note
    assert "未作规定" in (catalog.groups["sy-housing-or-living"].otherwise_note or "")
    assert catalog.policies["sy-purchase-subsidy-high-level"].lets[0].rows[0].manual  # 一人一议


def _copy_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target)
    return target


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _break(directory: Path, name: str, old: str, new: str) -> int:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return _line_of(text, new)


def _only_problem(directory: Path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(directory)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0], str(caught.value)


def test_unknown_field_in_a_condition_is_a_load_error_with_file_and_line(tmp_path):
    directory = _copy_catalog(tmp_path)
    line = _break(directory, "sy-rent-subsidy.yaml", 'when: degree == "doctor"', 'when: degre == "doctor"')
    problem, message = _only_problem(directory)
    assert (problem.file, problem.line) == ("sy-rent-subsidy.yaml", line)
    assert "degre" in problem.message
    assert f"sy-rent-subsidy.yaml:{line}" in message


def test_unknown_value_of_a_field_is_a_load_error(tmp_path):
    directory = _copy_catalog(tmp_path)
    line = _break(directory, "sy-living-subsidy-graduate.yaml", 'degree == "master"', 'degree == "mastr"')
    problem, _ = _only_problem(directory)
    assert (problem.file, problem.line) == ("sy-living-subsidy-graduate.yaml", line)
    assert "mastr" in problem.message


def test_unknown_policy_key_is_a_load_error(tmp_path):
    directory = _copy_catalog(tmp_path)
    line = _break(directory, "ln-craftsman-award.yaml", "amount:", "amout:")
    problem, _ = _only_problem(directory)
    assert (problem.file, problem.line) == ("ln-craftsman-award.yaml", line)
    assert "amout" in problem.message


def test_bad_yaml_is_a_load_error_with_line(tmp_path):
    directory = _copy_catalog(tmp_path)
    line = _break(directory, "nt-youth-station.yaml", "title: 青年驿站入驻服务", 'title: "青年驿站入驻服务')
    problem, _ = _only_problem(directory)
    assert problem.file == "nt-youth-station.yaml"
    assert problem.line >= line
    assert "YAML" in problem.message


def test_syntax_error_in_an_expression_names_the_column(tmp_path):
    directory = _copy_catalog(tmp_path)
    line = _break(directory, "sy-urgent-talent-reward.yaml", 'test: employment.employer_type == "enterprise"',
                  'test: employment.employer_type == == "enterprise"')
    problem, _ = _only_problem(directory)
    assert (problem.file, problem.line) == ("sy-urgent-talent-reward.yaml", line)
    assert "列" in problem.message


def test_no_eval_a_python_expression_is_rejected(tmp_path):
    directory = _copy_catalog(tmp_path)
    _break(directory, "sy-urgent-talent-reward.yaml", 'test: employment.employer_type == "enterprise"',
           "test: __import__('os').system('true')")
    problem, _ = _only_problem(directory)
    assert problem.file == "sy-urgent-talent-reward.yaml"


def test_an_open_duration_must_be_stated(tmp_path):
    directory = _copy_catalog(tmp_path)
    _break(directory, "sy-rent-subsidy.yaml", "  months_note: 文件未规定", "  # months_note: 文件未规定")
    problem, _ = _only_problem(directory)
    assert "months_note" in problem.message


def test_errors_in_several_files_are_all_reported_and_nothing_is_loaded(tmp_path):
    directory = _copy_catalog(tmp_path)
    _break(directory, "ln-craftsman-award.yaml", "amount:", "amout:")
    _break(directory, "sy-rent-subsidy.yaml", 'when: degree == "doctor"', 'when: degre == "doctor"')
    with pytest.raises(CatalogError) as caught:
        load_catalog(directory)
    assert {p.file for p in caught.value.problems} == {"ln-craftsman-award.yaml", "sy-rent-subsidy.yaml"}


def test_group_member_must_exist(tmp_path):
    directory = _copy_catalog(tmp_path)
    _break(directory, "sy-housing-or-living.group.yaml", "- sy-rent-subsidy", "- sy-rent-subsidyy")
    problem, _ = _only_problem(directory)
    assert problem.file == "sy-housing-or-living.group.yaml"
    assert "sy-rent-subsidyy" in problem.message
