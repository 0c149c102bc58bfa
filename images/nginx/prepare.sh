#!/bin/sh
# Runs in the base's root file system while the base is built: the
# official image's nginx user and layout, logs to stdout and stderr.
set -eu
id nginx >/dev/null 2>&1 ||
	useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /bin/false nginx
rm -f /etc/nginx/sites-enabled/* /usr/share/nginx/html/*
mkdir -p /etc/nginx/conf.d /docker-entrypoint.d /var/cache/nginx /var/log/nginx
ln -sf /dev/stdout /var/log/nginx/access.log
ln -sf /dev/stderr /var/log/nginx/error.log
