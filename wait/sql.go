package wait

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// SQL waits until a database in the container answers a query through
// database/sql. Make one with ForSQL.
//
// The driver must be registered by the caller's program (by importing it);
// this package brings none. Each wait opens its own *sql.DB, keeps no idle
// connection between attempts (each attempt connects anew) and closes it
// when the wait ends. A stopped container ends the wait at once with a
// *PermanentError.
//
// An SQL is immutable and safe for concurrent use by parallel tests.
type SQL struct {
	driver  string
	port    string
	dsn     func(endpoint string) string
	query   string
	timeout time.Duration
	err     error
}

var (
	_ Strategy        = SQL{}
	_ tcwait.Strategy = SQL{}
)

// ForSQL waits until the database behind the container port answers
// "SELECT 1" (see WithQuery) through the database/sql driver named driver.
// dsn builds the data source name from the published "host:port":
//
//	wait.ForSQL("pgx", "5432/tcp", func(ep string) string {
//		return "postgres://test:test@" + ep + "/test?sslmode=disable"
//	})
//
// dsn must be safe for concurrent use.
func ForSQL(driver, port string, dsn func(endpoint string) string) SQL {
	p, err := parsePort("ForSQL", port)
	if err != nil {
		p = port
	}
	s := SQL{driver: driver, port: p, dsn: dsn, query: "SELECT 1", err: err}
	switch {
	case driver == "":
		s.err = errors.New("ForSQL: no driver name")
	case dsn == nil:
		s.err = errors.New("ForSQL: no DSN func")
	}
	return s
}

// WithQuery returns a copy of s that runs query (default "SELECT 1"); it
// is ready when the query succeeds.
func (s SQL) WithQuery(query string) SQL {
	s.query = query
	return s
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s SQL) WithTimeout(d time.Duration) SQL {
	s.timeout = d
	return s
}

// String describes s, such as `SQL "SELECT 1" via pgx on 5432/tcp`.
func (s SQL) String() string {
	return withTimeout(fmt.Sprintf("SQL %q via %s on %s", s.query, s.driver, s.port), s.timeout)
}

// Wait waits until the query succeeds, the container stops or ctx ends.
func (s SQL) Wait(ctx context.Context, t Target) error {
	if s.err == nil && !slices.Contains(sql.Drivers(), s.driver) {
		s.err = fmt.Errorf("ForSQL: database/sql has no driver %q (registered: %v): import the driver's package", s.driver, sql.Drivers())
	}
	if s.err != nil {
		_, cancel, r := begin(ctx, s.String(), 0)
		defer cancel()
		return r.invalid(s.err)
	}
	c := &sqlCheck{s: s, ep: endpoint{port: s.port}}
	defer c.close()
	return poll(ctx, t, s.String(), s.timeout, true, c.check)
}

// WaitUntilReady lets testcontainers-go use s.
func (s SQL) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s SQL) Timeout() *time.Duration { return timeoutPtr(s.timeout) }

// sqlCheck is the state of one SQL wait.
type sqlCheck struct {
	s  SQL
	ep endpoint
	db *sql.DB
}

func (c *sqlCheck) check(ctx context.Context, t Target) Result {
	if c.db == nil {
		addr, res, ok := c.ep.get(ctx, t)
		if !ok {
			return res
		}
		db, err := sql.Open(c.s.driver, c.s.dsn(addr))
		if err != nil {
			return Never("open %s: %w", c.s.driver, err)
		}
		db.SetMaxIdleConns(0)
		c.db = db
	}
	rows, err := c.db.QueryContext(ctx, c.s.query)
	if err != nil {
		if !expired(ctx) && closedAtOnce(err) {
			return NotYet("%s: %w (the connection was closed at once: nothing listens on %s in the container yet?)", c.s.query, err, c.s.port)
		}
		return NotYet("%s: %w", c.s.query, err)
	}
	defer rows.Close()
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		return NotYet("%s: %w", c.s.query, err)
	}
	return Ready()
}

func (c *sqlCheck) close() {
	if c.db != nil {
		c.db.Close()
	}
}
