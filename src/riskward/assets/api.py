from ninja import Router

from riskward.assets import services
from riskward.assets.models import Asset
from riskward.assets.resources import ASSET_LISTING
from riskward.assets.schemas import AssetFilter, AssetIn, AssetOut, AssetPatch
from riskward.core.api_crud import register_crud

router = Router(tags=["assets"])

register_crud(
    router,
    name="asset",
    model=Asset,
    out=AssetOut,
    create_in=AssetIn,
    patch_in=AssetPatch,
    filter_schema=AssetFilter,
    listing=ASSET_LISTING,
    create=services.create_asset,
    update=services.update_asset,
    delete=services.delete_asset,
)
