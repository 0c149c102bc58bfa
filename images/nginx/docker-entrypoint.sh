#!/bin/sh
# testdock stand-in for the official nginx entrypoint: before nginx starts,
# run the executable *.sh files in /docker-entrypoint.d (and source *.envsh)
# in order; NGINX_ENTRYPOINT_QUIET_LOGS silences this script.
set -e

say() {
	if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
		echo "$0: $*"
	fi
}

if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
	if find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read -r _; then
		say "/docker-entrypoint.d/ is not empty, will attempt to perform configuration"
		say "Looking for shell scripts in /docker-entrypoint.d/"
		for f in $(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f | sort -V); do
			case "$f" in
			*.envsh)
				if [ -x "$f" ]; then
					say "Sourcing $f"
					. "$f"
				else
					say "Ignoring $f, not executable"
				fi
				;;
			*.sh)
				if [ -x "$f" ]; then
					say "Launching $f"
					"$f"
				else
					say "Ignoring $f, not executable"
				fi
				;;
			*) say "Ignoring $f" ;;
			esac
		done
		say "Configuration complete; ready for start up"
	else
		say "No files found in /docker-entrypoint.d/, skipping configuration"
	fi
fi

exec "$@"
