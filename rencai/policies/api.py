"""POST /api/calc: the calculator contract over HTTP (no login; the profile is the JSON body)."""

import json
from decimal import Decimal

from django.http import HttpResponse
from ninja import Router

from .calculator import ProfileError, calculate, to_json

router = Router(tags=["政策计算器"])

PROFILE_EXAMPLE = json.loads(
    '{"as_of": "2023-06-01", "city": "shenyang", "birth_date": "1985-06-15", "returnee": true, '
    '"degree": "doctor", "graduation_date": "2021-07-01", '
    '"employment": {"employer_type": "enterprise", "in_city": true, "start_date": "2021-09-01"}, '
    '"housing": {"owns_home_in_city": false, "renting": true, "monthly_rent": 3200, "rent_area_sqm": 80}}'
)
OPENAPI_EXTRA = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {
            "schema": {"type": "object", "description": "档案，字段见 calculator.md 的 Input 一节；团队或单位的档案带 "
                                                        "subject（team、organization），字段见其中团队与单位一节"},
            "example": PROFILE_EXAMPLE,
        }},
    },
    "responses": {
        "200": {"description": "计算结果（results、choices）",
                "content": {"application/json": {"schema": {"type": "object", "required": ["as_of", "results",
                                                                                           "choices"]}}}},
        "422": {"description": "档案有误：字段名与中英文说明",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}},
    },
}


def profile_error_response(exc: ProfileError) -> HttpResponse:
    body = {
        "code": "invalid_profile",
        "message": f"{exc.field}：{exc.message_zh} / {exc.field}: {exc.message_en}",
        "errors": [{"field": exc.field, "message": exc.message_zh, "message_en": exc.message_en}],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=422, content_type="application/json")


@router.post("", auth=None, summary="政策计算器：一个人（或团队、单位）可享受哪些政策、多少钱、多久、为什么",
             openapi_extra=OPENAPI_EXTRA)
def calc(request):
    try:
        # Numbers are read as Decimal so that money never passes through binary floating point.
        profile = json.loads(request.body or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return profile_error_response(ProfileError("(body)", "请求体不是有效的 JSON", "the body is not valid JSON"))
    try:
        result = calculate(profile)
    except ProfileError as exc:
        return profile_error_response(exc)
    return HttpResponse(to_json(result, indent=None), content_type="application/json")
