"""The staff's checklist of public information: which topics of art. 15(1) of the law on
access to public information the site covers, which are missing or stale, and which pages of
a topic are not shown (drafts, unpublished, expired, restricted). For department staff,
approvers and administrators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ratusha.core.permissions import user_roles
from ratusha.core.roles import ALL_UNITS_ROLES

from . import selectors


def may_see_checklist(user) -> bool:
    """Department staff, approvers and administrators (the roles that answer for the whole
    site)."""
    return bool(user_roles(user) & ALL_UNITS_ROLES)


class ChecklistSummary:
    """The counts the dashboard shows: topics in all, covered, missing, stale."""

    def __init__(self, topics: list[selectors.TopicStatus]):
        self.topics = topics
        self.total = len(topics)
        self.missing = [topic for topic in topics if topic.missing]
        self.stale = [topic for topic in topics if topic.stale]
        self.covered = self.total - len(self.missing)
        self.not_shown = sum(len(topic.other_pages) for topic in topics)


class PublicInfoChecklistView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "portal/admin/public_info.html"
    header_icon = "list-ul"
    page_title = gettext_lazy("Public information checklist")

    def dispatch(self, request, *args, **kwargs):
        if not may_see_checklist(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topics = selectors.public_info_checklist()
        context.update(
            topics=topics,
            summary=ChecklistSummary(topics),
            stale_days=selectors.stale_after_days(),
        )
        return context


class PublicInfoPanel(Component):
    """The checklist's summary on the admin's dashboard."""

    name = "public_info"
    template_name = "portal/admin/public_info_panel.html"
    order = 120

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["summary"] = ChecklistSummary(selectors.public_info_checklist())
        context["stale_days"] = selectors.stale_after_days()
        return context
