from riskward.assets.resources import ASSET
from riskward.core.records import resource_urls

app_name = "assets"

urlpatterns = [*resource_urls(ASSET)]
