// Package sqlpool holds what testdock's SQL modules (postgres, mysql,
// mariadb) share: readiness through a real query, a pool of ready
// databases refilled in the background, the drop-or-keep cleanup of a
// test's database, migration errors that name the failing statement, and
// random credentials.
//
// It imports no database driver: each module brings its own.
package sqlpool
