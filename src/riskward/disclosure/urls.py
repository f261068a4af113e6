from django.urls import path

from riskward.disclosure import views

app_name = "disclosure"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("incident/<int:incident_pk>/start/", views.start_incident, name="start_incident"),
    path("peers/", views.peers, name="peers"),
    path("peers/<int:pk>/delete/", views.peer_delete, name="peer_delete"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/compare/", views.versions_compare, name="compare"),
    path("<int:pk>/v<int:number>/", views.version, name="version"),
    path("<int:pk>/v<int:number>/edit/", views.edit, name="edit"),
    path("<int:pk>/v<int:number>/send-back/", views.send_back, name="send_back"),
    path("<int:pk>/v<int:number>/filed/", views.mark_filed, name="filed"),
    path("<int:pk>/v<int:number>/download/<str:kind>/", views.download, name="download"),
    path("<int:pk>/v<int:number>/<str:name>/", views.step, name="step"),
]
