"""PostgreSQL only: the lemmatised title in a tsvector of its own, with its GIN index, so that
«every term in the title» is answered by the index (weights in ``search_vector`` can only be
checked row by row)."""

from django.db import migrations

CREATE = [
    """ALTER TABLE search_searchdocument ADD COLUMN search_title_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_index)) STORED""",
    "CREATE INDEX search_doc_title_vector_idx ON search_searchdocument USING gin "
    "(search_title_vector)",
]
DROP = [
    "DROP INDEX IF EXISTS search_doc_title_vector_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_title_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
