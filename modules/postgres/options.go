package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"time"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "postgres:17-alpine"

// Option configures Run, Start and Shared. Options are applied in order
// over the defaults; a value of Option can be reused by any number of
// parallel callers.
type Option func(*config)

// Migration prepares the schema: it runs once per server, on the
// server's database, before any test database is made from it.
type Migration func(ctx context.Context, db *sql.DB) error

type config struct {
	image          string
	database       string
	user           string
	settings       map[string]string
	initScripts    []string
	migrations     []namedMigration
	poolSize       int
	startupTimeout time.Duration
}

type namedMigration struct {
	name string
	fn   Migration
}

// defaultSettings are the server settings for tests: durability traded
// for speed (the data lives on a tmpfs that goes with the container) and
// room for many parallel tests.
func defaultSettings() map[string]string {
	return map[string]string{
		"fsync":              "off",
		"synchronous_commit": "off",
		"full_page_writes":   "off",
		"max_connections":    "1000",
		// CREATE and DROP DATABASE checkpoint: keep the log for what matters.
		"log_checkpoints": "off",
	}
}

func defaults() config {
	return config{
		image:    DefaultImage,
		database: "test",
		user:     "postgres",
		settings: defaultSettings(),
		poolSize: 4,
	}
}

// WithImage runs image instead of DefaultImage. It must keep the official
// postgres image's contract: the POSTGRES_* variables, PGDATA, port 5432,
// the postgres command and /docker-entrypoint-initdb.d.
func WithImage(image string) Option {
	return func(c *config) { c.image = image }
}

// WithDatabase names the server's database (default "test"), the one DSN
// and DB connect to.
func WithDatabase(name string) Option {
	return func(c *config) { c.database = name }
}

// WithUser names the superuser that every connection uses (default
// "postgres"). Its password is random, new for each server.
func WithUser(name string) Option {
	return func(c *config) { c.user = name }
}

// WithConfig sets a server setting, passed as "-c name=value" to postgres;
// it overrides testdock's defaults (fsync, synchronous_commit,
// full_page_writes and log_checkpoints off, max_connections 1000).
func WithConfig(name, value string) Option {
	return func(c *config) { c.settings[name] = value }
}

// WithInitScripts copies the files at paths (on the host) into
// /docker-entrypoint-initdb.d, where the image's entrypoint runs them, in
// the order given, on the server's database during its first start:
// *.sql, *.sql.gz and *.sh as the official image does. What they make is
// in every database of NewDatabase.
func WithInitScripts(paths ...string) Option {
	return func(c *config) { c.initScripts = append(c.initScripts, paths...) }
}

// WithMigrations runs each migration, in order, once per server on the
// server's database after the init scripts, through database/sql with
// pgx's driver. A migration that fails fails Run (and Start) with an error
// that names the statement that failed.
//
// The template of NewDatabase is keyed by the migrations' function names
// and the init scripts' contents.
func WithMigrations(migrations ...Migration) Option {
	return func(c *config) {
		for _, m := range migrations {
			c.migrations = append(c.migrations, namedMigration{funcName(m), m})
		}
	}
}

// WithDatabasePool sets how many databases NewDatabase keeps ready,
// made in the background (default 4). 0 makes each on demand.
func WithDatabasePool(size int) Option {
	return func(c *config) { c.poolSize = size }
}

// WithStartupTimeout bounds the wait for the server to answer (default
// fixture.DefaultStartupTimeout, 60s).
func WithStartupTimeout(d time.Duration) Option {
	return func(c *config) { c.startupTimeout = d }
}

func funcName(f any) string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return "<nil>"
	}
	return runtime.FuncForPC(v.Pointer()).Name()
}

// validate checks the configuration before anything is made.
func (c *config) validate() error {
	var problems []string
	if strings.TrimSpace(c.image) == "" {
		problems = append(problems, "WithImage: the image is empty")
	}
	switch {
	case c.database == "":
		problems = append(problems, "WithDatabase: the name is empty")
	case c.database == "template0" || c.database == "template1":
		problems = append(problems, fmt.Sprintf("WithDatabase: %s is PostgreSQL's own template; name another database", c.database))
	}
	if c.user == "" {
		problems = append(problems, "WithUser: the name is empty")
	}
	for _, m := range c.migrations {
		if m.fn == nil {
			problems = append(problems, "WithMigrations: a migration is nil")
		}
	}
	if c.poolSize < 0 {
		problems = append(problems, "WithDatabasePool: the size is negative")
	}
	if c.startupTimeout < 0 {
		problems = append(problems, "WithStartupTimeout: the timeout is negative")
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid options: %s", strings.Join(problems, "; "))
	}
	return nil
}
