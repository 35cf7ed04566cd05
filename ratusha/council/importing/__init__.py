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
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, services
from ..choices import VoteResult, VoteSource
from ..models import AgendaItem, Meeting, VotingImportProfile
from ..selectors.voters import composition, is_plenary, voter_pool
from .cells import (  # noqa: F401 (re-exported: the import's public surface)
    BUILT_IN_CHOICES,
    COLUMN_FIELDS,
    HEADER_SEARCH_ROWS,
    TOTAL_KEYS,
    VoterIndex,
    _find_columns,
    _text,
    choice_map,
    meeting_start,
    normalise,
    parse_datetime,
)
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
