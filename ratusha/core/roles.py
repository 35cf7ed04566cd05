"""The roles people have in Ratusha, kept as Django groups (created by a data migration).

| role | who | may |
|---|---|---|
| administrator | system administrator (or a superuser) | everything, incl. users and settings |
| department staff | the organisational and information department | all records of every unit |
| unit editor | an editor in a structural unit | only the records of their own unit |
| approver | the head, deputy heads, the secretary | approve plans and publications, all records |
| deputy | a council deputy | read drafts before sessions |
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    UNIT_EDITOR = "unit_editor", _("Unit editor")
    APPROVER = "approver", _("Approver")
    DEPUTY = "deputy", _("Deputy")


# The group that carries each role. Names are data shown in the admin, so they are Ukrainian.
ROLE_GROUPS: dict[str, str] = {
    Role.ADMINISTRATOR: "Адміністратори",
    Role.DEPARTMENT_STAFF: "Працівники відділу",
    Role.UNIT_EDITOR: "Редактори підрозділів",
    Role.APPROVER: "Затверджувачі",
    Role.DEPUTY: "Депутати",
}

# Roles whose holders may change the records of every unit.
ALL_UNITS_ROLES = frozenset({Role.ADMINISTRATOR, Role.DEPARTMENT_STAFF, Role.APPROVER})


# What each role may do in the admin, as Django permissions. ``app.*`` means every permission
# of the app; ``app.verb_*`` every permission of that verb in the app. Services still check
# *which* records (a unit editor's own unit); these only open the admin screens. Later apps add
# their entries here.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.ADMINISTRATOR: (
        "wagtailadmin.access_admin",
        "core.*",
        "portal.*",
        "acts.*",
        "council.*",
        "opendata.*",
        "feedback.view_feedbackmessage",
        "feedback.change_feedbackmessage",
        "auth.*",
        "wagtailcore.*",
        "wagtailimages.*",
        "wagtaildocs.*",
        "wagtailredirects.*",
        "wagtailforms.*",
        "wagtailsearch.*",
    ),
    Role.DEPARTMENT_STAFF: (
        "wagtailadmin.access_admin",
        "core.view_*",
        "core.add_structuralunit",
        "core.change_structuralunit",
        "core.add_employee",
        "core.change_employee",
        "core.delete_employee",
        "portal.*",
        "acts.view_*",
        "acts.add_act",
        "acts.change_act",
        "council.*",
        "opendata.*",
        "feedback.view_feedbackmessage",
        "feedback.change_feedbackmessage",
        "wagtailimages.*",
        "wagtaildocs.*",
        "wagtailredirects.*",
    ),
    Role.UNIT_EDITOR: (
        "wagtailadmin.access_admin",
        "core.view_structuralunit",
        "core.change_structuralunit",
        "core.view_employee",
        "core.add_employee",
        "core.change_employee",
        "core.delete_employee",
        "acts.view_act",
        "acts.add_act",
        "acts.change_act",
        "opendata.view_dataset",
        "opendata.add_dataset",
        "opendata.change_dataset",
        "opendata.view_resource",
        "opendata.add_resource",
        "opendata.change_resource",
        "feedback.view_feedbackmessage",
        "feedback.change_feedbackmessage",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    ),
    Role.APPROVER: (
        "wagtailadmin.access_admin",
        "core.view_*",
        "core.change_structuralunit",
        "core.add_calendarexception",
        "core.change_calendarexception",
        "core.delete_calendarexception",
        "portal.*",
        "acts.view_*",
        "acts.add_act",
        "acts.change_act",
        "council.*",
        "opendata.*",
        "feedback.view_feedbackmessage",
        "feedback.change_feedbackmessage",
        "wagtailimages.choose_image",
        "wagtaildocs.choose_document",
    ),
    Role.DEPUTY: (
        "wagtailadmin.access_admin",
        "acts.view_act",
        "council.view_meeting",
        "council.view_agendaitem",
    ),
}

# Page-tree rights over the whole site (unit editors get their unit's subtree from the portal).
ROLE_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.ADMINISTRATOR: (
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ),
    Role.DEPARTMENT_STAFF: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    Role.APPROVER: ("add_page", "change_page", "publish_page"),
}
