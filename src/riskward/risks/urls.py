app_name = "risks"

urlpatterns: list[object] = []
