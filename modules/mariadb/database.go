package mariadb

import (
	"context"
	"database/sql"
	"testing"

	"github.com/testdock/testdock/modules/internal/mysqlkit"
)

// Database is a database of a test's own on a shared server, a copy of
// the template that holds what the init scripts and migrations made. Make
// one with Container.NewDatabase (or CreateDatabase).
//
// Its methods are safe for concurrent use.
type Database struct{ d *mysqlkit.Database }

// NewDatabase returns a new database for the test, copied from the
// server's template: what the init scripts and migrations made is there
// (tables, rows, views, routines, triggers, events), what other tests
// write is not. It usually comes from a pool of databases made in the
// background, so it does not wait.
//
// When the test ends, the database is dropped if the test passed; if it
// failed, it is kept while the server runs and its DSN goes to the test
// log (TESTDOCK_KEEP_FAILED=0 drops it anyway). NewDatabase is safe for
// parallel tests.
func (c *Container) NewDatabase(t testing.TB) *Database {
	t.Helper()
	return &Database{c.s.NewDatabase(t)}
}

// CreateDatabase is NewDatabase for callers without a test: the caller
// drops the database with Drop when done.
func (c *Container) CreateDatabase(ctx context.Context) (*Database, error) {
	d, err := c.s.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	return &Database{d}, nil
}

// Name returns the database's name.
func (d *Database) Name() string { return d.d.Name() }

// DSN returns the database's DSN, e.g.
// "test:secret@tcp(127.0.0.1:49153)/testdock_1a2b3c4d_7".
func (d *Database) DSN() string { return d.d.DSN() }

// DB returns a *sql.DB (go-sql-driver/mysql) on the database, closed when
// the test ends. It opens at most 10 connections.
func (d *Database) DB(t testing.TB) *sql.DB {
	t.Helper()
	return d.d.DB(t)
}

// Drop drops the database, ending the sessions still connected to it.
func (d *Database) Drop(ctx context.Context) error { return d.d.Drop(ctx) }
