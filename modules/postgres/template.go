package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/testdock/testdock/modules/internal/sqlpool"
)

// How a test's database is made: CREATE DATABASE ... TEMPLATE, from a
// template database that holds what the init scripts and migrations made.
// The template is made once per server: right after the migrations when
// there are init scripts or migrations (so that nothing a test writes into
// the server's database gets into it), else on the first NewDatabase, from
// template1 (what the server's database was made from).

// templateName is the template database, keyed by a hash of the init
// scripts and migrations.
func (c *Container) templateName() string { return "testdock_tpl_" + c.key }

// eagerTemplate reports whether the template is copied from the server's
// database right after setup.
func (c *Container) eagerTemplate() bool {
	// The admin pool sits on template1 when the server's database is
	// "postgres", so template1 can't be copied then.
	return len(c.cfg.initScripts) > 0 || len(c.cfg.migrations) > 0 || c.cfg.database == "postgres"
}

// strategy is the CREATE DATABASE strategy (PostgreSQL 15 and later).
// FILE_COPY copies the template's files; WAL_LOG (15's default) copies it
// block by block through the WAL, which is slower for a template with many
// tables: see BENCHMARKS.md.
func (c *Container) strategy() string {
	if c.version >= 150000 {
		return " STRATEGY FILE_COPY"
	}
	return ""
}

// ensureTemplate makes the template once. A failure is kept and returned
// to every later caller, unless it came from the caller's context.
func (c *Container) ensureTemplate(ctx context.Context) error {
	c.tplMu.Lock()
	defer c.tplMu.Unlock()
	if c.tplDone {
		return c.tplErr
	}
	c.mu.Lock()
	closed, set := c.closed, c.set
	c.mu.Unlock()
	switch {
	case closed:
		return sqlpool.ErrClosed
	case !set:
		return errNotSet
	}
	err := c.makeTemplate(ctx)
	if err != nil && ctx.Err() != nil {
		return err
	}
	c.tplDone, c.tplErr = true, err
	return err
}

func (c *Container) makeTemplate(ctx context.Context) error {
	source := "template1"
	if c.eagerTemplate() {
		source = c.cfg.database
		if err := c.awaitNoSessions(ctx, source); err != nil {
			return err
		}
	}
	tpl := c.templateName()
	if _, err := c.admin.Exec(ctx, "CREATE DATABASE "+ident(tpl)+" TEMPLATE "+ident(source)+c.strategy()); err != nil {
		return fmt.Errorf("make the template %s from %s: %w", tpl, source, err)
	}
	// No session may block a copy: the template takes none.
	if _, err := c.admin.Exec(ctx, "ALTER DATABASE "+ident(tpl)+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("make the template %s: %w", tpl, err)
	}
	return nil
}

// awaitNoSessions waits until the sessions of the readiness check and the
// migrations on db have ended (a closed connection's backend exits a moment
// later, and CREATE DATABASE would otherwise wait 100 ms per look). It
// gives up quietly after a few seconds: CREATE DATABASE then says who is
// still there.
func (c *Container) awaitNoSessions(ctx context.Context, db string) error {
	const q = `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`
	start := time.Now()
	for pause := time.Millisecond; time.Since(start) < 5*time.Second; pause = min(2*pause, 50*time.Millisecond) {
		var n int
		if err := c.admin.QueryRow(ctx, q, db).Scan(&n); err != nil {
			return fmt.Errorf("sessions on %s: %w", db, err)
		}
		if n == 0 {
			return nil
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return context.Cause(ctx)
		case <-t.C:
		}
	}
	return nil
}

// databasePool returns the pool of ready databases, started on first use.
func (c *Container) databasePool() (*sqlpool.Pool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, sqlpool.ErrClosed
	}
	if c.pool == nil {
		c.pool = sqlpool.NewPool(c.createDB, c.cfg.poolSize, poolWorkers)
	}
	return c.pool, nil
}

// createDB makes a database from the template.
func (c *Container) createDB(ctx context.Context) (string, error) {
	c.mu.Lock()
	c.seq++
	name := fmt.Sprintf("testdock_%s_%d", c.key[:8], c.seq)
	c.mu.Unlock()
	tpl := c.templateName()
	if _, err := c.admin.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(tpl)+c.strategy()); err != nil {
		if c.isClosed() {
			return "", sqlpool.ErrClosed
		}
		return "", fmt.Errorf("create database %s from template %s: %w", name, tpl, err)
	}
	return name, nil
}

// errNotSet is the error of a database asked of a server whose start
// failed.
var errNotSet = errors.New("the server's start failed (see the error of Run): it makes no databases")

// ident quotes a name for SQL.
func ident(name string) string { return pgx.Identifier{name}.Sanitize() }
