"""The search index: one table for every kind of record, and its vocabulary.

``SearchDocument`` holds what a result shows (kind, title, date, URL, the text its snippet is
cut from) and the lemmatised title and text the full-text index is built from. The full-text
index itself is the backend's: an FTS5 table ``search_fts`` kept in step by triggers on SQLite,
a ``tsvector`` column ``search_vector`` generated from the two lemmatised columns with a GIN
index on PostgreSQL (migration 0002; neither is a Django field, so the model stays the same on
both).

The vocabulary serves queries: ``SearchLemma`` says which index tokens carry a lemma (a query
word matches all of them), ``SearchTerm`` lists the words as written in the index (typo
tolerance and suggestions while typing). ``SearchQueryDay`` counts queries, anonymously.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    # Small columns first: SQLite reads a row's columns in order, and the big texts at the end
    # are never read when a search only needs the kind, the year or the date.
    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.CharField(_("record"), max_length=64)
    date = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number_key = models.CharField(_("number (normalised)"), max_length=64, blank=True)
    url = models.CharField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=1000)
    label = models.CharField(_("label"), max_length=500, blank=True)
    text = models.TextField(_("text for the snippet"), blank=True)
    title_index = models.TextField(_("lemmatised title"), blank=True)
    body_index = models.TextField(_("lemmatised text"), blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]
        indexes = [
            models.Index(fields=["number_key"], name="search_doc_number_idx"),
            models.Index(fields=["kind", "date"], name="search_doc_kind_date_idx"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title[:60]}"


class SearchLemma(models.Model):
    """A lemma and an index token that carries it (``рада`` → ``радǀрада``)."""

    lemma = models.CharField(_("lemma"), max_length=200)
    token = models.CharField(_("token"), max_length=500)

    class Meta:
        verbose_name = _("indexed lemma")
        verbose_name_plural = _("indexed lemmas")
        constraints = [
            models.UniqueConstraint(fields=["lemma", "token"], name="search_lemma_unique")
        ]

    def __str__(self):
        return f"{self.lemma} → {self.token}"


class SearchTerm(models.Model):
    """A word as written in indexed texts (normalised), its token and in how many documents it
    was seen (exact after ``search_reindex``, then only growing)."""

    word = models.CharField(_("word"), max_length=100, unique=True)
    token = models.CharField(_("token"), max_length=500, db_index=True)
    documents = models.PositiveIntegerField(_("documents"), default=1)

    class Meta:
        verbose_name = _("indexed word")
        verbose_name_plural = _("indexed words")

    def __str__(self):
        return self.word


class SearchQueryDay(models.Model):
    """Queries made on one day and how many found nothing: counts only, no text, no address."""

    day = models.DateField(_("day"), unique=True)
    queries = models.PositiveIntegerField(_("queries"), default=0)
    zero_results = models.PositiveIntegerField(_("queries without results"), default=0)

    class Meta:
        verbose_name = _("search statistics of a day")
        verbose_name_plural = _("search statistics")

    def __str__(self):
        return f"{self.day}: {self.queries}"
