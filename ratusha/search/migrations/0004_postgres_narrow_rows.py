"""PostgreSQL only: narrow rows, so that counting and ordering the matches of a common word
reads a small table.

A match found in the GIN index is checked against its row in the table (its id: the date, the
kind, the order). With the texts, the lemmatised columns and the vector stored in the row
(compressed, about 2.8 KB a document) the 156,793 documents of the large demo took 435 MB and
counting the 40,000 matches of «бюджет громади» read 38,000 pages. With
``toast_tuple_target = 128`` the big columns of a long row are kept out of line (TOAST) and the
table takes 65–90 MB; the title's vector stays in the row (``STORAGE MAIN``), as the title tier
reads it row by row.

The whole vector's statistics are not collected (``SET STATISTICS 0``): with them the planner
judged a common word's matches cheaper to find by reading every row (it cannot know that each
row's vector is out of line), ten times slower than the GIN index; without them it plans the
matches through the index. The title's vector keeps its statistics (it is in the row, and a
word rare in titles is then looked up in its index instead of walking the table newest first).
Rows already stored are rewritten by ``VACUUM FULL`` (hence not atomic)."""

from django.db import migrations

TABLE = "search_searchdocument"
FORWARD = [
    f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_title_vector SET STORAGE MAIN",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STATISTICS 0",
    f"VACUUM FULL {TABLE}",
]
BACKWARD = [
    f"ALTER TABLE {TABLE} RESET (toast_tuple_target)",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_title_vector SET STORAGE EXTENDED",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STATISTICS -1",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("search", "0003_postgres_title_vector")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
