"""Substring search over names and codes that an index answers on PostgreSQL, Chinese included.

`icontains` on PostgreSQL is `UPPER(col) LIKE UPPER('%text%')`: without an index every row is
read. A trigram GIN index (pg_trgm) answers LIKE from the trigrams of the pattern, and on this
server's ctype CJK characters do form trigrams (`show_trgm('青岛海智')` gives five). But a
two-character pattern such as 海尔 or 海信, the commonest search for a Chinese company, has no
trigram at all and falls back to reading every row.

Names are therefore indexed twice. Searches of three characters or more use a trigram index
on `UPPER(col)`, the expression `icontains` compares. Two-character searches use a second
index over the name *doubled*, every character written twice, upper-cased (青岛 → 青青岛岛):
the search becomes four characters with two trigrams, and `t` is in `s` exactly when
doubled(t) is in doubled(s) (a match at an odd offset needs a run of one repeated character,
which contains `t` too). The doubled form is not used for longer searches because every row
the index finds is checked again, and REGEXP_REPLACE costs about 3 µs a row where UPPER costs
a fraction of that: a broad search (有限公司, matching every row) would be slower than
reading the table. A one-character search has no trigram even doubled and reads the rows.

Codes (统一社会信用代码: 18 digits and capital letters) are searched as they are, with a
trigram index on `UPPER(col)`: a code fragment shorter than `CODE_MIN_LENGTH` would match
thousands of codes, so it matches none (the same on SQLite, which matches without an index),
and a text that is not digits and Latin letters is never compared with a code.

Use `text_contains(text, names=[…], codes=[…])` for the filter, and `trigram_index_sql` /
`code_trigram_index_sql` in a PostgreSQL-only migration step for each column searched: the
query and the index must be the same expression for the planner to use the index.
"""

from django.db import connection
from django.db.models import Func, Q, TextField
from django.db.models.lookups import Contains

# Name searches of this length are compared doubled (two characters → four, two trigrams);
# longer ones as they are.
DOUBLED_LENGTH = 2
# Shortest code fragment searched at all (and it has a trigram).
CODE_MIN_LENGTH = 3


class DoubledUpper(Func):
    """REGEXP_REPLACE(UPPER(col::text), '(.)', '\\1\\1', 'g'): each character twice, upper-cased.
    PostgreSQL only; written out as constants so that it is the index's expression exactly."""

    template = "REGEXP_REPLACE(UPPER(%(expressions)s::text), '(.)', '\\1\\1', 'g')"
    output_field = TextField()


def doubled(text: str) -> str:
    """`text` as `DoubledUpper` writes it: '海信ab' → '海海信信AABB'."""
    return "".join(ch * 2 for ch in text.upper())


def could_be_code(text: str) -> bool:
    """Whether `text` may be part of a 统一社会信用代码 (digits and Latin letters only, any case,
    `CODE_MIN_LENGTH` characters or more): a search with a Chinese character in it never is."""
    return len(text) >= CODE_MIN_LENGTH and text.isascii() and text.isalnum()


def text_conditions(text: str, *, names=(), codes=()) -> list[Q]:
    """`text_contains`'s conditions one by one (one per field that can match; none when no
    field can), so that a caller can unite one query per condition: PostgreSQL answers
    `a LIKE … OR b LIKE …` on one table by reading every row once the pattern is long (its
    estimate of a many-trigram index scan exceeds that of the table), each alone by its index."""
    as_doubled = connection.vendor == "postgresql" and len(text) == DOUBLED_LENGTH
    # DoubledUpper(col) LIKE '%<doubled text>%', the text escaped for LIKE by the lookup;
    # else UPPER(col::text) LIKE UPPER('%text%').
    parts = [Q(Contains(DoubledUpper(field), doubled(text))) if as_doubled
             else Q(**{f"{field}__icontains": text}) for field in names]
    if could_be_code(text):
        # UPPER(col::text) LIKE UPPER('%text%'): the expression of code_trigram_index_sql.
        parts.extend(Q(**{f"{field}__icontains": text}) for field in codes)
    return parts


def text_contains(text: str, *, names=(), codes=()) -> Q:
    """A filter: one of the fields `names` (text columns, may span relations) contains `text`,
    ignoring case, or one of `codes` does and `could_be_code(text)`.
    On PostgreSQL it is written so that the indexes of `trigram_index_sql` (names; two per
    column) and `code_trigram_index_sql` (codes) answer it. `text` must be stripped and non-empty. A
    condition that matches nothing (a short text and codes only) is `Q(pk__in=[])`."""
    parts = text_conditions(text, names=names, codes=codes)
    if not parts:
        return Q(pk__in=[])
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


def trigram_index_sql(name: str, table: str, column: str) -> list[str]:
    """CREATE INDEX statements answering `text_contains(…, names=[column])` (PostgreSQL with
    pg_trgm): `<name>` on UPPER(column), `<name>_2` on the doubled column."""
    return [
        *code_trigram_index_sql(name, table, column),
        f'CREATE INDEX IF NOT EXISTS "{name}_2" ON "{table}" USING gin '
        f"((REGEXP_REPLACE(UPPER(\"{column}\"::text), '(.)', '\\1\\1', 'g')) gin_trgm_ops)",
    ]


def code_trigram_index_sql(name: str, table: str, column: str) -> list[str]:
    """CREATE INDEX statements answering `text_contains(…, codes=[column])` (PostgreSQL with
    pg_trgm): `<name>` on UPPER(column)."""
    return [f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin '
            f'((UPPER("{column}"::text)) gin_trgm_ops)']
