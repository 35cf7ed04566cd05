from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """Popolo organisations a council is made of (the council itself is the convocation)."""

    FACTION = "faction", _("faction")
    COMMISSION = "commission", _("standing commission")
    EXECUTIVE_COMMITTEE = "executive", _("executive committee")
    GROUP = "group", _("deputy group")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("member")
    CHAIR = "chair", _("chair")
    DEPUTY_CHAIR = "deputy_chair", _("deputy chair")
    SECRETARY = "secretary", _("secretary")


class MeetingKind(models.TextChoices):
    SESSION = "session", _("council session")
    COMMISSION = "commission", _("commission meeting")
    EXECUTIVE = "executive", _("executive committee meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class AgendaStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    APPROVED = "approved", _("approved")


class ItemResult(models.TextChoices):
    PENDING = "pending", _("not yet considered")
    ADOPTED = "adopted", _("adopted")
    REJECTED = "rejected", _("not adopted")
    RETURNED = "returned", _("sent back for revision")
    NOTED = "noted", _("taken into account")
    REMOVED = "removed", _("removed from the agenda")


class VoteChoice(models.TextChoices):
    """A deputy's choice in a roll-call vote; labels are the open-data values."""

    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstained")
    NOT_VOTING = "not_voting", _("did not vote")
    ABSENT = "absent", _("absent")


# The values the Ukrainian open data format uses for ``votings.result``.
OPEN_DATA_CHOICE = {
    VoteChoice.FOR: "За",
    VoteChoice.AGAINST: "Проти",
    VoteChoice.ABSTAIN: "Утримався",
    VoteChoice.NOT_VOTING: "Не голосував",
    VoteChoice.ABSENT: "Відсутній",
}


class VoteRule(models.TextChoices):
    """How many «for» votes adopt a motion. The full composition is the council's at a
    session, the body's (its members on the day) at a commission's or the executive
    committee's meeting."""

    MAJORITY_OF_COMPOSITION = "composition", _("majority of the full composition")
    TWO_THIRDS_OF_COMPOSITION = "two_thirds", _("two thirds of the full composition")
    MAJORITY_OF_PRESENT = "present", _("majority of those present")


class VoteResult(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    REJECTED = "rejected", _("not adopted")


class VoteSource(models.TextChoices):
    MANUAL = "manual", _("entered by hand")
    IMPORT = "import", _("imported from the voting system")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be sent")
    SENT = "sent", _("sent")
    RETRYING = "retrying", _("failed, will retry")
    FAILED = "failed", _("failed")
    NO_ADDRESS = "no_address", _("no e-mail address")
    SUPERSEDED = "superseded", _("superseded by a newer revision")
