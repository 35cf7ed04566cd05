"""The full-text index of the backend in use (the model is the same on both):

- SQLite: an external-content FTS5 table ``search_fts`` over the two lemmatised columns of
  ``search_searchdocument`` (its rowid is the document's id), kept in step by triggers; the
  unicode61 tokenizer without diacritics removal (й, ї stay themselves), ranked with bm25.
- PostgreSQL: a generated ``tsvector`` column, the lemmatised title weighted A and the text B
  under the ``simple`` configuration (no stemming: the tokens are lemmas already), with a GIN
  index; ranked with ts_rank_cd.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_index, body_index,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_index, body_index)
        VALUES (new.id, new.title_index, new.body_index);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_index, body_index)
        VALUES ('delete', old.id, old.title_index, old.body_index);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE OF title_index, body_index
        ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_index, body_index)
        VALUES ('delete', old.id, old.title_index, old.body_index);
        INSERT INTO search_fts(rowid, title_index, body_index)
        VALUES (new.id, new.title_index, new.body_index);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_CREATE = [
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_index), 'A')
            || setweight(to_tsvector('simple'::regconfig, body_index), 'B')
        ) STORED""",
    "CREATE INDEX search_doc_vector_idx ON search_searchdocument USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_doc_vector_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
