"""第七条（八）: the open datasets, their downloads (CSV, XLSX) and the data dictionary page.

One registry, `DATASETS`, names each dataset once: its API viewset (the JSON list under
/api/open/v1/<slug>/), its serializer (the fields, their Chinese names and meanings) and the
selector that reads it. The downloads and the dictionary are built from the same serializer,
so the API, the files and the page can never disagree on a field.

The datasets are public: no sign-in, no audit row (reading published facts is not a read of
someone's files), and the files are not `private_download`s.
"""

import csv
import itertools
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from rest_framework import serializers

from applications.exporters import write_xlsx
from applications.open_data import (
    OpenCallFilter,
    OpenCallSerializer,
    OpenCallViewSet,
    OpenDataPagination,
    open_calls,
)
from centers.open_data import (
    OpenCenterFilter,
    OpenCenterSerializer,
    OpenCenterViewSet,
    OpenNoticeFilter,
    OpenNoticeSerializer,
    OpenNoticeViewSet,
    open_centers,
    open_notices,
)

# Rows read from the database at a time for a download (server-side cursor on PostgreSQL):
# memory stays bounded whatever the size of the list.
DOWNLOAD_CHUNK = 500
# A list in a cell (a call's industry fields) is joined as the public pages join it.
LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class Dataset:
    """One open dataset. `nested` names a list field of the serializer (a notice's entries)
    that the files flatten: one row per nested item, the parent's columns repeated."""

    slug: str
    title: str
    description: str
    viewset: type
    serializer: type[serializers.Serializer]
    filterset: type
    rows: Callable
    nested: str = ""

    @property
    def basename(self) -> str:
        return f"open_data_{self.slug}"

    @property
    def api_url_name(self) -> str:
        return f"{self.basename}-list"


DATASETS: dict[str, Dataset] = {d.slug: d for d in (
    Dataset("centers", "赋能中心名录", "认定的赋能中心，包括已撤销的（含撤销日期和对外公布的撤销事由），按认定日期从新到旧排列。",
            OpenCenterViewSet, OpenCenterSerializer, OpenCenterFilter, open_centers),
    Dataset("notices", "公示公告", "已发布的拟认定名单公示（公示中、公示期满、已确定）及其名单，不含草稿，"
            "不含异议和异议人的任何信息。下载文件中每行是名单中的一个赋能中心，公示的各项重复列出。",
            OpenNoticeViewSet, OpenNoticeSerializer, OpenNoticeFilter, open_notices,
            nested="entries"),
    Dataset("calls", "申报通知", "已发布和已截止的申报通知：年度、标题、受理时间、可申报的重点产业领域和依据的政策文件。",
            OpenCallViewSet, OpenCallSerializer, OpenCallFilter, open_calls),
)}


def dataset_get(slug: str) -> Dataset:
    """The dataset named `slug`; Http404 (the portal's Chinese page) for any other."""
    try:
        return DATASETS[slug]
    except KeyError:
        raise Http404("没有这个数据集。") from None


# --- columns and rows of the files ----------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A field as the dictionary and the files show it: `identifier` as in the JSON (a
    nested one as "entries.position"), `label` its Chinese name, `kind` its type in words,
    `meaning` the help text, `choices` the codes of a coded field [(code, name)]."""

    identifier: str
    label: str
    kind: str
    meaning: str
    choices: tuple = ()
    nested: bool = False


def _kind(field) -> str:
    if isinstance(field, serializers.ListSerializer):
        return "列表"
    if isinstance(field, serializers.ManyRelatedField):
        return "文本列表"
    kinds = ((serializers.ChoiceField, "代码"), (serializers.IntegerField, "整数"),
             (serializers.DateTimeField, "日期时间（北京时间，带时区）"),
             (serializers.DateField, "日期（年-月-日）"), (serializers.CharField, "文本"))
    kind = next((name for cls, name in kinds if isinstance(field, cls)), "文本")
    return f"{kind}，可为空值" if getattr(field, "allow_null", False) else kind


def _column(identifier, field, nested=False) -> Column:
    choices = tuple(field.choices.items()) if isinstance(field, serializers.ChoiceField) else ()
    return Column(identifier, str(field.label), _kind(field), str(field.help_text or ""),
                  choices, nested)


def dataset_columns(dataset: Dataset) -> list[Column]:
    """Every field of the dataset's JSON objects in order, a nested list's fields after it."""
    columns = []
    for name, field in dataset.serializer().fields.items():
        columns.append(_column(name, field))
        if isinstance(field, serializers.ListSerializer):
            columns += [_column(f"{name}.{sub}", subfield, nested=True)
                        for sub, subfield in field.child.fields.items()]
    return columns


def file_columns(dataset: Dataset) -> list[Column]:
    """The columns of the CSV and XLSX files: the dictionary's, without the list field
    itself (its items are flattened into rows)."""
    return [c for c in dataset_columns(dataset) if c.identifier != dataset.nested]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def dataset_rows(dataset: Dataset) -> Iterator[list]:
    """The file rows of the whole dataset, values in `file_columns` order; reads the
    database DOWNLOAD_CHUNK objects at a time (one query per chunk and per prefetch)."""
    columns = [c.identifier for c in file_columns(dataset)]
    serializer = dataset.serializer()
    for obj in dataset.rows().iterator(chunk_size=DOWNLOAD_CHUNK):
        data = serializer.to_representation(obj)
        items = data.pop(dataset.nested, None) if dataset.nested else None
        if not dataset.nested:
            yield [_cell(data[c]) for c in columns]
            continue
        for item in items or [{}]:
            flat = data | {f"{dataset.nested}.{k}": v for k, v in item.items()}
            yield [_cell(flat.get(c)) for c in columns]


class _Echo:
    """A file-like object whose write returns the text: csv.writer feeding a stream."""

    def write(self, value):
        return value


# A text a spreadsheet would run as a formula (OWASP "CSV injection"); such a text is written
# with a leading apostrophe, which Excel and WPS show as text. Numbers are never texts here.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_stream(dataset: Dataset) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte order mark: Excel and WPS open a UTF-8 CSV with Chinese text correctly only
    # with it.
    yield "\ufeff" + writer.writerow([c.label for c in file_columns(dataset)])
    for row in dataset_rows(dataset):
        yield writer.writerow([_csv_cell(value) for value in row])


@require_GET
def download_csv(request, dataset):
    """/open-data/<dataset>.csv: the whole dataset, UTF-8 (with BOM), header row of the
    fields' Chinese names (identifiers on the dictionary page), streamed as it is read; a text
    starting as a formula would gets a leading apostrophe (the JSON API carries it as typed)."""
    found = dataset_get(dataset)
    response = StreamingHttpResponse(_csv_stream(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{found.title}.csv")
    return response


@require_GET
def download_xlsx(request, dataset):
    """/open-data/<dataset>.xlsx: the whole dataset in one sheet, header row of the Chinese
    names, texts never read as formulas (applications.exporters.write_xlsx: openpyxl's
    write-only workbook writes rows as they are read into a temporary file, memory stays
    bounded), which is then served. Public data: no private cache headers."""
    found = dataset_get(dataset)
    handle = tempfile.TemporaryFile()
    # The portal's xlsx writer: texts the units typed stay texts, never formulas.
    write_xlsx(itertools.chain([[c.label for c in file_columns(found)]], dataset_rows(found)),
               handle, sheet_title=found.title)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{found.title}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# The file test of every view serving files (tests/test_private_downloads.py) reads this mark:
# the open data are public by design (第七条（八）).
download_xlsx.public_download = True


# --- the data dictionary page ---------------------------------------------------------------

def _filters(dataset: Dataset) -> list[dict]:
    return [{"name": name, "label": str(f.label)}
            for name, f in dataset.filterset.base_filters.items()]


@require_GET
def dictionary(request):
    """/open-data/: every dataset with its address, downloads and fields (identifier, Chinese
    name, type, meaning, codes); no database query."""
    datasets = [{
        "dataset": d,
        "api_url": request.build_absolute_uri(reverse(d.api_url_name)),
        "csv_url": reverse("open_data_csv", args=[d.slug]),
        "xlsx_url": reverse("open_data_xlsx", args=[d.slug]),
        "columns": dataset_columns(d),
        "filters": _filters(d),
    } for d in DATASETS.values()]
    return render(request, "portal/open_data.html", {
        "datasets": datasets,
        "schema_url": request.build_absolute_uri(reverse("open_data_schema")),
        "page_size": OpenDataPagination.page_size,
        "max_page_size": OpenDataPagination.max_page_size,
    })
