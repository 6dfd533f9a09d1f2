#!/usr/bin/env bash
# Starts Hawtio 4 (io.hawt:hawtio-war) on Jetty 12's one-jar runner, both from Maven Central, on 127.0.0.1 only.
#   docs/hawtio/run-hawtio.sh            then open http://127.0.0.1:8090/hawtio/connect (HAWTIO_PORT to change it)
# Hawtio's own login is off (the JAAS realm it would need is not worth it on a loopback console); the service's
# Jolokia still asks for JOLOKIA_USER and JOLOKIA_PASSWORD when Hawtio connects. Hawtio's proxy reaches only
# localhost by default: tunnel a remote service's port to this machine rather than widen hawtio.proxyAllowlist.
set -euo pipefail
HAWTIO_VERSION=4.2.0
JETTY_VERSION=12.0.31
dir="${HAWTIO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/hawtio}"
mkdir -p "$dir"
[ -f "$dir/hawtio-war-$HAWTIO_VERSION.war" ] || mvn -B -q dependency:copy \
  -Dartifact="io.hawt:hawtio-war:$HAWTIO_VERSION:war" -DoutputDirectory="$dir"
[ -f "$dir/jetty-ee10-runner-$JETTY_VERSION.jar" ] || mvn -B -q dependency:copy \
  -Dartifact="org.eclipse.jetty.ee10:jetty-ee10-runner:$JETTY_VERSION" -DoutputDirectory="$dir"
exec java -Dhawtio.authenticationEnabled=false -jar "$dir/jetty-ee10-runner-$JETTY_VERSION.jar" \
  --host 127.0.0.1 --port "${HAWTIO_PORT:-8090}" --path /hawtio "$dir/hawtio-war-$HAWTIO_VERSION.war"
