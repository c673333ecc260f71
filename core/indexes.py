"""Indexes that match the orders the list pages ask for."""

from django.db import models
from django.db.models import F


class ListOrderIndex(models.Index):
    """A B-tree index on `fields` ('-name' descending), the nullable descending ones with NULLs
    last, so that `F(name).desc(nulls_last=True)` orders (submitted rows first, drafts after)
    are read straight from it, after any leading equality columns (call, status, …).

    PostgreSQL puts NULLs first in a DESC index unless told, and then cannot use the index for
    a NULLS LAST order. SQLite sorts NULL lowest, so DESC already puts it last, and its CREATE
    INDEX has no NULLS clause: there the plain index is the same order.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        expressions = []
        for field_name in self.fields:
            name = field_name.removeprefix("-")
            if field_name.startswith("-"):
                nullable = model._meta.get_field(name).null
                expressions.append(F(name).desc(nulls_last=True) if nullable else F(name).desc())
            else:
                expressions.append(F(name).asc())
        index = models.Index(*expressions, name=self.name, db_tablespace=self.db_tablespace,
                             condition=self.condition)
        return index.create_sql(model, schema_editor, using=using, **kwargs)
