package mariadb

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/mysqlkit"
)

// Container is a MariaDB server in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec, ...).
//
// Its methods are safe for concurrent use by parallel tests.
type Container struct {
	*fixture.Container
	s *mysqlkit.Server
}

// Run starts a MariaDB server and returns when it answers queries with its
// credentials, the migrations have run and the template is made.
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	s, spec, err := prepare(opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flavor.Module, err)
	}
	fc, err := fixture.Run(ctx, spec)
	var c *Container
	if fc != nil {
		s.Attach(fc)
		c = &Container{fc, s}
	}
	if err != nil {
		return c, fmt.Errorf("%s: %w", flavor.Module, err)
	}
	if err := s.Setup(ctx); err != nil {
		return c, fmt.Errorf("%s: %w", flavor.Module, err)
	}
	return c, nil
}

// Start runs a MariaDB server for the test and fails the test if it can't.
// The server is ready, migrated and removed when the test ends; when the
// test fails, its last log lines go to the test log. It is safe for
// parallel tests.
func Start(t testing.TB, opts ...Option) *Container {
	t.Helper()
	s, spec, err := prepare(opts)
	if err != nil {
		t.Fatalf("%s: start: %v", flavor.Module, err)
	}
	fc := fixture.Start(t, spec)
	s.Attach(fc)
	t.Cleanup(s.Close) // before the container goes (cleanups run last-in first-out)
	ctx, cancel := fixture.TestContext(t)
	defer cancel()
	if err := s.Setup(ctx); err != nil {
		t.Fatalf("%s: start: %v", flavor.Module, err)
	}
	return &Container{fc, s}
}

// Shared returns a server shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
func Shared(opts ...Option) *fixture.Shared[*Container] {
	return fixture.NewShared(func(ctx context.Context) (*Container, error) { return Run(ctx, opts...) })
}

func prepare(opts []Option) (*mysqlkit.Server, fixture.Spec, error) {
	cfg := flavor.Defaults()
	for _, o := range opts {
		o(&cfg)
	}
	return mysqlkit.Prepare(flavor, cfg)
}

// DSN returns the server's database as a go-sql-driver/mysql DSN, e.g.
// "test:secret@tcp(127.0.0.1:49153)/test".
func (c *Container) DSN() string { return c.s.DSN() }

// User returns the user's name.
func (c *Container) User() string { return c.s.User() }

// Password returns the user's password, random for each server.
func (c *Container) Password() string { return c.s.Password() }

// RootPassword returns root's password, random for each server.
func (c *Container) RootPassword() string { return c.s.RootPassword() }

// Database returns the name of the server's database.
func (c *Container) Database() string { return c.s.Database() }

// DB returns a *sql.DB (go-sql-driver/mysql) on the server's database,
// closed when the test ends. It opens at most 10 connections.
func (c *Container) DB(t testing.TB) *sql.DB {
	t.Helper()
	return c.s.DB(t)
}

// Terminate stops the making of databases, closes the admin connections
// and removes the container. It is safe on nil and more than once.
func (c *Container) Terminate(ctx context.Context) error {
	if c == nil {
		return nil
	}
	c.s.Close()
	return c.Container.Terminate(ctx)
}
