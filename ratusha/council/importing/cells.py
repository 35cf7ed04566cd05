"""What the cells of a voting file mean: text (case, spaces and apostrophes aside), the
words for choices, the profile's columns, dates and times, and who a row's voter is."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..choices import VoteChoice
from ..models import Meeting, VotingImportProfile
from ..selectors.voters import Voter
from .files import _refused

HEADER_SEARCH_ROWS = 20  # a title or a blank line may come before the header

# Normalisation ------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans("", "", "ʼ’'`‘ʹ′")
_SPACES = re.compile(r"\s+")


def normalise(value) -> str:
    """Case, spaces and apostrophes do not count: «Прокоп’єнко  Ю.» → «прокопєнко ю.»."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value).translate(_APOSTROPHES)).strip().casefold()


def _header_key(value) -> str:
    return normalise(value).replace(" ", "")


def _text(value) -> str:
    """A cell as text: XLSX numbers without «.0», whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


# Choices ------------------------------------------------------------------------------------

_CHOICE_WORDS = {
    VoteChoice.FOR: ("за", "for", "yes", "так"),
    VoteChoice.AGAINST: ("проти", "against", "no", "ні"),
    VoteChoice.ABSTAIN: (
        "утримався",
        "утрималася",
        "утрималась",
        "утримався(лася)",
        "утримались",
        "abstain",
        "abstained",
        "abstention",
    ),
    VoteChoice.NOT_VOTING: (
        "не голосував",
        "не голосувала",
        "не голосував(ла)",
        "не голосували",
        "неголосував",
        "not voting",
        "not_voting",
        "did not vote",
        "not voted",
    ),
    VoteChoice.ABSENT: ("відсутній", "відсутня", "відсутні", "absent", "відс."),
}
BUILT_IN_CHOICES = {
    normalise(word): choice for choice, words in _CHOICE_WORDS.items() for word in words
}


def choice_map(profile: VotingImportProfile) -> dict[str, str]:
    """The words understood (normalised) → ``VoteChoice``; the profile's words may map to a
    ``VoteChoice`` value or to one of the built-in words («1» → «за»)."""
    words = dict(BUILT_IN_CHOICES)
    for word, meaning in (profile.choice_values or {}).items():
        target = normalise(meaning)
        choice = target if target in VoteChoice.values else BUILT_IN_CHOICES.get(target)
        if choice:
            words[normalise(word)] = choice
    return words


# Columns ------------------------------------------------------------------------------------

COLUMN_FIELDS = (
    ("column_motion_number", "number"),
    ("column_motion_title", "title"),
    ("column_voted_at", "voted_at"),
    ("column_agenda_item", "agenda_item"),
    ("column_voter_id", "voter_id"),
    ("column_voter_name", "voter_name"),
    ("column_choice", "choice"),
    ("column_total_for", "votes_for"),
    ("column_total_against", "votes_against"),
    ("column_total_abstain", "votes_abstain"),
    ("column_total_not_voting", "votes_not_voting"),
    ("column_total_absent", "votes_absent"),
)
TOTAL_KEYS = tuple(rules.TOTAL_FIELDS.values())
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")


def _position(reference: str) -> int | None:
    """``A`` → 0, ``AB`` → 27, ``3`` → 2; None for a header name."""
    reference = reference.strip()
    if reference.isdigit() and int(reference) > 0:
        return int(reference) - 1
    if _LETTERS.match(reference):
        index = 0
        for letter in reference.upper():
            index = index * 26 + (ord(letter) - ord("A") + 1)
        return index - 1
    return None


def _find_columns(
    name: str, rows: list[tuple[int, list]], profile: VotingImportProfile
) -> tuple[dict[str, int], int]:
    """``{key: column index}`` and the index in ``rows`` where the data starts (after the
    header when columns are named by header text)."""
    for attr in ("column_motion_number", "column_motion_title", "column_choice"):
        if not (getattr(profile, attr) or "").strip():
            raise _refused(
                name,
                _("the profile «%(profile)s» does not say which column is «%(column)s»")
                % {"profile": profile.name, "column": profile._meta.get_field(attr).verbose_name},
            )
    wanted = {
        key: (getattr(profile, attr) or "").strip()
        for attr, key in COLUMN_FIELDS
        if (getattr(profile, attr) or "").strip()
    }
    if "voter_id" not in wanted and "voter_name" not in wanted:
        raise _refused(
            name,
            _("the profile «%(profile)s» names no column with the deputy")
            % {"profile": profile.name},
        )
    by_name = {key: _header_key(ref) for key, ref in wanted.items() if _position(ref) is None}
    width = max((len(cells) for _row, cells in rows), default=0)
    found: dict[str, int] = {}
    for key, ref in wanted.items():
        if key not in by_name and _position(ref) < width:
            found[key] = _position(ref)
    start = 0
    if by_name:
        best: tuple[int, dict[str, int]] | None = None
        for index, (_row, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
            header: dict[str, int] = {}
            for position, value in enumerate(cells):
                header.setdefault(_header_key(value), position)
            matched = {key: header[text] for key, text in by_name.items() if text in header}
            if matched and (best is None or len(matched) > len(best[1])):
                best = (index, matched)
            if len(matched) == len(by_name):
                break
        if best is not None:
            start = best[0] + 1
            found.update(best[1])
    missing = [key for key in wanted if key not in found]
    if "voter_id" in found or "voter_name" in found:  # one of the two is enough
        missing = [key for key in missing if key not in ("voter_id", "voter_name")]
    if missing:
        raise _refused(
            name,
            _("the header has no column %(columns)s that the profile «%(profile)s» needs")
            % {
                "columns": ", ".join(f"«{wanted[key]}»" for key in missing),
                "profile": profile.name,
            },
        )
    return found, start


# Dates --------------------------------------------------------------------------------------

_DOTTED = re.compile(
    r"^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$"
)
_TIME_ONLY = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")  # an Excel date written out as a number
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _excel_serial(days: float) -> dt.datetime:
    return (EXCEL_EPOCH + dt.timedelta(days=days) + dt.timedelta(milliseconds=500)).replace(
        microsecond=0
    )


def parse_datetime(value, day: dt.date) -> dt.datetime | None:
    """A vote's time as an aware datetime (local time unless it says otherwise), or None.
    ``day`` completes a bare time («10:15»)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, dt.time):
        moment = dt.datetime.combine(day, value)
    elif isinstance(value, int | float) and 1 < value < 200_000:
        moment = _excel_serial(float(value))
    elif _SERIAL.match(_text(value)):
        moment = _excel_serial(float(_text(value)))
    else:
        text = _text(value)
        match = _DOTTED.match(text)
        if match:
            d, m, y, hh, mm, ss = match.groups()
            try:
                moment = dt.datetime(
                    int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0)
                )
            except ValueError:
                return None
        elif match := _TIME_ONLY.match(text):
            try:
                moment = dt.datetime.combine(
                    day, dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
                )
            except ValueError:
                return None
        else:
            try:
                moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                try:
                    moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
                except ValueError:
                    return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def meeting_start(meeting: Meeting) -> dt.datetime:
    """When a vote without a time in the file is taken to be: the meeting's date and start."""
    return timezone.make_aware(dt.datetime.combine(meeting.date, meeting.start_time or dt.time()))


# Deputies -----------------------------------------------------------------------------------


def _initials_key(name: str) -> str | None:
    """«бондаренко о. п.» / «о.п. бондаренко» → «бондаренко оп»; None for a full name."""
    tokens = [t for t in name.replace(".", ". ").replace(".", "").split() if t]
    if len(tokens) not in (2, 3):
        return None
    if len(tokens[0]) > 1 and all(len(t) == 1 for t in tokens[1:]):
        return f"{tokens[0]} {''.join(tokens[1:])}"
    if len(tokens[-1]) > 1 and all(len(t) == 1 for t in tokens[:-1]):
        return f"{tokens[-1]} {''.join(tokens[:-1])}"
    return None


class VoterIndex:
    """Those called to vote at a meeting (``selectors.voters.voter_pool``) by voting
    identifier (a deputy's), by full name and by initials."""

    def __init__(self, voters: list[Voter], *, body: str = ""):
        self.voters = {v.pk: v for v in voters}
        self.body = body  # the body's name at its meeting, "" at a session
        self.by_id: dict[str, Voter] = {}
        self.by_name: dict[str, list[Voter]] = {}
        self.by_initials: dict[str, list[Voter]] = {}
        for voter in voters:
            if voter.voting_identifier:
                self.by_id[normalise(voter.voting_identifier)] = voter
            full = normalise(voter.name)
            self.by_name.setdefault(full, []).append(voter)
            parts = full.split(" ")
            if len(parts) >= 2:
                for key in {
                    f"{parts[0]} {parts[1][0]}",
                    f"{parts[0]} {''.join(p[0] for p in parts[1:3])}",
                }:
                    self.by_initials.setdefault(key, []).append(voter)

    def find(self, voter_id: str, voter_name: str) -> tuple[Voter | None, str]:
        """The voter, or None and why not."""
        if voter_id:
            voter = self.by_id.get(normalise(voter_id))
            if voter is not None:
                return voter, ""
        if voter_name:
            name = normalise(voter_name)
            found = self.by_name.get(name)
            if found is None:
                key = _initials_key(name)
                found = self.by_initials.get(key) if key else None
            if found and len(found) == 1:
                return found[0], ""
            if found:
                return None, _("several people match «%(name)s»; give the full name") % {
                    "name": voter_name
                }
        who = " ".join(
            part
            for part in (f"«{voter_id}»" if voter_id else "", voter_name and f"«{voter_name}»")
            if part
        )
        if self.body:
            return None, _("%(who)s is not a member of «%(body)s»") % {
                "who": who or "—",
                "body": self.body,
            }
        return None, _("unknown deputy %(who)s") % {"who": who or "—"}
