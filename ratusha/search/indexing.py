"""Writes of the search index: documents from the sources, lemmatised, and the vocabulary the
queries need. The index is derived data — it is rebuilt from the records at any time — so its
writes are not audited and need no actor; records themselves change only through their apps'
services, which signal search after the commit (``receivers``).

- ``refresh(kind, ids)``: the documents of these records as they are now (gone or no longer
  public → removed);
- ``rebuild(kind=None, progress=None)``: every document of a kind (or of all kinds) anew.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.db.models import F

from . import docids, morphology, sources
from .models import SearchDocument, SearchLemma, SearchTerm
from .sources import Doc

SNIPPET_SOURCE_CHARS = 20_000  # the text kept for snippets
INDEX_CHARS = 200_000  # the text read into the index (PostgreSQL's tsvector holds at most 1 MB)
BATCH = 500
MAX_TERM_LENGTH = 100


def _prepared(doc: Doc) -> tuple[SearchDocument, dict[str, str]]:
    title_index, title_words = morphology.index_text(doc.title)
    label_and_text = f"{doc.label}\n{doc.text}" if doc.label else doc.text
    body_index, body_words = morphology.index_text(label_and_text, limit=INDEX_CHARS)
    record = SearchDocument(
        kind=doc.kind,
        object_id=doc.object_id,
        title=doc.title[:1000],
        label=doc.label[:500],
        text=doc.text[:SNIPPET_SOURCE_CHARS],
        date=doc.date,
        year=doc.date.year if doc.date else None,
        url=doc.url[:500],
        number_key=doc.number_key[:64],
        title_index=title_index,
        body_index=body_index,
    )
    return record, title_words | body_words


class Vocabulary:
    """Words and lemma→token pairs met while indexing, written in bulk."""

    def __init__(self):
        self.words: dict[str, str] = {}
        self.documents: Counter[str] = Counter()

    def add(self, words: dict[str, str]) -> None:
        for word, token in words.items():
            if len(word) <= MAX_TERM_LENGTH:
                self.words[word] = token
                self.documents[word] += 1

    def pairs(self) -> set[tuple[str, str]]:
        return {
            (lemma, token)
            for token in set(self.words.values())
            for lemma in morphology.token_lemmas(token)
        }

    def save(self) -> None:
        """Adds what is new; a word already known keeps its row (and count)."""
        SearchLemma.objects.bulk_create(
            (SearchLemma(lemma=lemma, token=token) for lemma, token in self.pairs()),
            batch_size=1000,
            ignore_conflicts=True,
        )
        SearchTerm.objects.bulk_create(
            (
                SearchTerm(word=word, token=token, documents=self.documents[word])
                for word, token in self.words.items()
            ),
            batch_size=1000,
            ignore_conflicts=True,
        )


def _batches(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def _next_id(doc: Doc) -> int:
    """A free id for a new document of this date and kind."""
    code = docids.kind_codes()[doc.kind]
    last = (
        SearchDocument.objects.filter(
            pk__gte=docids.day_start(doc.date), pk__lt=docids.day_end(doc.date)
        )
        .annotate(code=F("pk").bitand(docids.KIND_MASK))
        .filter(code=code)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return docids.make(doc.date, docids.sequence(last) + 1 if last is not None else 0, doc.kind)


def store(docs: Iterable[Doc]) -> int:
    """Insert or replace the documents of these records."""
    vocabulary = Vocabulary()
    count = 0
    with transaction.atomic():
        for doc in docs:
            record, words = _prepared(doc)
            vocabulary.add(words)
            existing = (
                SearchDocument.objects.filter(kind=doc.kind, object_id=doc.object_id)
                .values_list("pk", "date")
                .first()
            )
            if existing is not None and existing[1] == doc.date:
                record.pk = existing[0]
                record.save(force_update=True)
            else:
                if existing is not None:  # a new date is a new place in the order: a new id
                    SearchDocument.objects.filter(pk=existing[0]).delete()
                record.pk = _next_id(doc)
                record.save(force_insert=True)
            count += 1
        vocabulary.save()
    return count


def remove(kind: str, object_ids: Iterable[str]) -> int:
    ids = [str(key) for key in object_ids]
    deleted, _ = SearchDocument.objects.filter(kind=kind, object_id__in=ids).delete()
    return deleted


def refresh(kind: str, object_ids: Iterable[str]) -> dict[str, int]:
    """Bring the documents of these records up to date: stored if public, removed if not."""
    found = sources.source_of(kind).fetch(kind, [str(key) for key in object_ids])
    gone = [key for key, doc in found.items() if doc is None]
    return {
        "stored": store(doc for doc in found.values() if doc is not None),
        "removed": remove(kind, gone) if gone else 0,
    }


def replace_group(kind: str, prefix: str, docs: list[Doc]) -> None:
    """Make the documents of ``kind`` whose id starts with ``prefix`` exactly ``docs`` (e.g.
    a meeting's agenda items, some of which may have been deleted)."""
    keep = {doc.object_id for doc in docs}
    with transaction.atomic():
        stale = SearchDocument.objects.filter(kind=kind, object_id__startswith=prefix).exclude(
            object_id__in=keep
        )
        stale.delete()
        store(docs)


COLUMNS = (
    "id", "kind", "object_id", "date", "year", "number_key", "url", "title", "label", "text",
    "title_index", "body_index",
)  # fmt: skip


class Sequences:
    """Ids for a batch of new documents (a rebuild starts each day and kind at 0)."""

    def __init__(self):
        self.next: dict[tuple, int] = {}

    def assign(self, record: SearchDocument) -> None:
        key = (record.date, record.kind)
        number = self.next.get(key, 0)
        self.next[key] = number + 1
        record.pk = docids.make(record.date, number, record.kind)


def _insert(records: list[SearchDocument]) -> None:
    """Many new documents in one statement per batch (``bulk_create`` spends longer building
    the SQL than the database spends running it)."""
    adapt = connection.ops.adapt_datefield_value
    sql = (
        f"INSERT INTO {SearchDocument._meta.db_table} ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    rows = [
        tuple(adapt(r.date) if c == "date" else getattr(r, c) for c in COLUMNS) for r in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def rebuild(
    kind: str | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Index every document of ``kind`` (all kinds if None) anew. A full rebuild also renews
    the vocabulary, with exact document counts. Returns the count per kind."""
    kinds = [kind] if kind else list(sources.kinds())
    counts: dict[str, int] = {}
    vocabulary = Vocabulary()
    sequences = Sequences()
    with transaction.atomic():
        SearchDocument.objects.filter(kind__in=kinds).delete()
        if kind is None:
            SearchLemma.objects.all().delete()
            SearchTerm.objects.all().delete()
        done = set()
        for current in kinds:
            source = sources.source_of(current)
            if kind is None and source.name in done:
                continue
            done.add(source.name)
            docs = source.documents(None if kind is None else current)
            for batch in _batches(docs, BATCH):
                records = []
                for doc in batch:
                    record, words = _prepared(doc)
                    vocabulary.add(words)
                    sequences.assign(record)
                    records.append(record)
                    counts[doc.kind] = counts.get(doc.kind, 0) + 1
                _insert(records)
                if progress is not None:
                    progress(len(records))
        vocabulary.save()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            # fresh statistics of the titles' words for the planner after a bulk load
            cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
    return counts


def rebuild_from(docs: Iterable[Doc]) -> int:
    """Replace the whole index by these documents (the relevance set; not the records)."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchLemma.objects.all().delete()
        SearchTerm.objects.all().delete()
        vocabulary = Vocabulary()
        sequences = Sequences()
        count = 0
        for batch in _batches(docs, BATCH):
            records = []
            for doc in batch:
                record, words = _prepared(doc)
                vocabulary.add(words)
                sequences.assign(record)
                records.append(record)
            _insert(records)
            count += len(records)
        vocabulary.save()
    return count


def document_count() -> int:
    return SearchDocument.objects.count()
