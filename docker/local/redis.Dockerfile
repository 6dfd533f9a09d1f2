# Debian's Redis 7, for docker/compose.yaml on a machine that cannot pull redis:7-bookworm (no registry reachable):
#   buildah bud -f docker/local/redis.Dockerfile -t localhost/redis-debian docker/local
#   REDIS_IMAGE=localhost/redis-debian podman-compose ...
FROM debian:bookworm-slim
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
USER redis
EXPOSE 6379
# no persistence: job state is only for the compose stack's lifetime, as with the official image's defaults
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no"]
