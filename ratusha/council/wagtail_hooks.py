"""The council in the admin: convocations, people, mandates, bodies, memberships, meetings
(with the meeting's page: agenda, approval, votes), voting import profiles."""

from __future__ import annotations

from django.forms import modelform_factory
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup

from ratusha.core.admin_views import ServiceModelViewSet
from ratusha.core.permissions import user_roles
from ratusha.core.roles import Role

from . import admin_import, admin_mailing, services
from .admin_forms import AgendaItemForm, MeetingForm
from .admin_views import (
    AgendaItemCreateView,
    AgendaItemDeleteView,
    AgendaItemEditView,
    MeetingCreateView,
    MeetingIndexView,
    MeetingManageView,
    SittingCreateView,
    VoteCorrectView,
    VoteEntryView,
)
from .models import (
    AgendaItem,
    Convocation,
    Deputy,
    Meeting,
    Membership,
    Organization,
    Person,
    Sitting,
    VotingImportProfile,
)


def _update(service, arg):
    """Adapt ``service(actor=, <arg>=, data=)`` to the viewset's ``instance`` keyword."""

    def call(*, actor, instance, data):
        return service(actor=actor, data=data, **{arg: instance})

    return staticmethod(call)


def _delete(service, arg):
    def call(*, actor, instance):
        return service(actor=actor, **{arg: instance})

    return staticmethod(call)


class ConvocationViewSet(ServiceModelViewSet):
    model = Convocation
    name = "council_convocations"
    url_prefix = "council/convocations"
    icon = "date"
    menu_label = _("Convocations")
    form_fields = list(services.CONVOCATION_FIELDS)
    list_display = ["__str__", "start_date", "end_date", "composition"]
    delete_view_enabled = False
    create_service = staticmethod(services.convocation_create)
    update_service = _update(services.convocation_update, "convocation")


class PersonViewSet(ServiceModelViewSet):
    model = Person
    name = "council_people"
    url_prefix = "council/people"
    icon = "user"
    menu_label = _("People")
    form_fields = list(services.PERSON_FIELDS)
    list_display = ["full_name", "email", "phone"]
    search_fields = ["full_name"]
    search_backend_name = None
    delete_view_enabled = False
    create_service = staticmethod(services.person_create)
    update_service = _update(services.person_update, "person")

    def get_form_class(self, for_update=False):
        # Wagtail's admin form: the photo is chosen from (or uploaded to) the image library.
        return modelform_factory(Person, form=WagtailAdminModelForm, fields=self.form_fields)


class DeputyViewSet(ServiceModelViewSet):
    model = Deputy
    name = "council_deputies"
    url_prefix = "council/deputies"
    icon = "group"
    menu_label = _("Deputies")
    form_fields = list(services.DEPUTY_FIELDS)
    list_display = ["person", "convocation", "district", "voting_identifier", "end_date"]
    list_filter = ["convocation"]
    search_fields = ["person__full_name", "voting_identifier"]
    search_backend_name = None
    delete_view_enabled = False
    create_service = staticmethod(services.deputy_create)
    update_service = _update(services.deputy_update, "deputy")


class OrganizationViewSet(ServiceModelViewSet):
    model = Organization
    name = "council_bodies"
    url_prefix = "council/bodies"
    icon = "folder-open-inverse"
    menu_label = _("Factions, commissions, executive committee")
    form_fields = list(services.ORGANIZATION_FIELDS)
    list_display = ["name", "kind", "convocation"]
    list_filter = ["kind", "convocation"]
    delete_view_enabled = False
    create_service = staticmethod(services.organization_create)
    update_service = _update(services.organization_update, "organization")


class MembershipViewSet(ServiceModelViewSet):
    model = Membership
    name = "council_memberships"
    url_prefix = "council/memberships"
    icon = "link"
    menu_label = _("Memberships")
    form_fields = list(services.MEMBERSHIP_FIELDS)
    list_display = ["person", "organization", "role", "start_date", "end_date"]
    list_filter = ["organization__convocation", "organization__kind", "role"]
    search_fields = ["person__full_name"]
    search_backend_name = None
    create_service = staticmethod(services.membership_create)
    update_service = _update(services.membership_update, "membership")
    delete_service = _delete(services.membership_delete, "membership")


class MeetingViewSet(ServiceModelViewSet):
    model = Meeting
    name = "council_meetings"
    url_prefix = "council/meetings"
    icon = "calendar-alt"
    menu_label = _("Sessions and meetings")
    index_view_class = MeetingIndexView
    add_view_class = MeetingCreateView
    form_fields = list(services.MEETING_FIELDS)
    list_display = ["title", "date", "status", "agenda_status"]
    list_filter = ["kind", "convocation", "status"]
    search_fields = ["title"]
    search_backend_name = None
    delete_view_enabled = False
    create_service = staticmethod(services.meeting_create)
    update_service = _update(services.meeting_update, "meeting")

    def get_form_class(self, for_update=False):
        return modelform_factory(Meeting, form=MeetingForm, fields=self.form_fields)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/manage/", MeetingManageView.as_view(), name="manage"),
            path("<int:pk>/votes/new/", VoteEntryView.as_view(), name="vote_entry"),
            path("votes/<int:pk>/correct/", VoteCorrectView.as_view(), name="vote_correct"),
        ]


class SittingViewSet(ServiceModelViewSet):
    model = Sitting
    name = "council_sittings"
    url_prefix = "council/sittings"
    icon = "time"
    menu_label = _("Sittings")
    add_view_class = SittingCreateView
    form_fields = list(services.SITTING_FIELDS)
    list_display = ["meeting", "number", "date", "status"]
    delete_view_enabled = False
    add_to_admin_menu = False
    create_service = staticmethod(services.sitting_create)
    update_service = _update(services.sitting_update, "sitting")


class AgendaItemViewSet(ServiceModelViewSet):
    model = AgendaItem
    name = "council_items"
    url_prefix = "council/agenda-items"
    icon = "list-ol"
    menu_label = _("Agenda items")
    add_view_class = AgendaItemCreateView
    edit_view_class = AgendaItemEditView
    form_fields = list(services.ITEM_FIELDS)
    list_display = ["meeting", "position", "title", "result"]
    list_filter = ["meeting__convocation", "result"]
    add_to_admin_menu = False
    create_service = staticmethod(services.agenda_item_create)

    def get_form_class(self, for_update=False):
        return modelform_factory(AgendaItem, form=AgendaItemForm, fields=self.form_fields)

    update_service = _update(services.agenda_item_update, "item")

    delete_view_class = AgendaItemDeleteView
    delete_service = _delete(services.agenda_item_delete, "item")


class ImportProfileViewSet(ServiceModelViewSet):
    model = VotingImportProfile
    name = "council_import_profiles"
    url_prefix = "council/import-profiles"
    icon = "cogs"
    menu_label = _("Voting import profiles")
    form_fields = list(services.PROFILE_FIELDS)
    list_display = ["name", "is_default"]
    delete_view_enabled = False
    create_service = staticmethod(services.import_profile_create)
    update_service = _update(services.import_profile_update, "profile")


class CouncilGroup(ViewSetGroup):
    menu_label = _("Council")
    menu_icon = "group"
    menu_order = 250
    items = (
        MeetingViewSet,
        ConvocationViewSet,
        PersonViewSet,
        DeputyViewSet,
        OrganizationViewSet,
        MembershipViewSet,
        ImportProfileViewSet,
    )


@hooks.register("register_admin_viewset")
def register_council_viewsets():
    return CouncilGroup()


@hooks.register("register_admin_viewset")
def register_council_sittings():
    return SittingViewSet()


@hooks.register("register_admin_viewset")
def register_council_agenda_items():
    return AgendaItemViewSet()


@hooks.register("register_admin_urls")
def register_council_admin_urls():
    return [
        path("council-import/", include((admin_import.urlpatterns, "council_import"))),
        path("council-mailings/", include((admin_mailing.urlpatterns, "council_mailings"))),
    ]


class _CabinetMenuItem(MenuItem):
    """Deputies (and council staff) reach the drafts of upcoming sessions from the admin."""

    def is_shown(self, request):
        return bool(user_roles(request.user) & {Role.DEPUTY, *services.COUNCIL_ROLES})


@hooks.register("register_admin_menu_item")
def cabinet_menu_item():
    return _CabinetMenuItem(
        _("Deputy's cabinet: drafts"), reverse("council:cabinet"), icon_name="doc-full", order=240
    )
