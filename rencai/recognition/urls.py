app_name = "recognition"
urlpatterns: list = []
