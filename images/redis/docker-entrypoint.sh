#!/bin/sh
# testdock stand-in for the official redis image's entrypoint: options or a
# config file alone run redis-server; as root it drops to the redis user;
# protected mode is off unless a config file given as first argument turns it
# on (the official image builds redis with protected mode off and binding to
# every interface).
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec gosu redis "$0" "$@"
fi

# files the server writes (dump.rdb, appendonly) are private by default
um="$(umask)"
if [ "$um" = 0022 ]; then
	umask 0077
fi

if [ "$1" = redis-server ]; then
	shift
	conf=
	if [ -n "${1:-}" ] && [ "${1#-}" = "$1" ] && [ -f "$1" ]; then
		conf="$1"
		shift
	fi
	if [ -n "$conf" ] && grep -q '^protected-mode' "$conf"; then
		# an explicit setting in the config file wins
		set -- redis-server "$conf" "$@"
	elif [ -n "$conf" ]; then
		set -- redis-server "$conf" --protected-mode no "$@"
	else
		# a later --protected-mode among the user's options wins
		set -- redis-server --bind '* -::*' --protected-mode no "$@"
	fi
fi

exec "$@"
