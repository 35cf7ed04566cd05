"""The council: convocations, people and their bodies (Popolo: person, organisation,
membership, post), meetings with agendas, roll-call votes and the mailing of drafts.

Plain models (not pages): votes run to millions of rows. Every change goes through
``council.services``; reads through ``council.selectors``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import (
    AgendaStatus,
    DeliveryStatus,
    ItemResult,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    OrganizationKind,
    VoteChoice,
    VoteResult,
    VoteRule,
    VoteSource,
)

ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(number: int) -> str:
    """``8`` → ``VIII`` (convocations are numbered in Roman numerals)."""
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


class Convocation(models.Model):
    """A council's convocation (скликання): the council as a Popolo organisation for a term."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    start_date = models.DateField(_("first session"))
    end_date = models.DateField(_("end of powers"), null=True, blank=True)
    composition = models.PositiveSmallIntegerField(
        _("composition"),
        help_text=_(
            "The council's full composition (deputies and the head): the base of «majority of "
            "the composition»."
        ),
    )
    default_vote_rule = models.CharField(
        _("default voting rule"),
        max_length=16,
        choices=VoteRule.choices,
        default=VoteRule.MAJORITY_OF_COMPOSITION,
    )

    class Meta:
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        ordering = ["-number"]

    def __str__(self):
        return f"{roman(self.number)} скликання"

    def get_absolute_url(self):
        return reverse("council:convocation", kwargs={"number": self.number})

    @property
    def roman(self) -> str:
        return roman(self.number)


class Person(models.Model):
    """A person (Popolo ``Person``): a deputy, a member of the executive committee, the head."""

    full_name = models.CharField(_("full name"), max_length=255)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    biography = models.TextField(_("biography"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    reception_hours = models.CharField(_("reception hours"), max_length=255, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_person",
        help_text=_("The account a deputy uses to read drafts before sessions."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("council:person", kwargs={"pk": self.pk})


class Deputy(models.Model):
    """A deputy's mandate in one convocation (Popolo: membership of the council, post
    «депутат»), with the identifier the hall's electronic voting system uses."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="mandates"
    )
    convocation = models.ForeignKey(
        Convocation,
        verbose_name=_("convocation"),
        on_delete=models.PROTECT,
        related_name="deputies",
    )
    district = models.CharField(_("electoral district"), max_length=255, blank=True)
    nominated_by = models.CharField(_("nominated by (party)"), max_length=255, blank=True)
    voting_identifier = models.CharField(
        _("voting system identifier"),
        max_length=64,
        blank=True,
        help_text=_("How the hall's electronic voting system names this deputy."),
    )
    start_date = models.DateField(_("mandate from"))
    end_date = models.DateField(_("mandate ended"), null=True, blank=True)
    end_reason = models.CharField(_("why the mandate ended"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["convocation", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["convocation", "person"], name="deputy_once_per_convocation"
            ),
            models.UniqueConstraint(
                fields=["convocation", "voting_identifier"],
                condition=~models.Q(voting_identifier=""),
                name="deputy_voting_id_unique",
            ),
        ]

    def __str__(self):
        return f"{self.person.full_name} ({self.convocation})"

    def get_absolute_url(self):
        return reverse("council:deputy", kwargs={"pk": self.pk})


class Organization(models.Model):
    """A body of the council (Popolo ``Organization``): faction, standing commission, deputy
    group, executive committee."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    convocation = models.ForeignKey(
        Convocation,
        verbose_name=_("convocation"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    name = models.CharField(_("name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=255, blank=True)
    description = models.TextField(_("functions"), blank=True)
    start_date = models.DateField(_("formed"), null=True, blank=True)
    end_date = models.DateField(_("dissolved"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("council body")
        verbose_name_plural = _("council bodies")
        ordering = ["convocation", "kind", "sort_order", "name"]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("council:organization", kwargs={"pk": self.pk})


class Membership(models.Model):
    """A person's place in a body over time (Popolo ``Membership`` with its post)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    label = models.CharField(
        _("position"),
        max_length=255,
        blank=True,
        help_text=_("For the executive committee: the member's position, e.g. «староста»."),
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "role", "person__full_name"]
        indexes = [models.Index(fields=["person", "organization"], name="membership_person_idx")]

    def __str__(self):
        return f"{self.person} — {self.organization} ({self.get_role_display()})"


class Meeting(models.Model):
    """A council session, a commission meeting or an executive committee meeting."""

    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    convocation = models.ForeignKey(
        Convocation,
        verbose_name=_("convocation"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("The commission or the executive committee; empty for a council session."),
    )
    number = models.PositiveIntegerField(
        _("number"), help_text=_("A session's number within the convocation («7 сесія»).")
    )
    is_extraordinary = models.BooleanField(_("extraordinary"), default=False)
    title = models.CharField(_("title"), max_length=500, blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    agenda_status = models.CharField(
        _("agenda"), max_length=16, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT
    )
    agenda_approved_at = models.DateTimeField(_("agenda approved"), null=True, blank=True)
    agenda_revision = models.PositiveIntegerField(_("agenda revision"), default=0)
    video_url = models.URLField(_("video"), blank=True)
    minutes = models.ForeignKey(
        "acts.Act",
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="minutes_of",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date"], name="meeting_date_idx"),
            models.Index(fields=["convocation", "kind", "number"], name="meeting_number_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["convocation", "kind", "number"],
                condition=models.Q(organization__isnull=True),
                name="session_number_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "number"],
                condition=models.Q(organization__isnull=False),
                name="body_meeting_number_unique",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} № {self.number}"

    def get_absolute_url(self):
        return reverse("council:meeting", kwargs={"pk": self.pk})


class Sitting(models.Model):
    """One day of a session (пленарне засідання); a session has one or more."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sittings"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    video_url = models.URLField(_("video"), blank=True)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="sitting_number_unique")
        ]

    def __str__(self):
        return f"{self.meeting}, засідання {self.number} ({self.date:%d.%m.%Y})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("number in the agenda"))
    title = models.CharField(_("title"), max_length=1000)
    draft = models.ForeignKey(
        "acts.Act",
        verbose_name=_("draft"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    rapporteur = models.CharField(_("rapporteur"), max_length=500, blank=True)
    commission_conclusion = models.TextField(_("conclusions of the commissions"), blank=True)
    result = models.CharField(
        _("result"), max_length=16, choices=ItemResult.choices, default=ItemResult.PENDING
    )
    decision = models.ForeignKey(
        "acts.Act",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_items",
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]

    def __str__(self):
        return f"{self.position}. {self.title}"


class VoteEvent(models.Model):
    """One roll-call vote on a motion (Popolo ``VoteEvent``) with its totals and result."""

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="vote_events"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vote_events",
    )
    number = models.PositiveIntegerField(_("number of the vote"))
    title = models.CharField(_("motion"), max_length=1000)
    voted_at = models.DateTimeField(_("voted at"))
    rule = models.CharField(
        _("rule"), max_length=16, choices=VoteRule.choices, default=VoteRule.MAJORITY_OF_COMPOSITION
    )
    composition = models.PositiveSmallIntegerField(
        _("full composition"),
        help_text=_("The council's at a session; the body's members on the day at its meeting."),
    )
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstained"), default=0)
    votes_not_voting = models.PositiveSmallIntegerField(_("did not vote"), default=0)
    votes_absent = models.PositiveSmallIntegerField(_("absent"), default=0)
    result = models.CharField(_("result"), max_length=16, choices=VoteResult.choices)
    source = models.CharField(
        _("source"), max_length=16, choices=VoteSource.choices, default=VoteSource.MANUAL
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_late = models.BooleanField(_("published late"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("roll-call vote")
        verbose_name_plural = _("roll-call votes")
        ordering = ["meeting", "number"]
        indexes = [
            models.Index(fields=["voted_at"], name="vote_event_time_idx"),
            # The few votes not yet published, which a deputy's counts leave out.
            models.Index(
                fields=["id"],
                condition=models.Q(published_at__isnull=True),
                name="vote_event_unpublished_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="vote_event_number_unique")
        ]

    def __str__(self):
        return f"№ {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("council:vote", kwargs={"pk": self.pk})


class Vote(models.Model):
    """One voter's choice in one vote event (Popolo ``Vote``).

    The voter is a person: at a council session a deputy, at a commission's or the executive
    committee's meeting a member of that body (members of the executive committee are mostly
    not deputies). ``deputy`` is the voter's mandate in the convocation when they hold one, so
    a deputy's page reads their votes from the ``(deputy, event, choice)`` index alone."""

    event = models.ForeignKey(
        VoteEvent, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        Person,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="votes",
        # The unique (event, voter) index serves every read by event; a person's votes are
        # read through their mandate. An index of its own would only slow the inserts.
        db_index=False,
    )
    deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
        db_index=False,  # both indexes below start with it
    )
    choice = models.CharField(_("choice"), max_length=16, choices=VoteChoice.choices)

    class Meta:
        verbose_name = _("voter's choice")
        verbose_name_plural = _("voters' choices")
        constraints = [
            models.UniqueConstraint(fields=["event", "voter"], name="vote_once_per_event")
        ]
        # A deputy's page reads their votes from these indexes alone: the counts per choice
        # walk (deputy, choice) in order; the votes page newest first along (deputy, event).
        indexes = [
            models.Index(fields=["deputy", "event", "choice"], name="vote_deputy_choice_idx"),
            models.Index(fields=["deputy", "choice", "event"], name="vote_deputy_by_choice_idx"),
        ]

    def __str__(self):
        return f"{self.voter}: {self.get_choice_display()}"


class VotingImportProfile(models.Model):
    """How one hall voting system writes its export: which column holds what.

    Columns are named by their header text (case and spaces ignored) or by letter/number
    (``A``, ``3``). ``choice_values`` maps the system's words for choices to ours."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    delimiter = models.CharField(
        _("CSV delimiter"), max_length=4, blank=True, help_text=_("Empty: detect.")
    )
    encoding = models.CharField(
        _("CSV encoding"), max_length=32, blank=True, help_text=_("Empty: UTF-8 or Windows-1251.")
    )
    column_motion_number = models.CharField(_("column: number of the vote"), max_length=64)
    column_motion_title = models.CharField(_("column: motion"), max_length=64)
    column_voted_at = models.CharField(
        _("column: date and time of the vote"), max_length=64, blank=True
    )
    column_agenda_item = models.CharField(
        _("column: agenda item number"), max_length=64, blank=True
    )
    column_voter_id = models.CharField(_("column: deputy's identifier"), max_length=64, blank=True)
    column_voter_name = models.CharField(_("column: deputy's name"), max_length=64, blank=True)
    column_choice = models.CharField(_("column: choice"), max_length=64)
    column_total_for = models.CharField(_("column: total for"), max_length=64, blank=True)
    column_total_against = models.CharField(_("column: total against"), max_length=64, blank=True)
    column_total_abstain = models.CharField(_("column: total abstained"), max_length=64, blank=True)
    column_total_not_voting = models.CharField(
        _("column: total did not vote"), max_length=64, blank=True
    )
    column_total_absent = models.CharField(_("column: total absent"), max_length=64, blank=True)
    choice_values = models.JSONField(
        _("words for choices"),
        default=dict,
        blank=True,
        help_text=_(
            'Extra words the system uses, e.g. {"1": "for", "Y": "for"}; the Ukrainian words '
            "(за, проти, утримався, не голосував, відсутній) are always understood."
        ),
    )
    is_default = models.BooleanField(_("default profile"), default=False)

    class Meta:
        verbose_name = _("voting import profile")
        verbose_name_plural = _("voting import profiles")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DraftMailing(models.Model):
    """One sending of a meeting's agenda and drafts to those who take part in it (on approval
    of the agenda, and again on each change of an approved agenda)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="mailings"
    )
    revision = models.PositiveIntegerField(_("agenda revision"))
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mailing of drafts")
        verbose_name_plural = _("mailings of drafts")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.meeting}: {self.reason}"


class Delivery(models.Model):
    """One e-mail of a mailing to one recipient (a deputy, or a member of the body that
    meets): the delivery log."""

    mailing = models.ForeignKey(
        DraftMailing,
        verbose_name=_("mailing"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="deliveries"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=1000, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "person__full_name"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.person} <{self.email}>: {self.get_status_display()}"
