#!/bin/sh
# testdock stand-in for the official memcached entrypoint: options alone run
# memcached.
set -e

if [ "${1#-}" != "$1" ]; then
	set -- memcached "$@"
fi

exec "$@"
