package mysqlkit

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/sqlpool"
)

// cleanupTimeout bounds the drop of a half-made database.
const cleanupTimeout = 30 * time.Second

// Database is a test's own database on the server.
type Database struct {
	s    *Server
	name string
	dsn  string
}

// NewDatabase returns a database for the test, dropped at its end if it
// passed and kept (its DSN logged) if it failed.
func (s *Server) NewDatabase(t testing.TB) *Database {
	t.Helper()
	ctx, cancel := fixture.TestContext(t)
	defer cancel()
	d, err := s.CreateDatabase(ctx)
	if err != nil {
		t.Fatalf("%s: new database: %v", s.flavor.Module, err)
	}
	sqlpool.DropAtCleanup(t, s.flavor.Module, d.name, d.dsn, d.Drop)
	return d
}

// CreateDatabase returns a database copied from the template; the caller
// drops it.
func (s *Server) CreateDatabase(ctx context.Context) (*Database, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, sqlpool.ErrClosed
	}
	if s.tpl == nil {
		s.mu.Unlock()
		return nil, errors.New("the server's start failed (see the error of Run): it makes no databases")
	}
	if s.pool == nil {
		s.pool = sqlpool.NewPool(s.createDB, s.cfg.PoolSize, poolWorkers)
	}
	p := s.pool
	s.mu.Unlock()
	name, err := p.Take(ctx)
	if err != nil {
		return nil, err
	}
	return &Database{s: s, name: name, dsn: s.dsn(name)}, nil
}

// Name returns the database's name.
func (d *Database) Name() string { return d.name }

// DSN returns the database's DSN.
func (d *Database) DSN() string { return d.dsn }

// DB returns a *sql.DB on the database, closed at the end of the test.
func (d *Database) DB(t testing.TB) *sql.DB {
	t.Helper()
	return d.s.open(t, d.name)
}

// Drop drops the database, ending the sessions still on it.
func (d *Database) Drop(ctx context.Context) error { return d.s.drop(ctx, d.name) }
