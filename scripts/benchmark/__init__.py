"""The city-scale benchmark (issue 7): seeds a database with applications by the thousand, then
times every registered list page and dashboard, the Excel export, the 申报表 PDF and the deadline
rush, and prints one table saying where each figure misses its target.

    DATABASE_URL=postgres://… .venv/bin/python -m scripts.benchmark [--applications N]
        [--only seed,pages,export,pdf,rush] [--iterations 30] [--rush-submits 500]

Modules: `seed` (the data, idempotent, refuses a database holding real data), `pages` (the
registered pages, interleaved), `export`, `pdf`, `rush` (gunicorn + concurrent submits),
`urls` (the portal's URLs plus the floor page), `run` (the command line and the table).
"""
