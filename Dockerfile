# The portal's image: web (gunicorn), Celery worker and Celery beat all run from it.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/var/lib/portal/media

# WeasyPrint's libraries (Pango, HarfBuzz subsetting: without it Chinese PDFs take seconds) and
# the Noto CJK fonts, without which Chinese text in PDFs renders as boxes; libmagic recognises
# uploads by their content.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-noto-cjk \
        libmagic1 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 portal \
    && useradd --system --uid 1000 --gid portal --home-dir /app --shell /usr/sbin/nologin portal

WORKDIR /app
# Exact versions from the lock, so the image runs what the tests ran.
COPY requirements.lock ./
RUN pip install -r requirements.lock && pip check

COPY --chown=portal:portal . .
# Named volumes take the owner of the directory they are mounted on from the image.
RUN mkdir -p /app/staticfiles /var/lib/portal/media \
    && chown -R portal:portal /app/staticfiles /var/lib/portal

USER portal
EXPOSE 8000
# docker-compose.yml gives each service its command; alone, the image serves the web app.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
