"""Rows of the permission table for the open data (第七条（八）, see tests/permission_table.py):
public, the same for everyone, signed in or not; the API is read-only (405 for a write, as
JSON, never a sign-in or CSRF refusal)."""

from ..permission_table import Row, everyone

DATASETS = ("centers", "notices", "calls")

ROWS = [
    Row("open_data_dictionary", everyone(200)),
    Row("open_data_schema", everyone(200)),
    *(Row(f"open_data_{slug}-list", everyone(200), state=slug) for slug in DATASETS),
    *(Row(f"open_data_{slug}-list", everyone(405), method="post", state=f"{slug}, a write")
      for slug in DATASETS),
    *(Row("open_data_csv", everyone(200), kwargs=lambda w, s=slug: {"dataset": s}, state=slug)
      for slug in DATASETS),
    *(Row("open_data_xlsx", everyone(200), kwargs=lambda w, s=slug: {"dataset": s}, state=slug)
      for slug in DATASETS),
    Row("open_data_csv", everyone(404), kwargs=lambda w: {"dataset": "objections"},
        state="no such dataset"),
]
