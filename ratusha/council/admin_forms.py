"""Forms of the council admin. They only collect input; services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ratusha.acts.choices import ActStatus
from ratusha.acts.models import Act

from .choices import VoteChoice, VoteRule
from .models import AgendaItem
from .services import MINUTES_KINDS

OPEN_DRAFT_STATUSES = (ActStatus.REGISTERED, ActStatus.PUBLISHED, ActStatus.RETURNED)


def _recent(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _act_label(act: Act) -> str:
    title = act.title if len(act.title) <= 120 else act.title[:119] + "…"
    return f"{act} — {title}"


class MeetingForm(WagtailAdminModelForm):
    """Minutes are chosen from the minutes (of sessions, commissions and the executive
    committee) registered in the last two years; the service checks the kind fits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "minutes" in self.fields:
            minutes = Act.objects.filter(
                kind__code__in=MINUTES_KINDS.values(), date__gte=_recent(730)
            )
            if self.instance.pk and self.instance.minutes_id:
                minutes = minutes | Act.objects.filter(pk=self.instance.minutes_id)
            self.fields["minutes"].queryset = minutes.select_related("kind").order_by(
                "-date", "-id"
            )
            self.fields["minutes"].label_from_instance = _act_label
        if "title" in self.fields:
            self.fields["title"].help_text = _("Empty: «7 сесія VIII скликання» and the like.")


class AgendaItemForm(WagtailAdminModelForm):
    """The draft is one not yet considered (or the item's own); the decision one adopted in
    the last two years. Lists stay short on a registry of 100,000 acts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        drafts = Act.objects.filter(kind__is_draft=True, status__in=OPEN_DRAFT_STATUSES)
        if instance.pk and instance.draft_id:
            drafts = drafts | Act.objects.filter(pk=instance.draft_id)
        self.fields["draft"].queryset = drafts.select_related("kind").order_by("-date", "-id")
        decisions = Act.objects.filter(kind__is_draft=False, date__gte=_recent(730))
        if instance.pk and instance.decision_id:
            decisions = decisions | Act.objects.filter(pk=instance.decision_id)
        self.fields["decision"].queryset = decisions.select_related("kind").order_by("-date", "-id")
        for name in ("draft", "decision"):
            self.fields[name].label_from_instance = _act_label
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Empty: after the last item.")


class VoteEntryForm(forms.Form):
    """A roll-call vote typed from the paper result: the motion and a choice per voter (the
    deputies at a session, the body's members at its meeting)."""

    number = forms.IntegerField(label=_("Number of the vote"), min_value=1)
    title = forms.CharField(label=_("Motion"), max_length=1000)
    voted_at = forms.DateTimeField(label=_("Date and time of the vote"))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    rule = forms.ChoiceField(label=_("Rule"), choices=VoteRule.choices)
    publish = forms.BooleanField(label=_("Publish at once"), required=False, initial=True)

    def __init__(self, *args, meeting, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.voters = voters
        self.fields["agenda_item"].queryset = meeting.items.all()
        self.fields["rule"].initial = meeting.convocation.default_vote_rule
        for voter in voters:
            self.fields[f"voter_{voter.pk}"] = forms.ChoiceField(
                label=voter.name,
                choices=VoteChoice.choices,
                initial=VoteChoice.ABSENT,
                widget=forms.RadioSelect,
            )

    def voter_fields(self):
        return [self[f"voter_{voter.pk}"] for voter in self.voters]

    def choices(self) -> dict[int, str]:
        """Person id → choice."""
        return {v.pk: self.cleaned_data[f"voter_{v.pk}"] for v in self.voters}


class VoteCorrectForm(forms.Form):
    voter = forms.ChoiceField(label=_("Voter"))
    choice = forms.ChoiceField(label=_("Correct choice"), choices=VoteChoice.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("E.g. a fault of the voting console confirmed by the counting commission."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter"].choices = [
            (vote.voter_id, f"{vote.voter.full_name} ({vote.get_choice_display()})")
            for vote in event.votes.select_related("voter").order_by("voter__full_name")
        ]
