#!/bin/sh
# Runs in the base's root file system while the base is built: the
# official image's folders.
set -eu
mkdir -p /mosquitto/config /mosquitto/data /mosquitto/log
chown -R mosquitto:mosquitto /mosquitto
