#!/usr/bin/env bash
# The system packages the service and its tests need, from Debian's repositories. The container image runs the
# same script, so what the tests exercise is what the image installs. Installs only what is missing.
#   (no flag)       what the tests need: ffmpeg, redis-server, openssh-client, curl, openssl, and chromium, nodejs
#                   and npm (the Standard Webhooks reference library and HlsBrowserTest's hls.js and playwright-core,
#                   which the tests install from the npm registry themselves)
#   --with-bench    the tests' packages plus nginx-light, wrk and python3 for bench/
#   --runtime       what the container image needs from Debian to run the service: ffmpeg (its Java runtime is
#                   made by jlink in docker/Dockerfile, its HEALTHCHECK is Java); apt's lists and downloaded
#                   packages are removed afterwards to keep the image small
set -euo pipefail
mode="${1:-}"
needed=()
command -v ffmpeg >/dev/null 2>&1 || needed+=(ffmpeg)
if [ "$mode" != "--runtime" ]; then
  command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
  # ssh-keygen and ssh-keyscan: the SFTP tests make client keys and known_hosts with them, as the README tells operators to
  command -v ssh-keyscan >/dev/null 2>&1 || needed+=(openssh-client)
  # a test sends an upload the way the README's examples do
  command -v curl >/dev/null 2>&1 || needed+=(curl)
  # trust tests: certificates made with openssl as the README shows; the Standard Webhooks reference library on node
  command -v openssl >/dev/null 2>&1 || needed+=(openssl)
  # HlsBrowserTest plays the HLS package in Debian's chromium with hls.js, driven by playwright-core on node
  [ -x /usr/bin/chromium ] || needed+=(chromium)
  command -v node >/dev/null 2>&1 || needed+=(nodejs)
  command -v npm >/dev/null 2>&1 || needed+=(npm)
fi
# bench/: nginx as the reference server (in /usr/sbin, which a non-root PATH may lack), curl as the client, wrk
if [ "$mode" = "--with-bench" ]; then
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || needed+=(nginx-light)
  command -v curl >/dev/null 2>&1 || needed+=(curl)
  command -v wrk >/dev/null 2>&1 || needed+=(wrk)
  command -v python3 >/dev/null 2>&1 || needed+=(python3)
fi
[ ${#needed[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}"
if [ "$mode" = "--runtime" ]; then
  $sudo apt-get clean
  $sudo rm -rf /var/lib/apt/lists/*
fi
