# Debian's Python 3, for the LMS stand-in of docker/compose.yaml on a machine that cannot pull python:3.12-slim-bookworm:
#   buildah bud -f docker/local/python.Dockerfile -t localhost/python-debian docker/local
#   PYTHON_IMAGE=localhost/python-debian podman-compose ...
FROM debian:bookworm-slim
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
