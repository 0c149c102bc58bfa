#!/bin/bash
# testdock stand-in for the entrypoint of the official mariadb (and mysql)
# images: the same variables, the same first-start initialization with a
# temporary socket-only server, then the real server.
#
#   MARIADB_ROOT_PASSWORD | MYSQL_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH,
#   MARIADB_ALLOW_EMPTY_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD,
#   MARIADB_RANDOM_ROOT_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD,
#   MARIADB_ROOT_HOST | MYSQL_ROOT_HOST (%), MARIADB_DATABASE | MYSQL_DATABASE,
#   MARIADB_USER | MYSQL_USER, MARIADB_PASSWORD | MYSQL_PASSWORD,
#   MARIADB_PASSWORD_HASH, MARIADB_INITDB_SKIP_TZINFO | MYSQL_INITDB_SKIP_TZINFO,
#   each value also as *_FILE; /docker-entrypoint-initdb.d/*.sh, *.sql, *.sql.gz,
#   *.sql.xz, *.sql.zst
set -eo pipefail
shopt -s nullglob

log() {
	local type="$1"
	shift
	printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"
}
note() { log Note "$@"; }
warn() { log Warn "$@" >&2; }
fail() {
	log ERROR "$@" >&2
	exit 1
}

# read_env VAR [DEFAULT]: VAR, else the content of the file named by
# VAR_FILE, else DEFAULT.
read_env() {
	local var="$1" file="${1}_FILE" val="${2:-}"
	if [ -n "${!var:-}" ] && [ -n "${!file:-}" ]; then
		fail "Both $var and $file are set (but are exclusive)"
	fi
	if [ -n "${!var:-}" ]; then
		val="${!var}"
	elif [ -n "${!file:-}" ]; then
		val="$(<"${!file}")"
	fi
	export "$var"="$val"
	unset "$file"
}

# read_both MYSQL_X [DEFAULT]: MARIADB_X wins over MYSQL_X; both end up
# with the same value so init scripts can use either.
read_both() {
	local var="$1" maria="MARIADB_${1#MYSQL_}"
	shift
	read_env "$var" "$@"
	read_env "$maria" "${!var}"
	if [ -n "${!maria:-}" ]; then
		export "$var"="${!maria}"
	fi
}

wants_help() {
	local arg
	for arg; do
		case "$arg" in
		-'?' | --help | --print-defaults | -V | --version) return 0 ;;
		esac
	done
	return 1
}

# server_config NAME SERVER-COMMAND...: the effective value of a setting.
server_config() {
	local name="$1"
	shift
	"$@" --verbose --help 2>/dev/null |
		awk -v name="$name" '$1 == name && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

load_env() {
	local errors
	if ! errors="$("$@" --verbose --help 2>&1 >/dev/null)"; then
		fail $'mariadbd failed while attempting to check config\n\tcommand was: '"$* --verbose --help"$'\n\t'"$errors"
	fi
	DATADIR="$(server_config datadir "$@")"
	SOCKET="$(server_config socket "$@")"
	read_both MYSQL_ROOT_HOST '%'
	read_both MYSQL_DATABASE
	read_both MYSQL_USER
	read_both MYSQL_PASSWORD
	read_both MYSQL_ROOT_PASSWORD
	read_env MARIADB_PASSWORD_HASH
	read_env MARIADB_ROOT_PASSWORD_HASH
	: "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
	export MYSQL_ALLOW_EMPTY_PASSWORD="$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" MARIADB_ALLOW_EMPTY_ROOT_PASSWORD
	: "${MARIADB_RANDOM_ROOT_PASSWORD:=${MYSQL_RANDOM_ROOT_PASSWORD:-}}"
	export MYSQL_RANDOM_ROOT_PASSWORD="$MARIADB_RANDOM_ROOT_PASSWORD" MARIADB_RANDOM_ROOT_PASSWORD
	: "${MARIADB_INITDB_SKIP_TZINFO:=${MYSQL_INITDB_SKIP_TZINFO:-}}"
	export MYSQL_INITDB_SKIP_TZINFO="$MARIADB_INITDB_SKIP_TZINFO" MARIADB_INITDB_SKIP_TZINFO
	INITIALIZED=
	if [ -d "$DATADIR/mysql" ]; then
		INITIALIZED=1
	fi
}

make_dirs() {
	mkdir -p "$DATADIR"
	if [ "$(id -u)" = 0 ]; then
		find "$DATADIR" \! -user mysql -exec chown mysql: '{}' +
		find "${SOCKET%/*}" -maxdepth 0 \! -user mysql -exec chown mysql: '{}' \;
	fi
}

check_env() {
	if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ROOT_PASSWORD_HASH" ] &&
		[ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		fail $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
	fi
	if [ -n "$MARIADB_PASSWORD" ] && [ -n "$MARIADB_PASSWORD_HASH" ]; then
		fail "Cannot specify MARIADB_PASSWORD_HASH and MARIADB_PASSWORD option."
	fi
}

client() {
	if [ -n "$MYSQL_DATABASE" ]; then
		set -- --database="$MYSQL_DATABASE" "$@"
	fi
	mariadb --protocol=socket -uroot -hlocalhost --socket="$SOCKET" "$@"
}

# sql [--no-root-password] [client args]: run SQL from stdin as root.
sql() {
	if [ "$1" = --no-root-password ]; then
		shift
		MYSQL_PWD='' client "$@"
	else
		MYSQL_PWD="$MARIADB_ROOT_PASSWORD" client "$@"
	fi
}

escape() {
	local s="${1//\\/\\\\}"
	s="${s//$'\n'/\\n}"
	printf '%s' "${s//\'/\\\'}"
}

init_datadir() {
	note "Initializing database files"
	local args=() arg
	for arg in "${@:2}"; do
		if [[ "$arg" =~ [[:space:]] ]]; then
			warn "Not passing argument '$arg' to mariadb-install-db because it contains whitespace."
		else
			args+=("$arg")
		fi
	done
	mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
		"${args[@]}" --skip-test-db --default-time-zone=SYSTEM --enforce-storage-engine= \
		--skip-log-bin --expire-logs-days=0 \
		--loose-innodb_buffer_pool_load_at_startup=0 \
		--loose-innodb_buffer_pool_dump_at_shutdown=0
	note "Database files initialized"
}

temp_server_start() {
	"$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
		--expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0 &
	SERVER_PID=$!
	note "Waiting for server startup"
	local i
	for i in {150..0}; do
		if sql --no-root-password --database=mysql <<<'SELECT 1' &>/dev/null; then
			break
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			fail "Unable to start server."
		fi
		sleep 0.2
	done
	if [ "$i" = 0 ]; then
		fail "Unable to start server."
	fi
}

temp_server_stop() {
	kill "$SERVER_PID"
	wait "$SERVER_PID"
}

setup_db() {
	if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ]; then
		mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo 2>/dev/null |
			sql --no-root-password --database=mysql
	fi
	if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		MARIADB_ROOT_PASSWORD="$(set +o pipefail; tr -dc 'A-Za-z0-9_.,:;!@%^*()+=-' </dev/urandom | head -c 32)"
		export MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD="$MARIADB_ROOT_PASSWORD"
		note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
	fi
	local rootPass rootCreate= rootLocal= createDb= createUser= grants=
	rootPass="$(escape "$MARIADB_ROOT_PASSWORD")"
	if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != localhost ]; then
		if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
			rootCreate="CREATE USER 'root'@'${MARIADB_ROOT_HOST}' IDENTIFIED BY PASSWORD '${MARIADB_ROOT_PASSWORD_HASH}';"
		else
			rootCreate="CREATE USER 'root'@'${MARIADB_ROOT_HOST}' IDENTIFIED BY '${rootPass}';"
		fi
		rootCreate+=" GRANT ALL ON *.* TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;"
		rootCreate+=" GRANT PROXY ON ''@'%' TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;"
	fi
	if [ -z "$MARIADB_ROOT_PASSWORD_HASH" ]; then
		rootLocal="SET PASSWORD FOR 'root'@'localhost' = PASSWORD('${rootPass}');"
	fi
	if [ -n "$MARIADB_DATABASE" ]; then
		note "Creating database ${MARIADB_DATABASE}"
		createDb="CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"
	fi
	if [ -n "$MARIADB_USER" ] && { [ -n "$MARIADB_PASSWORD" ] || [ -n "$MARIADB_PASSWORD_HASH" ]; }; then
		note "Creating user ${MARIADB_USER}"
		if [ -n "$MARIADB_PASSWORD_HASH" ]; then
			createUser="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY PASSWORD '$MARIADB_PASSWORD_HASH';"
		else
			createUser="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY '$(escape "$MARIADB_PASSWORD")';"
		fi
		if [ -n "$MARIADB_DATABASE" ]; then
			note "Giving user ${MARIADB_USER} access to schema ${MARIADB_DATABASE}"
			grants="GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '$MARIADB_USER'@'%';"
		fi
	fi
	note "Securing system users (equivalent to running mysql_secure_installation)"
	sql --no-root-password --database=mysql --binary-mode <<-EOSQL
		SET @orig_sql_log_bin= @@SESSION.SQL_LOG_BIN;
		SET @@SESSION.SQL_LOG_BIN=0;
		SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname,'\'');
		${rootLocal}
		${rootCreate}
		SET @@SESSION.SQL_LOG_BIN=@orig_sql_log_bin;
		${createDb}
		${createUser}
		${grants}
	EOSQL
}

run_init_files() {
	# the official entrypoint offers "${mysql[@]}" to sourced scripts
	mysql=(sql)
	echo
	local f
	for f; do
		case "$f" in
		*.sh)
			if [ -x "$f" ]; then
				note "$0: running $f"
				"$f"
			else
				note "$0: sourcing $f"
				. "$f"
			fi
			;;
		*.sql) note "$0: running $f"; sql <"$f"; echo ;;
		*.sql.gz) note "$0: running $f"; gunzip -c "$f" | sql; echo ;;
		*.sql.xz) note "$0: running $f"; xzcat "$f" | sql; echo ;;
		*.sql.zst) note "$0: running $f"; zstd -dc "$f" | sql; echo ;;
		*) warn "$0: ignoring $f" ;;
		esac
		echo
	done
}

init() {
	ls /docker-entrypoint-initdb.d/ >/dev/null
	init_datadir "$@"
	note "Starting temporary server"
	temp_server_start "$@"
	note "Temporary server started."
	setup_db
	run_init_files /docker-entrypoint-initdb.d/*
	if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
		note "Setting root@localhost password hash"
		sql --no-root-password --binary-mode <<-EOSQL
			SET @@SESSION.SQL_LOG_BIN=0;
			SET PASSWORD FOR 'root'@'localhost'= '${MARIADB_ROOT_PASSWORD_HASH}';
		EOSQL
	fi
	note "Stopping temporary server"
	temp_server_stop
	note "Temporary server stopped"
	echo
	note "MariaDB init process done. Ready for start up."
	echo
}

main() {
	if [ "${1:0:1}" = '-' ]; then
		set -- mariadbd "$@"
	fi
	if { [ "$1" = mariadbd ] || [ "$1" = mysqld ]; } && ! wants_help "$@"; then
		note "Entrypoint script for MariaDB Server ${MARIADB_VERSION} started."
		load_env "$@"
		make_dirs
		if [ "$(id -u)" = 0 ]; then
			note "Switching to dedicated user 'mysql'"
			exec gosu mysql "${BASH_SOURCE[0]}" "$@"
		fi
		if [ -z "$INITIALIZED" ]; then
			check_env
			init "$@"
		fi
	fi
	exec "$@"
}

main "$@"
