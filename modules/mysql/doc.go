// Package mysql runs MySQL for tests and gives each test a database of its
// own.
//
//	var db = mysql.Shared(mysql.WithMigrations(migrate))
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestOrders(t *testing.T) {
//		t.Parallel()
//		conn := db.Get(t).NewDatabase(t).DB(t) // own database, migrated
//		...
//	}
//
// Start runs a server for one test, Shared one for all tests of a test
// binary, and Run one for callers without a test (the caller calls
// Terminate). Each returns when a real query succeeds with the user's
// credentials over the published port, after the image's own
// initialization (which runs a temporary server without networking first)
// and after the migrations.
//
// # Defaults
//
// The image is mysql:8.4 (TESTDOCK_IMAGES maps it to a local stand-in).
// Debian ships no MySQL server, so testdock's own tests run this module on
// the MariaDB stand-in testdock.local/mariadb, which keeps the MYSQL_*
// contract; the options passed to the server are valid for MySQL 8.4 too.
// The user is "test" with a random password and all privileges on the
// database "test" and on the test databases; root has a random password
// of its own. The data directory is a tmpfs; the server runs without
// binary log, doublewrite, per-table files, performance schema or DNS
// lookups, flushes its log once a second instead of at each commit, and
// allows 1000 connections (WithConfig changes any of it); the time zone
// tables are not loaded unless WithTimeZoneTables. DB opens at most 10
// connections, so that 64 parallel tests, each with its own database, fit.
//
// # A database per test
//
// MySQL has no CREATE DATABASE ... TEMPLATE. NewDatabase replays the
// template's schema, as SHOW CREATE gives it, in one round trip: the
// tables (with their AUTO_INCREMENT counters), their rows (INSERT ...
// SELECT from the template database), routines, views, triggers and
// events. That is faster than running the migrations again for each test
// (see BENCHMARKS.md, "SQL modules"). The template is taken once per
// server from the server's database right after the init scripts and
// migrations, and named by a hash of them (testdock_tpl_<hash>). Databases
// are made in the background, four ahead, so NewDatabase usually does not
// wait. At the end of the test the database is dropped, unless the test
// failed: then it is kept while the server runs, and its DSN is in the test
// log (TESTDOCK_KEEP_FAILED=0 drops it anyway).
//
// Names in the template's database qualified by its own name
// (`test`.`orders`) are renamed in the copy; a string literal that
// contains such a name is renamed too.
package mysql
