#!/usr/bin/env bash
# The system packages the service and its tests need, from Debian's repositories. The container image runs the
# same script, so what the tests exercise is what the image installs. Installs only what is missing.
set -euo pipefail
needed=()
command -v ffmpeg >/dev/null 2>&1 || needed+=(ffmpeg)
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
# ssh-keygen and ssh-keyscan: the SFTP tests make client keys and known_hosts with them, as the README tells operators to
command -v ssh-keyscan >/dev/null 2>&1 || needed+=(openssh-client)
[ "${1:-}" = "--with-bench" ] && { command -v nginx >/dev/null 2>&1 || needed+=(nginx-light); command -v wrk >/dev/null 2>&1 || needed+=(wrk); }
[ ${#needed[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}"
