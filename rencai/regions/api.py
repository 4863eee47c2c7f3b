from ninja import Router, Schema

from .models import Region

router = Router(tags=["行政区划"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_id: str | None


@router.get("", response=list[RegionOut], summary="行政区划（省、市、区县）")
def region_list(request):
    return list(Region.objects.all())
