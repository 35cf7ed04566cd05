"""Roll-call votes as open data in the Ukrainian format: the tables ``motions``, ``votings``
and ``deputies`` (domain.md, «Roll-call votes as open data»), per session or for a whole
convocation, written as CSV or JSON.

What is open: only published votes (``VoteEvent.published_at`` set) — the roll-call results
the law on local self-government (art. 59(3)) puts on the website; the same set the public
pages show (``selectors.public_vote_events``).

Values:
- ``convocation`` is the convocation's number in arabic digits (``8``, not ``VIII``): a
  number sorts and compares; the page shows the Roman numeral next to it.
- ``date`` is the moment of the vote, ISO 8601 in Kyiv time with its offset.
- ``legislativeSession`` is the title of the session (or other meeting) where the vote was
  held («7 сесія VIII скликання»): a convocation's files hold the published votes of its
  sessions and also of its commissions' and executive committee's meetings, each named so.
- ``num`` is the vote's number within the meeting; ``projectNum`` the draft's number (empty
  when the draft has none or the motion has no draft).
- ``textUrl`` is the absolute address of the draft's page, or of the decision's when only
  that is public; empty when neither is public.
- ``votingResult`` is «Прийнято» or «Не прийнято»; ``votings.result`` is За / Проти /
  Утримався / Не голосував / Відсутній.
- ``voterId`` (and ``deputies.votingIdentifier``) is the identifier the hall's voting system
  uses for the deputy, or ``deputy-<id>`` for a deputy who has none on file; a member of the
  executive committee who is not a deputy (they vote at its meetings) is ``person-<id>``.
- The ``deputies`` table holds everyone who appears in ``votings``: the deputies, and such
  members of the executive committee (their ``id``, ``faction`` and ``district`` empty, their
  dates those of their membership).

Every table is produced row by row (``values_list`` + ``iterator``; votes are read a block of
motions at a time along the ``(event, deputy)`` index), so a convocation with millions of
votes is written in constant memory. The CSV is UTF-8 without a byte-order mark, with a
header row of the camelCase names; the JSON is one array of objects.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ratusha.core.site_urls import UrlPattern

from .choices import OPEN_DATA_CHOICE, OrganizationKind, VoteResult
from .models import Convocation, Deputy, Meeting, Membership, Vote, VoteEvent

TABLES = ("motions", "votings", "deputies")
FORMATS = ("csv", "json")

MOTION_FIELDS = (
    "uid",
    "date",
    "authorityName",
    "authorityId",
    "convocation",
    "legislativeSession",
    "num",
    "title",
    "projectNum",
    "votingFor",
    "votingAgainst",
    "votingAbstain",
    "notVoting",
    "absent",
    "votingResult",
    "textUrl",
)
VOTING_FIELDS = ("motionUid", "voterId", "voterName", "motionTitle", "result")
DEPUTY_FIELDS = (
    "id",
    "votingIdentifier",
    "fullName",
    "convocation",
    "faction",
    "district",
    "startDate",
    "endDate",
)
FIELDS = {"motions": MOTION_FIELDS, "votings": VOTING_FIELDS, "deputies": DEPUTY_FIELDS}

OPEN_DATA_RESULT = {VoteResult.ADOPTED: "Прийнято", VoteResult.REJECTED: "Не прийнято"}

CHUNK_ROWS = 2000  # rows fetched from the database at a time
EVENTS_PER_BLOCK = 200  # motions whose votes are read in one query
WRITE_CHUNK_ROWS = 500  # rows joined into one piece of the streamed response
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text columns a spreadsheet could take for a formula (see ``_safe_cell``).
TEXT_COLUMNS = {
    "title",
    "legislativeSession",
    "projectNum",
    "voterName",
    "motionTitle",
    "fullName",
    "faction",
    "district",
}


@dataclass(frozen=True)
class Scope:
    """Which votes a file holds: a whole convocation or one meeting (session) of it."""

    convocation: Convocation
    meeting: Meeting | None = None

    @property
    def slug(self) -> str:
        if self.meeting is not None:
            return f"council-votes-{self.convocation.number}-meeting-{self.meeting.pk}"
        return f"council-votes-{self.convocation.number}"


def published_events() -> QuerySet[VoteEvent]:
    """The vote events that are open data: the published ones."""
    return VoteEvent.objects.filter(published_at__isnull=False)


def _events(scope: Scope) -> QuerySet[VoteEvent]:
    events = published_events().filter(meeting__convocation_id=scope.convocation.pk)
    if scope.meeting is not None:
        events = events.filter(meeting_id=scope.meeting.pk)
    return events.order_by("meeting__date", "meeting_id", "number", "id")


def authority() -> tuple[str, str]:
    """The council's name and ЄДРПОУ code from the default site's ``HromadaSettings``."""
    from wagtail.models import Site

    from ratusha.core.models import HromadaSettings

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return "", ""
    hromada = HromadaSettings.for_site(site)
    return hromada.council_name, hromada.edrpou


def voter_id(voting_identifier: str, deputy_id: int) -> str:
    return voting_identifier or f"deputy-{deputy_id}"


def person_voter_id(person_id: int) -> str:
    """The ``voterId`` of someone who votes without a mandate (a member of the executive
    committee)."""
    return f"person-{person_id}"


def _is_public(published_at, is_internal) -> bool:
    return published_at is not None and not is_internal


def _isoformat(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


# Rows --------------------------------------------------------------------------------------

MOTION_COLUMNS = (
    "uid",
    "voted_at",
    "meeting__title",
    "number",
    "title",
    "agenda_item__draft_id",
    "agenda_item__draft__number",
    "agenda_item__draft__published_at",
    "agenda_item__draft__is_internal",
    "agenda_item__decision_id",
    "agenda_item__decision__published_at",
    "agenda_item__decision__is_internal",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "votes_not_voting",
    "votes_absent",
    "result",
)


def motion_rows(scope: Scope, *, base_url: str = "") -> Iterator[dict[str, object]]:
    """The ``motions`` table: one row per published vote."""
    name, edrpou = authority()
    act_url = UrlPattern("acts:detail", prefix=base_url)
    convocation = scope.convocation.number
    rows = _events(scope).values_list(*MOTION_COLUMNS)
    for (
        uid,
        voted_at,
        session,
        number,
        title,
        draft_id,
        draft_number,
        draft_published,
        draft_internal,
        decision_id,
        decision_published,
        decision_internal,
        votes_for,
        votes_against,
        votes_abstain,
        votes_not_voting,
        votes_absent,
        result,
    ) in rows.iterator(chunk_size=CHUNK_ROWS):
        if draft_id and _is_public(draft_published, draft_internal):
            text_url = act_url(draft_id)
        elif decision_id and _is_public(decision_published, decision_internal):
            text_url = act_url(decision_id)
        else:
            text_url = ""
        yield {
            "uid": str(uid),
            "date": _isoformat(voted_at),
            "authorityName": name,
            "authorityId": edrpou,
            "convocation": convocation,
            "legislativeSession": session,
            "num": number,
            "title": title,
            "projectNum": (draft_number or "") if draft_id else "",
            "votingFor": votes_for,
            "votingAgainst": votes_against,
            "votingAbstain": votes_abstain,
            "notVoting": votes_not_voting,
            "absent": votes_absent,
            "votingResult": OPEN_DATA_RESULT.get(result, result),
            "textUrl": text_url,
        }


def _non_deputy_members(convocation: Convocation) -> QuerySet[Membership]:
    """Memberships, in the convocation's commissions and executive committee, of people with
    no mandate in it: who may vote without being a deputy."""
    return Membership.objects.filter(
        organization__convocation_id=convocation.pk,
        organization__kind__in=(OrganizationKind.EXECUTIVE_COMMITTEE, OrganizationKind.COMMISSION),
    ).exclude(person__mandates__convocation_id=convocation.pk)


def _voter_names(convocation: Convocation) -> dict[int, tuple[str, str]]:
    """``{person id: (voterId, full name)}`` of everyone who may vote in a convocation: its
    deputies and the members of its bodies without a mandate. A few dozen rows, read once."""
    names = {
        person_id: (person_voter_id(person_id), name)
        for person_id, name in _non_deputy_members(convocation).values_list(
            "person_id", "person__full_name"
        )
    }
    names.update(
        {
            person_id: (voter_id(identifier, pk), name)
            for pk, identifier, person_id, name in Deputy.objects.filter(
                convocation_id=convocation.pk
            ).values_list("pk", "voting_identifier", "person_id", "person__full_name")
        }
    )
    return names


def _blocks(items: Iterable, size: int) -> Iterator[list]:
    block = []
    for item in items:
        block.append(item)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def voting_rows(scope: Scope) -> Iterator[dict[str, object]]:
    """The ``votings`` table: one row per voter per published vote, in the order of the
    motions, the voters of each in alphabetical order."""
    names = _voter_names(scope.convocation)
    events = _events(scope).values_list("pk", "uid", "title").iterator(chunk_size=CHUNK_ROWS)
    for block in _blocks(events, EVENTS_PER_BLOCK):
        motions = {pk: (str(uid), title) for pk, uid, title in block}
        by_event: dict[int, list[tuple[int, str]]] = {pk: [] for pk in motions}
        votes = Vote.objects.filter(event_id__in=list(motions)).values_list(
            "event_id", "voter_id", "choice"
        )
        for event_id, person_id, choice in votes.iterator(chunk_size=CHUNK_ROWS):
            by_event[event_id].append((person_id, choice))
        for event_id, (uid, title) in motions.items():
            named = sorted(
                (
                    *reversed(names.get(person_id, (person_voter_id(person_id), ""))),
                    choice,
                )
                for person_id, choice in by_event[event_id]
            )
            for name, identifier, choice in named:
                yield {
                    "motionUid": uid,
                    "voterId": identifier,
                    "voterName": name,
                    "motionTitle": title,
                    "result": OPEN_DATA_CHOICE.get(choice, choice),
                }


def _factions(convocation: Convocation) -> dict[int, str]:
    """``{person id: faction name}`` in ``convocation``: the current membership, else the
    latest one."""
    memberships = Membership.objects.filter(
        organization__convocation_id=convocation.pk,
        organization__kind=OrganizationKind.FACTION,
    ).values_list("person_id", "organization__name", "end_date", "start_date")
    chosen: dict[int, tuple] = {}
    for person_id, name, end_date, start_date in memberships:
        key = (end_date is None, end_date or start_date or timezone.localdate())
        if person_id not in chosen or key > chosen[person_id][0]:
            chosen[person_id] = (key, name)
    return {person_id: name for person_id, (_key, name) in chosen.items()}


def _isodate(day) -> str:
    return day.isoformat() if day else ""


def deputy_rows(scope: Scope) -> Iterator[dict[str, object]]:
    """The ``deputies`` table: the convocation's deputies, or for one meeting those who
    appear in its published votes (every deputy in office, at a session); then the voters
    without a mandate who appear in the scope's published votes (members of the executive
    committee)."""
    factions = _factions(scope.convocation)
    deputies = Deputy.objects.filter(convocation_id=scope.convocation.pk)
    published = _events(scope).order_by()
    if scope.meeting is not None:
        deputies = deputies.filter(
            pk__in=Vote.objects.filter(event__in=published).values("deputy_id")
        )
    rows = deputies.order_by("person__full_name", "pk").values_list(
        "pk",
        "voting_identifier",
        "person_id",
        "person__full_name",
        "district",
        "start_date",
        "end_date",
    )
    for pk, identifier, person_id, name, district, start, end in rows.iterator(
        chunk_size=CHUNK_ROWS
    ):
        yield {
            "id": pk,
            "votingIdentifier": voter_id(identifier, pk),
            "fullName": name,
            "convocation": scope.convocation.number,
            "faction": factions.get(person_id, ""),
            "district": district,
            "startDate": _isodate(start),
            "endDate": _isodate(end),
        }
    # Read along the (deputy, event) index: the votes without a mandate come first in it.
    others = Vote.objects.filter(deputy__isnull=True, event__in=published).values("voter_id")
    periods: dict[int, list] = {}
    for person_id, name, start, end in (
        _non_deputy_members(scope.convocation)
        .filter(person_id__in=others)
        .order_by("person__full_name", "person_id", "start_date")
        .values_list("person_id", "person__full_name", "start_date", "end_date")
    ):
        periods.setdefault(person_id, [name, start, end])
        first = periods[person_id]
        if first[2] is not None and (end is None or end > first[2]):
            first[2] = end
    for person_id, (name, start, end) in periods.items():
        yield {
            "id": None,
            "votingIdentifier": person_voter_id(person_id),
            "fullName": name,
            "convocation": scope.convocation.number,
            "faction": "",
            "district": "",
            "startDate": _isodate(start),
            "endDate": _isodate(end),
        }


def rows(table: str, scope: Scope, *, base_url: str = "") -> Iterator[dict[str, object]]:
    """The rows of ``table`` (one of ``TABLES``) for ``scope``."""
    if table == "motions":
        return motion_rows(scope, base_url=base_url)
    if table == "votings":
        return voting_rows(scope)
    if table == "deputies":
        return deputy_rows(scope)
    raise ValueError(f"Unknown table {table!r}")


# Writers -----------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose ``write`` returns what it is given (for ``csv.writer``)."""

    def write(self, value: str) -> str:
        return value


def _safe_cell(value: object) -> object:
    """A text cell spreadsheets will not run as a formula (as the acts export does)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


def write_csv(records: Iterable[dict[str, object]], fields: tuple[str, ...]) -> Iterator[str]:
    """CSV text in pieces: the header row of ``fields``, then the records."""
    writer = csv.writer(_Echo())
    yield writer.writerow(fields)
    safe = [name in TEXT_COLUMNS for name in fields]
    chunk = []
    for record in records:
        chunk.append(
            writer.writerow(
                [
                    _safe_cell(record[name]) if text else record[name]
                    for name, text in zip(fields, safe, strict=True)
                ]
            )
        )
        if len(chunk) >= WRITE_CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def write_json(records: Iterable[dict[str, object]], fields: tuple[str, ...]) -> Iterator[str]:
    """A JSON array of objects (keys in the order of ``fields``) in pieces."""
    yield "["
    separator = "\n"
    chunk = []
    for record in records:
        chunk.append(
            separator + json.dumps({name: record[name] for name in fields}, ensure_ascii=False)
        )
        separator = ",\n"
        if len(chunk) >= WRITE_CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "\n]\n"


WRITERS: dict[str, Callable[[Iterable[dict[str, object]], tuple[str, ...]], Iterator[str]]] = {
    "csv": write_csv,
    "json": write_json,
}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def stream(table: str, fmt: str, scope: Scope, *, base_url: str = "") -> Iterator[bytes]:
    """The file ``<table>.<fmt>`` of ``scope`` as UTF-8 pieces."""
    pieces = WRITERS[fmt](rows(table, scope, base_url=base_url), FIELDS[table])
    return (piece.encode("utf-8") for piece in pieces)


def filename(table: str, fmt: str, scope: Scope) -> str:
    return f"{scope.slug}-{table}.{fmt}"
