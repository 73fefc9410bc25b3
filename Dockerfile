# The robot's image for compose.yaml: the workers and the scheduler (Debian's Chromium headless shell).
FROM python:3.11-slim-bookworm
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-headless-shell \
        fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY rpa rpa
COPY mock_portal mock_portal
RUN pip install --no-cache-dir . && useradd --create-home --uid 1000 katip
USER katip
ENV KATIP_STATE_DIR=/home/katip/state KATIP_OUT_DIR=/shared/out KATIP_BROWSER_PATH=/usr/lib/chromium/chromium-headless-shell
ENTRYPOINT ["katip"]
