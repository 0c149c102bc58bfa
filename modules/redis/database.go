package redis

import (
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/testdock/testdock/modules/internal/svckit"
)

// Database is a logical database of a test's own on a (shared) server,
// made by NewDatabase. What a test writes to it, others do not see.
type Database struct {
	c *Container
	// Number is the database's index (SELECT Number), never 0.
	Number int
}

// NewDatabase gives the test a logical database of its own. When the test
// ends, the database is flushed (FLUSHDB) and handed to the next test
// that asks. It fails the test when all of the server's databases are in
// use (see WithDatabases). It is safe for parallel tests.
func (c *Container) NewDatabase(t testing.TB) *Database {
	t.Helper()
	c.mu.Lock()
	if len(c.free) == 0 {
		c.mu.Unlock()
		t.Fatalf("redis: all %d logical databases but 0 are in use: start the server with more (WithDatabases) or run fewer tests in parallel", c.cfg.databases-1)
	}
	n := c.free[len(c.free)-1]
	c.free = c.free[:len(c.free)-1]
	c.mu.Unlock()
	d := &Database{c: c, Number: n}
	t.Cleanup(func() {
		ctx, cancel := svckit.CleanupContext(10 * time.Second)
		defer cancel()
		rdb := goredis.NewClient(c.Options(n))
		err := rdb.FlushDB(ctx).Err()
		rdb.Close()
		if err != nil {
			// Not handed out again: its keys may still be there.
			t.Errorf("redis: flush database %d: %v", n, err)
			return
		}
		c.mu.Lock()
		c.free = append(c.free, n)
		c.mu.Unlock()
	})
	return d
}

// URL returns the database's URL, e.g. "redis://:secret@127.0.0.1:49153/7".
func (d *Database) URL() string { return d.c.url(d.Number) }

// Options returns go-redis options for the database (see
// Container.Options).
func (d *Database) Options() *goredis.Options { return d.c.Options(d.Number) }

// Client returns a go-redis client on the database, closed when the test
// ends.
func (d *Database) Client(t testing.TB) *goredis.Client {
	t.Helper()
	return client(t, d.Options())
}
