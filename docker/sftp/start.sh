#!/bin/sh
# Creates the SFTP user media (password SFTP_PASSWORD), a fresh host key, and writes that key as a known_hosts line to
# /shared/known_hosts for the service (SFTP_KNOWN_HOSTS_FILE); then runs sshd in the foreground.
set -eu
# the Match block of sshd_config names the user: media
user=media
id "$user" >/dev/null 2>&1 || useradd --no-create-home --home-dir / --shell /usr/sbin/nologin "$user"
echo "$user:${SFTP_PASSWORD:?set SFTP_PASSWORD}" | chpasswd
# the chroot must belong to root; the base directory inside it belongs to the user
mkdir -p /srv/sftp/public_html
chown root:root /srv/sftp && chmod 755 /srv/sftp
chown "$user" /srv/sftp/public_html
[ -f /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key
mkdir -p /shared
echo "${SFTP_HOSTNAME:-sftp} $(cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" > /shared/known_hosts
exec /usr/sbin/sshd -D -e -o HostKey=/etc/ssh/ssh_host_ed25519_key
