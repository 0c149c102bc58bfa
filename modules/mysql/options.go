package mysql

import (
	"context"
	"database/sql"
	"time"

	"github.com/testdock/testdock/modules/internal/mysqlkit"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "mysql:8.4"

// flavor is what this module tells the shared MySQL/MariaDB code.
var flavor = mysqlkit.Flavor{Module: "mysql", Product: "MySQL", Image: DefaultImage, EnvPrefix: "MYSQL_"}

// Option configures Run, Start and Shared. Options are applied in order
// over the defaults; a value of Option can be reused by any number of
// parallel callers.
type Option func(*config)

type config = mysqlkit.Config

// Migration prepares the schema: it runs once per server, as root, on the
// server's database, before the template of NewDatabase is taken from it.
// Its *sql.DB allows several statements in one Exec.
type Migration func(ctx context.Context, db *sql.DB) error

// WithImage runs image instead of DefaultImage. It must keep the official
// mysql image's contract: the MYSQL_* variables, port 3306, /var/lib/mysql
// and /docker-entrypoint-initdb.d.
func WithImage(image string) Option {
	return func(c *config) { c.Image = image }
}

// WithDatabase names the server's database (default "test"), the one DSN
// and DB connect to.
func WithDatabase(name string) Option {
	return func(c *config) { c.Database = name }
}

// WithUser names the user that DSN, DB and the test databases use
// (default "test", with all privileges on its databases). "root" makes
// every connection root's. Passwords are random, new for each server.
func WithUser(name string) Option {
	return func(c *config) { c.User = name }
}

// WithConfig sets a server option, passed as --name=value to the server
// ("" passes a bare --name); "max_connections" and "max-connections" are
// the same. It overrides testdock's defaults: --skip-log-bin,
// --innodb-flush-log-at-trx-commit=0, --innodb-doublewrite=OFF,
// --innodb-file-per-table=OFF, --max-connections=1000,
// --performance-schema=OFF, --skip-name-resolve. To drop a bare default
// flag, set it to another value it accepts (e.g. "skip-name-resolve",
// "OFF").
func WithConfig(name, value string) Option {
	return func(c *config) { c.Settings[mysqlkit.SettingName(name)] = value }
}

// WithInitScripts copies the files at paths (on the host) into
// /docker-entrypoint-initdb.d, where the image's entrypoint runs them, in
// the order given, on the server's database during its first start
// (*.sql, *.sql.gz and *.sh as the official image does). What they make is
// in every database of NewDatabase.
func WithInitScripts(paths ...string) Option {
	return func(c *config) { c.InitScripts = append(c.InitScripts, paths...) }
}

// WithMigrations runs each migration, in order, once per server, after
// the init scripts. A migration that fails fails Run (and Start) with an
// error that shows the failing statement.
//
// The template of NewDatabase is keyed by the migrations' function names
// and the init scripts' contents.
func WithMigrations(migrations ...Migration) Option {
	return func(c *config) {
		for _, m := range migrations {
			var fn mysqlkit.Migration
			if m != nil {
				fn = m
			}
			c.Migrations = append(c.Migrations, mysqlkit.NamedMigration{Name: mysqlkit.Name(m), Fn: fn})
		}
	}
}

// WithDatabasePool sets how many databases NewDatabase keeps ready,
// made in the background (default 4). 0 makes each on demand.
func WithDatabasePool(size int) Option {
	return func(c *config) { c.PoolSize = size }
}

// WithStartupTimeout bounds the wait for the server to answer (default
// fixture.DefaultStartupTimeout, 60s).
func WithStartupTimeout(d time.Duration) Option {
	return func(c *config) { c.StartupTimeout = d }
}

// WithTimeZoneTables loads the time zone tables at the first start, so
// that named time zones work (CONVERT_TZ(t, 'UTC', 'Europe/Paris')). It
// is off by default: it adds seconds to every start.
func WithTimeZoneTables() Option {
	return func(c *config) { c.TimeZoneTables = true }
}
