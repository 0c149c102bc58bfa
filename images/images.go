// Package images holds the files of testdock's offline image kit: the
// Debian base (package list and the scripts that shape its root file
// system), the test server's Dockerfiles, and one folder per service
// stand-in with its Dockerfile, entrypoint and default configuration.
//
// The kit in internal/imagekit builds them with
//
//	go run ./cmd/testdock images build
//
// Every file here is an input of an image's hash: editing one rebuilds that
// image (and, for base/, the base and every stand-in) on the next build.
package images

import "embed"

// FS holds the folders base, testserver and one per stand-in (postgres,
// mariadb, redis, rabbitmq, nats, mosquitto, memcached, etcd, nginx).
// Files in it have no mode: the kit makes *.sh files executable.
//
//go:embed base testserver postgres mariadb redis rabbitmq nats mosquitto memcached etcd nginx
var FS embed.FS
