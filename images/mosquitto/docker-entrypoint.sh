#!/bin/sh
# testdock stand-in for the official eclipse-mosquitto entrypoint: as root,
# give /mosquitto to the mosquitto user (the broker drops to it itself).
set -e

if [ "$(id -u)" = 0 ]; then
	[ -d /mosquitto ] && chown -R mosquitto:mosquitto /mosquitto || true
fi

exec "$@"
