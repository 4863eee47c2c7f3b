from ninja import NinjaAPI

from rencai.analytics.api import router as analytics_router
from rencai.core.api_errors import install
from rencai.datahub.api import router as datahub_router
from rencai.documents.api import router as documents_router
from rencai.earlywarning.api import router as earlywarning_router
from rencai.feedback.api import router as feedback_router
from rencai.fulfilment.api import router as fulfilment_router
from rencai.payments.api import router as payments_router
from rencai.policies.api import router as calc_router
from rencai.recognition.api import router as recognition_router
from rencai.regions.api import router as regions_router
from rencai.services.api import router as services_router
from rencai.talents.api import router as talents_router

api = NinjaAPI(
    title="rencai 人才服务数字化平台 API",
    version="1",
    description="登录后的会话（Cookie）即为认证；写操作需带 X-CSRFToken。错误一律返回 {code, message, errors}。",
    urls_namespace="api",
)
install(api)
api.add_router("/regions", regions_router)
api.add_router("/talents", talents_router)
api.add_router("/calc", calc_router)
api.add_router("/recognition", recognition_router)
api.add_router("/documents", documents_router)
api.add_router("/fulfilment", fulfilment_router)
api.add_router("/payments", payments_router)
api.add_router("/datahub", datahub_router)
api.add_router("/services", services_router)
api.add_router("/feedback", feedback_router)
api.add_router("/analytics", analytics_router)
api.add_router("/earlywarning", earlywarning_router)
