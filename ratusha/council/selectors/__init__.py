"""Public reads of the council: convocations, people and bodies, meetings and roll-call votes.

Only published vote events (``published_at`` set) are public; every public function here keeps
to ``public_vote_events()``. The projector (``screen_*``) is the exception: it shows the hall
what was just recorded, published or not, to the staff and deputies only.

Every function owns its ``select_related``/``prefetch_related`` and asks a fixed number of
queries whatever the size of the data; the deputy's page stays fast over millions of votes
(see ``deputy_attendance`` and ``deputy_votes``). Modules: ``people`` (convocations, deputies,
bodies), ``meetings`` (meetings, votes, the projector, the act's page), ``stats`` (the activity
report), ``sitemap`` (public addresses for sitemap.xml), ``voters`` (who votes at and is
mailed the drafts of a meeting), ``common``.
"""

from .common import (
    BODY_MEETINGS_LIMIT,
    CALENDAR_DAYS_BACK,
    DEPUTY_VOTES_PAGE,
    LATEST_VOTES,
    MEETINGS_PAGE,
    ROLE_ORDER,
    UPCOMING_LIMIT,
    is_current,
    public_vote_events,
)
from .meetings import (
    MeetingFilters,
    MeetingPage,
    ScreenPage,
    VotePage,
    act_agenda_section,
    calendar_meetings,
    is_deputy_of,
    latest_votes,
    meeting_for_calendar,
    meeting_get,
    meeting_page,
    meeting_years,
    past_meetings,
    screen_page,
    screen_state,
    upcoming_meetings,
    vote_page,
)
from .people import (
    Attendance,
    BodyPage,
    ConvocationOverview,
    KnownCountRows,
    convocation_get,
    convocation_list,
    convocation_overview,
    current_convocation,
    deputy_attendance,
    deputy_get,
    deputy_memberships,
    deputy_other_mandates,
    deputy_votes,
    organization_page,
    person_latest_mandate,
    person_memberships,
)
from .sitemap import sitemap_record_urls, sitemap_vote_rows
from .stats import period_stats

__all__ = [
    "BODY_MEETINGS_LIMIT",
    "CALENDAR_DAYS_BACK",
    "DEPUTY_VOTES_PAGE",
    "LATEST_VOTES",
    "MEETINGS_PAGE",
    "ROLE_ORDER",
    "UPCOMING_LIMIT",
    "Attendance",
    "BodyPage",
    "ConvocationOverview",
    "KnownCountRows",
    "MeetingFilters",
    "MeetingPage",
    "ScreenPage",
    "VotePage",
    "act_agenda_section",
    "calendar_meetings",
    "convocation_get",
    "convocation_list",
    "convocation_overview",
    "current_convocation",
    "deputy_attendance",
    "deputy_get",
    "deputy_memberships",
    "deputy_other_mandates",
    "deputy_votes",
    "is_current",
    "is_deputy_of",
    "latest_votes",
    "meeting_for_calendar",
    "meeting_get",
    "meeting_page",
    "meeting_years",
    "organization_page",
    "past_meetings",
    "period_stats",
    "sitemap_record_urls",
    "sitemap_vote_rows",
    "person_latest_mandate",
    "person_memberships",
    "public_vote_events",
    "screen_page",
    "screen_state",
    "upcoming_meetings",
    "vote_page",
]
