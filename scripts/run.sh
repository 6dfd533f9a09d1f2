#!/usr/bin/env bash
# Builds and runs the service with its embedded defaults (in-memory job state, results in ./data/output).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${API_KEYS:?set API_KEYS, for example: API_KEYS=dev-key ./scripts/run.sh}"
scripts/install-packages.sh
mvn -B -q -DskipTests package
exec java -jar target/media-compression-service.jar
