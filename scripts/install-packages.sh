#!/usr/bin/env bash
# The system packages the service and its tests need, from Debian's repositories. The container image runs the
# same script, so what the tests exercise is what the image installs. Installs only what is missing.
#   (no flag)       what the tests need: ffmpeg, redis-server, openssh-client, curl, and chromium, nodejs and npm for
#                   HlsBrowserTest (it installs hls.js and playwright-core from the npm registry itself)
#   --with-bench    the tests' packages plus nginx-light and wrk for bench/
#   --runtime       what the container image needs to run the service: a Java 17 runtime, ffmpeg, and curl for
#                   its HEALTHCHECK; apt's lists are removed afterwards to keep the image small
set -euo pipefail
mode="${1:-}"
needed=()
command -v ffmpeg >/dev/null 2>&1 || needed+=(ffmpeg)
if [ "$mode" = "--runtime" ]; then
  command -v java >/dev/null 2>&1 || needed+=(openjdk-17-jre-headless)
  command -v curl >/dev/null 2>&1 || needed+=(curl)
else
  command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
  # ssh-keygen and ssh-keyscan: the SFTP tests make client keys and known_hosts with them, as the README tells operators to
  command -v ssh-keyscan >/dev/null 2>&1 || needed+=(openssh-client)
  # a test sends an upload the way the README's examples do
  command -v curl >/dev/null 2>&1 || needed+=(curl)
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
fi
[ ${#needed[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}"
if [ "$mode" = "--runtime" ]; then
  $sudo rm -rf /var/lib/apt/lists/*
fi
