#!/usr/bin/env bash
# Installs what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-packages.sh
mvn -B verify
