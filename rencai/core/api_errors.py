"""Every API error in one place: an AppError, a schema error or anything unforeseen becomes JSON with a
Chinese message naming the field, and a 4xx (or a 500 without a traceback); a database conflict left over by
concurrent use (a duplicate, a lock) is a 409."""

import logging

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .errors import AppError, conflict_from_database
from .labels import field_label

logger = logging.getLogger("rencai.api")

PYDANTIC_MESSAGES = {
    "missing": "不能为空",
    "extra_forbidden": "是未知字段",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_type": "应为 YYYY-MM-DD 格式的日期",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "float_parsing": "应为数字",
    "literal_error": "取值无效",
    "enum": "取值无效",
    "list_type": "应为列表",
    "json_invalid": "不是有效的JSON",
    "model_attributes_type": "应为JSON对象",
    "dict_type": "应为JSON对象",
    "string_too_long": "过长",
    "greater_than_equal": "不能小于下限",
    "less_than_equal": "超出范围",
    "int_from_float": "应为整数",
    "string_pattern_mismatch": "格式不正确",
}


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload", "data")]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(AppError)
    def app_error(request, exc: AppError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def schema_error(request, exc: NinjaValidationError):
        errors = []
        for item in exc.errors:
            field = _field_of(item.get("loc", ()))
            reason = PYDANTIC_MESSAGES.get(item.get("type"), "格式不正确")
            label = field_label(field) if field != "body" else "请求内容"
            errors.append({"field": field, "message": f"{label or '字段“' + field + '”'}{reason}"})
        message = "；".join(e["message"] for e in errors) or "请求格式不正确"
        return api.create_response(request, {"code": "invalid", "message": message, "errors": errors}, status=422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, {"code": "unauthenticated", "message": "请先登录", "errors": []},
                                   status=401)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"code": "not_found", "message": "未找到", "errors": []}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, {"code": "error", "message": str(exc), "errors": []},
                                   status=exc.status_code)

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        conflict = conflict_from_database(exc)
        if conflict is not None:  # a concurrent duplicate or a lock not got in time: the documented 409
            logger.warning("concurrent conflict on %s %s: %s", request.method, request.path, exc)
            return api.create_response(request, conflict.as_dict(), status=conflict.status)
        logger.exception("unexpected API error on %s", request.path)
        body = {"code": "server_error", "message": "系统内部错误，请稍后重试", "errors": []}
        return api.create_response(request, body, status=500)
