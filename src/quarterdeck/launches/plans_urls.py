"""Pages of launch plans (included by launches/urls.py under the "launches" namespace)."""

from django.urls import URLPattern, path

from quarterdeck.launches import plans_task_views as tasks
from quarterdeck.launches import plans_template_views as templates
from quarterdeck.launches import plans_views as views

urlpatterns: list[URLPattern] = [
    path("", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/launched/", views.plan_launched, name="plan_launched"),
    path("plans/<int:pk>/tasks/", tasks.task_add, name="task_add"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/status/", tasks.task_status, name="task_status"),
    path("tasks/<int:pk>/move/", tasks.task_move, name="task_move"),
    path("tasks/<int:pk>/delete/", tasks.task_delete, name="task_delete"),
    path("templates/", templates.templates, name="templates"),
    path("templates/new/", templates.template_new, name="template_new"),
    path("templates/<int:pk>/", templates.template, name="template"),
    path("templates/<int:pk>/edit/", templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", templates.template_delete, name="template_delete"),
]
