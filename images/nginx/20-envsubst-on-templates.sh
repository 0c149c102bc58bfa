#!/bin/sh
# testdock stand-in for the official nginx image's template step: every
# $NGINX_ENVSUBST_TEMPLATE_DIR/**/*$NGINX_ENVSUBST_TEMPLATE_SUFFIX
# (/etc/nginx/templates/*.template) becomes a file under
# $NGINX_ENVSUBST_OUTPUT_DIR (/etc/nginx/conf.d) with the environment's
# variables substituted (only variables that are defined, as ${NAME}).
set -e

dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
out="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
filter="${NGINX_ENVSUBST_FILTER:-}"

[ -d "$dir" ] || exit 0
if [ ! -w "$out" ]; then
	echo "$0: ERROR: $dir exists, but $out is not writable" >&2
	exit 0
fi

defined="$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \"\" } }" </dev/null))"
find "$dir" -follow -type f -name "*$suffix" -print | while read -r template; do
	rel="${template#"$dir/"}"
	target="$out/${rel%"$suffix"}"
	mkdir -p "$(dirname "$target")"
	echo "$0: Running envsubst on $template to $target"
	envsubst "$defined" <"$template" >"$target"
done
