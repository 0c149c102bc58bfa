package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/sqlpool"
)

// Database is a database of a test's own on a shared server, a copy of
// the template that holds what the init scripts and migrations made. Make
// one with Container.NewDatabase (or CreateDatabase).
//
// Its methods are safe for concurrent use.
type Database struct {
	c    *Container
	name string
	dsn  string
}

// NewDatabase returns a new database for the test, copied from the
// server's template: what the init scripts and migrations made is there,
// what other tests write is not. It usually comes from a pool of
// databases made in the background, so it does not wait.
//
// When the test ends, the database is dropped if the test passed; if it
// failed, it is kept while the server runs and its DSN goes to the test
// log (TESTDOCK_KEEP_FAILED=0 drops it anyway). NewDatabase is safe for
// parallel tests.
func (c *Container) NewDatabase(t testing.TB) *Database {
	t.Helper()
	ctx, cancel := fixture.TestContext(t)
	defer cancel()
	d, err := c.CreateDatabase(ctx)
	if err != nil {
		t.Fatalf("postgres: new database: %v", err)
	}
	sqlpool.DropAtCleanup(t, "postgres", d.name, d.dsn, d.Drop)
	return d
}

// CreateDatabase is NewDatabase for callers without a test: the caller
// drops the database with Drop when done.
func (c *Container) CreateDatabase(ctx context.Context) (*Database, error) {
	if err := c.ensureTemplate(ctx); err != nil {
		return nil, err
	}
	p, err := c.databasePool()
	if err != nil {
		return nil, err
	}
	name, err := p.Take(ctx)
	if err != nil {
		return nil, err
	}
	return &Database{c: c, name: name, dsn: c.dsn(c.Endpoint(port), name)}, nil
}

// Name returns the database's name.
func (d *Database) Name() string { return d.name }

// DSN returns the database's URL, e.g.
// "postgres://postgres:secret@127.0.0.1:49153/testdock_1a2b3c4d_7?sslmode=disable".
func (d *Database) DSN() string { return d.dsn }

// DB returns a *sql.DB (pgx's stdlib driver) on the database, closed when
// the test ends. It opens at most 10 connections.
func (d *Database) DB(t testing.TB) *sql.DB {
	t.Helper()
	return openDB(t, d.dsn)
}

// Pool returns a pgx pool on the database, closed when the test ends. It
// opens at most 10 connections.
func (d *Database) Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return openPool(t, d.dsn)
}

// Drop drops the database, ending the sessions still connected to it
// (PostgreSQL 13 and later).
func (d *Database) Drop(ctx context.Context) error {
	c := d.c
	if c.isClosed() {
		return sqlpool.ErrClosed
	}
	q := "DROP DATABASE IF EXISTS " + ident(d.name)
	if c.version >= 130000 {
		q += " WITH (FORCE)"
	}
	if _, err := c.admin.Exec(ctx, q); err != nil {
		if c.isClosed() {
			return sqlpool.ErrClosed
		}
		return fmt.Errorf("drop database %s: %w", d.name, err)
	}
	return nil
}

func (c *Container) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}
