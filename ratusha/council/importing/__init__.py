"""Roll-call votes from a file exported by the hall's electronic voting system.

One row per deputy per motion, in CSV (UTF-8 with or without a BOM, or Windows-1251; the
delimiter ``;``, ``,``, tab or ``|`` is detected unless the profile names it) or XLSX (the
first sheet; read row by row with lxml's C parser, no DTD or entities, or by openpyxl in
read-only mode for an unusual workbook). What a file is, is decided by its content, not its
name: an XLSX is a ZIP holding ``xl/workbook.xml`` (checked for zip bombs before it is
opened); anything else must be text. Refused as a whole (``ImportRefused``): an empty file,
a file over 20 MB, a file that is neither, a header without the profile's columns (naming
the missing ones).

Which column holds what is said by a ``VotingImportProfile``: a column is named by its header
text (case, spaces and apostrophes ignored), by its letter (``A``, ``B``, … ``AA``) or by its
1-based number. Without a profile, the built-in one (``default_profile()``) reads these
headers:

    «№ голосування»  the number of the vote within the meeting
    «Назва»          the motion
    «Час»            date and time of the vote: «ДД.ММ.РРРР ГГ:ХХ[:СС]», ISO 8601 or an
                     Excel date (without a time column: the meeting's date and start time)
    «Ідентифікатор»  the deputy's identifier in the voting system
    «Депутат»        the deputy's full name («Прізвище Ім'я По батькові» or «Прізвище І. П.»)
    «Рішення»        за / проти / утримався / не голосував / відсутній

Every configured column must be in the file, except that one of the identifier and the name
is enough. Without a column of the agenda item, a vote is put on the item whose title it
bears (or, failing that, the only item whose title its own contains, as an amendment's does).
Choices are understood in Ukrainian (any case, feminine forms too) and English (for, against,
abstain, not voting, absent), plus the profile's ``choice_values``.

A row's voter is one of those called to vote at the meeting (``selectors.voters``: the
convocation's deputies at a session, the body's members at a commission's or the executive
committee's meeting) with that voting identifier, else with that full name (normalised), else
the only one with that surname and initials. Rows are grouped by the number of the vote into
``services.MotionInput`` (``where`` = «рядки 5–44» of the file). Every problem is reported
with the row and the reason: an unknown voter, a deputy without a mandate (a member not in the
body) on the day, a voter twice in one vote, an unknown choice, a date that cannot be read,
different titles or totals within one vote, a missing row of a voter in office (the file must
be complete). ``check`` adds what the service refuses (a vote in the future, totals that do not
match the rows, a vote already recorded) by a dry run; ``record`` saves through
``services.vote_events_record`` — all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, services
from ..choices import VoteChoice, VoteResult, VoteSource
from ..models import AgendaItem, Meeting, VotingImportProfile
from ..selectors.voters import Voter, composition, is_plenary, voter_pool
from .files import (  # noqa: F401 (re-exported: the import's public surface)
    MAX_FILE_SIZE,
    ImportRefused,
    Table,
    _csv_rows,
    _FastSheet,
    _openpyxl_rows,
    _refused,
    check_size,
    read_table,
)

HEADER_SEARCH_ROWS = 20  # a title or a blank line may come before the header

DEFAULT_PROFILE_NAME = "Типовий (вбудований)"


def default_profile() -> VotingImportProfile:
    """The built-in profile (unsaved) used when none is chosen; see the module's docstring."""
    return VotingImportProfile(
        name=DEFAULT_PROFILE_NAME,
        column_motion_number="№ голосування",
        column_motion_title="Назва",
        column_voted_at="Час",
        column_voter_id="Ідентифікатор",
        column_voter_name="Депутат",
        column_choice="Рішення",
        choice_values={},
    )


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


# Parsing ------------------------------------------------------------------------------------


@dataclass
class VotingFile:
    """A parsed voting file: the motions to record, the problems, counts for the preview."""

    name: str
    file_format: str
    profile_name: str
    motions: list[services.MotionInput] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: int = 0
    deputies: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Motion:
    number: int
    title: str
    first_row: int
    last_row: int
    voted_at: dt.datetime | None = None
    agenda_item: AgendaItem | None = None
    totals: dict[str, int | None] | None = None
    choices: dict[int, str] = field(default_factory=dict)  # voter (person id) → choice
    rows_of: dict[int, int] = field(default_factory=dict)  # voter (person id) → row
    errors: list[str] = field(default_factory=list)


def _total_label(key: str) -> str:
    from ..models import VoteEvent

    return str(VoteEvent._meta.get_field(key).verbose_name)


def _row_error(row: int, message: str) -> str:
    return _("row %(row)s: %(problem)s") % {"row": row, "problem": message}


def _bad_time(row: int, value: str) -> str:
    return _row_error(row, _("the date and time «%(value)s» cannot be read") % {"value": value})


def _where(first: int, last: int) -> str:
    if first == last:
        return _("row %(row)s") % {"row": first}
    return _("rows %(first)s–%(last)s") % {"first": first, "last": last}


def _int(value) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and value >= 0 else None
    text = _text(value).lstrip("№#").strip()
    return int(text) if text.isdigit() else None


def parse_voting_file(
    name: str,
    content: bytes,
    *,
    meeting: Meeting,
    profile: VotingImportProfile | None = None,
) -> VotingFile:
    """Read the file into motions for ``meeting``; ``ImportRefused`` when the file as a whole
    cannot be read, otherwise every problem is in ``errors`` with its row."""
    profile = profile or default_profile()
    table = read_table(name, content, profile)
    columns, start = _find_columns(name, table.rows, profile)
    result = VotingFile(name=name, file_format=table.file_format, profile_name=profile.name)

    pool = voter_pool(meeting)
    voters = VoterIndex(pool, body="" if is_plenary(meeting) else meeting.organization.name)
    items = {item.position: item for item in AgendaItem.objects.filter(meeting=meeting)}
    words = choice_map(profile)
    default_time = meeting_start(meeting)
    day = meeting.date

    col_number = columns["number"]
    col_title = columns["title"]
    col_choice = columns["choice"]
    col_time = columns.get("voted_at")
    col_item = columns.get("agenda_item")
    col_id = columns.get("voter_id")
    col_name = columns.get("voter_name")
    total_cols = {key: columns[key] for key in TOTAL_KEYS if key in columns}

    motions: dict[int, _Motion] = {}
    errors = result.errors
    seen_data = False
    need = max(columns.values()) + 1
    # Cells repeat (a motion's title and time on every row, a deputy on every motion): each
    # distinct value is read once.
    texts: dict = {}
    times: dict = {}
    found: dict = {}
    chosen: dict = {}

    def text(raw):
        value = texts.get(raw)
        if value is None:
            value = texts[raw] = _text(raw)
        return value

    def moment(raw):
        if raw not in times:
            times[raw] = parse_datetime(raw, day)
        return times[raw]

    for row, cells in _data_rows(table.rows, start):
        if len(cells) < need:
            cells = [*cells, *([None] * (need - len(cells)))]
        raw_number = cells[col_number]
        number = raw_number if type(raw_number) is int and raw_number >= 0 else _int(raw_number)
        if number is None:
            if not seen_data and start == 0:
                continue  # a title or header line before the data of a lettered profile
            errors.append(
                _row_error(
                    row,
                    _("the number of the vote «%(value)s» is not a whole number")
                    % {"value": text(raw_number)},
                )
            )
            continue
        seen_data = True
        result.rows += 1
        title = text(cells[col_title])
        motion = motions.get(number)
        if motion is None:
            motion = motions[number] = _Motion(
                number=number, title=title, first_row=row, last_row=row
            )
            if col_time is not None:
                raw = cells[col_time]
                motion.voted_at = moment(raw)
                if motion.voted_at is None:
                    motion.errors.append(_bad_time(row, text(raw)))
            if col_item is not None:
                motion.agenda_item = _agenda_item(cells[col_item], items, row, motion.errors)
            if total_cols:
                motion.totals = {k: _int(cells[c]) for k, c in total_cols.items()}
                for key, index in total_cols.items():
                    if motion.totals[key] is None and text(cells[index]):
                        motion.errors.append(
                            _row_error(
                                row,
                                _("the total «%(value)s» is not a number")
                                % {"value": text(cells[index])},
                            )
                        )
        else:
            if row > motion.last_row:
                motion.last_row = row
            if title != motion.title and title and normalise(title) != normalise(motion.title):
                motion.errors.append(
                    _row_error(
                        row,
                        _("the motion of vote № %(n)s differs from row %(first)s («%(title)s»)")
                        % {"n": number, "first": motion.first_row, "title": title[:80]},
                    )
                )
            elif not motion.title:
                motion.title = title
            if col_time is not None and motion.voted_at is not None:
                raw = cells[col_time]
                if raw is not None and raw != "" and moment(raw) is None:
                    motion.errors.append(_bad_time(row, text(raw)))
            # The totals repeat on every row of a vote: each row must give the same.
            for key, index in total_cols.items():
                raw = cells[index]
                if motion.totals is not None and text(raw) and _int(raw) != motion.totals[key]:
                    motion.errors.append(
                        _row_error(
                            row,
                            _(
                                "the total «%(total)s» is %(value)s here but %(first)s in "
                                "row %(row)s of the same vote"
                            )
                            % {
                                "total": _total_label(key),
                                "value": text(raw),
                                "first": motion.totals[key],
                                "row": motion.first_row,
                            },
                        )
                    )

        key = (
            cells[col_id] if col_id is not None else None,
            cells[col_name] if col_name is not None else None,
        )
        match = found.get(key)
        if match is None:
            match = found[key] = voters.find(text(key[0]), text(key[1]))
        voter, why = match
        if voter is None:
            motion.errors.append(_row_error(row, why))
        elif voter.pk in motion.rows_of:
            motion.errors.append(
                _row_error(
                    row,
                    _("%(deputy)s already has a row in vote № %(n)s (row %(other)s)")
                    % {
                        "deputy": voter.name,
                        "n": number,
                        "other": motion.rows_of[voter.pk],
                    },
                )
            )
            continue
        raw_choice = cells[col_choice]
        choice = chosen.get(raw_choice)
        if choice is None:
            choice = chosen[raw_choice] = words.get(normalise(text(raw_choice)), "")
        if not choice:
            motion.errors.append(
                _row_error(
                    row,
                    _(
                        "unknown choice «%(value)s» (expected за, проти, утримався, не голосував, "
                        "відсутній)"
                    )
                    % {"value": text(raw_choice)},
                )
            )
        if voter is not None:
            motion.rows_of[voter.pk] = row
            if choice:
                motion.choices[voter.pk] = choice

    if not motions and not errors:
        raise _refused(name, _("the file has no votes"))

    by_person = {voter.pk: voter for voter in pool}
    for number in sorted(motions):
        motion = motions[number]
        if col_item is None and motion.agenda_item is None:
            motion.agenda_item = item_by_title(motion.title, items.values())
        motion_input = services.MotionInput(
            number=number,
            title=motion.title,
            voted_at=motion.voted_at or default_time,
            choices=motion.choices,
            agenda_item=motion.agenda_item,
            declared_totals=motion.totals,
            where=_where(motion.first_row, motion.last_row),
            rows=motion.rows_of,
        )
        # Who may vote that day and who is missing: the service's own check, so the file's
        # errors and the service's are the same messages.
        motion.errors.extend(services.voter_problems(meeting, motion_input, by_person))
        motion_input.errors = list(motion.errors)
        result.motions.append(motion_input)
        errors.extend(motion.errors)
    result.deputies = len({v for m in motions.values() for v in m.rows_of})
    return result


def item_by_title(title: str, items) -> AgendaItem | None:
    """The agenda item a motion is on, when the file has no column for it: the item whose
    title is the motion's, else the only one whose title the motion's contains («Поправка
    до проєкту рішення «Про бюджет…»»). Case, spaces and apostrophes do not count."""
    wanted = normalise(title)
    if not wanted:
        return None
    candidates = [(normalise(item.title), item) for item in items]
    exact = [item for text, item in candidates if text == wanted]
    if len(exact) == 1:
        return exact[0]
    within = [item for text, item in candidates if len(text) >= 10 and text in wanted]
    return within[0] if len(within) == 1 else None


def _data_rows(rows: list[tuple[int, list]], start: int) -> Iterator[tuple[int, list]]:
    for row, cells in rows[start:]:
        if any(c is not None and str(c).strip() for c in cells):
            yield row, cells


def _agenda_item(value, items: dict[int, AgendaItem], row: int, errors: list[str]):
    if value is None or _text(value) == "":
        return None
    position = _int(value)
    item = items.get(position) if position is not None else None
    if item is None:
        errors.append(
            _row_error(
                row,
                _("the agenda has no item № %(value)s") % {"value": _text(value)},
            )
        )
    return item


# Checking and saving ------------------------------------------------------------------------


class _DryRun(Exception):
    pass


def check(voting_file: VotingFile, *, actor, meeting: Meeting, replace: bool = False) -> list[str]:
    """Run the service on the motions without keeping anything and add what it refuses (a vote
    in the future, totals that do not match, a vote already recorded) to the file's errors."""
    refused: list[str] = []
    try:
        with transaction.atomic():
            services.vote_events_record(
                actor=actor,
                meeting=meeting,
                motions=voting_file.motions,
                source=VoteSource.IMPORT,
                replace=replace,
            )
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as exc:
        refused = list(exc.messages)
    known = set(voting_file.errors)
    for message in refused:
        if message not in known:
            known.add(message)
            voting_file.errors.append(message)
    return voting_file.errors


def record(
    voting_file: VotingFile,
    *,
    actor,
    meeting: Meeting,
    replace: bool = False,
    publish: bool = False,
):
    """Save the motions through the service (all or nothing); ``ValidationError`` with every
    problem when the file has errors or the service refuses."""
    if voting_file.errors:
        raise ValidationError(list(voting_file.errors))
    return services.vote_events_record(
        actor=actor,
        meeting=meeting,
        motions=voting_file.motions,
        source=VoteSource.IMPORT,
        replace=replace,
        publish=publish,
    )


def preview(meeting: Meeting, motions: list[services.MotionInput]) -> list[dict]:
    """Per motion: number, title, time, totals and the result it would get."""
    convocation = meeting.convocation
    pool = voter_pool(meeting)
    out = []
    for motion in motions:
        counts = rules.totals(motion.choices.values())
        rule = motion.rule or convocation.default_vote_rule
        full = composition(meeting, timezone.localdate(motion.voted_at), pool)
        outcome = rules.result(rule, composition=full, counts=counts)
        out.append(
            {
                "number": motion.number,
                "title": motion.title,
                "voted_at": motion.voted_at,
                "agenda_item": motion.agenda_item,
                "where": motion.where,
                "totals": counts,
                "result": outcome,
                "result_label": VoteResult(outcome).label,
                "has_errors": bool(motion.errors),
            }
        )
    return out
