// Package postgres runs PostgreSQL for tests and gives each test a
// database of its own in milliseconds.
//
//	var pg = postgres.Shared(postgres.WithMigrations(migrate))
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestOrders(t *testing.T) {
//		t.Parallel()
//		db := pg.Get(t).NewDatabase(t).DB(t) // own database, migrated
//		...
//	}
//
// Start runs a server for one test, Shared one for all tests of a test
// binary, and Run one for callers without a test (the caller calls
// Terminate). Each returns when a real query succeeds with the server's
// credentials over its published port, after the image's own
// initialization, which restarts the server once, and after the
// migrations.
//
// # Defaults
//
// The image is postgres:17-alpine (TESTDOCK_IMAGES maps it to a local
// stand-in; testdock's tests run it on testdock.local/postgres, PostgreSQL
// 15 from Debian). The superuser is "postgres" with a random password, the
// database "test". The data directory is a tmpfs; initdb skips its sync and
// the server runs with fsync, synchronous_commit and full_page_writes off,
// max_connections 1000 and log_checkpoints off (WithConfig changes any
// setting); TZ=UTC spares initdb its search for the system's time zone. DB and Pool
// open at most 10 connections each, so that 64 parallel tests, each with
// its own database, fit.
//
// # A database per test
//
// NewDatabase copies a template with CREATE DATABASE ... TEMPLATE. The
// template holds what the init scripts and the migrations made; it is made
// once per server, right after the migrations (without init scripts or
// migrations: at the first NewDatabase, from template1), and named by a
// hash of them (testdock_tpl_<hash>). Nothing a test writes into the
// server's database gets into it. Databases are made in the background, four ahead,
// so NewDatabase usually does not wait. At the end of the test the
// database is dropped, unless the test failed: then it is kept while the
// server runs, and its DSN is in the test log (TESTDOCK_KEEP_FAILED=0 drops
// it anyway).
//
// Migrations run once per server through database/sql and pgx's stdlib
// driver; one that fails fails the start with an error that shows the
// failing statement and, where PostgreSQL locates the error, its line.
package postgres
