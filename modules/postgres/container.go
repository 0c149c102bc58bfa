package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/sqlpool"
)

const (
	port = "5432/tcp"
	// dataDir is PGDATA, on a tmpfs.
	dataDir = "/var/lib/postgresql/data"
	// maxConns bounds the connections of each DB and Pool, so that 64
	// parallel tests fit in the server's max_connections (1000).
	maxConns = 10
	// adminConns bounds the connections that make and drop databases.
	adminConns = 4
	// poolWorkers is how many databases the pool makes at a time.
	poolWorkers = 2
)

// Container is a PostgreSQL server in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec, ...).
//
// Its methods are safe for concurrent use by parallel tests.
//
// Restart (and Stop and Start) is the embedded fixture.Container's and
// nothing here handles it: the data directory is a tmpfs, which a stopped
// container loses, so the image initializes a fresh, unmigrated cluster
// when it starts again. The template, the databases made for tests and
// the migrations' work are gone, and the admin connections still dial the
// host port from before (which usually changes), so NewDatabase and
// CreateDatabase fail after a restart, as do the drops at the end of tests
// whose databases were made before it. A test that restarts the server
// gets a server of its own from Start and uses only the server's database
// (DSN, DB) afterwards.
type Container struct {
	*fixture.Container

	cfg      config
	password string
	key      string // the template's key: a hash of init scripts and migrations

	admin   *pgxpool.Pool
	version int // server_version_num, e.g. 150004

	mu     sync.Mutex // guards what follows
	closed bool
	set    bool // setup succeeded
	pool   *sqlpool.Pool
	seq    int

	tplMu   sync.Mutex // held while the template is made
	tplDone bool
	tplErr  error
}

// Run starts a PostgreSQL server and returns when it answers queries with
// its credentials and the migrations have run.
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	c, spec, err := prepare(opts)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	fc, err := fixture.Run(ctx, spec)
	if fc != nil {
		c.Container = fc
	}
	if err != nil {
		return c.orNil(), fmt.Errorf("postgres: %w", err)
	}
	if err := c.setup(ctx); err != nil {
		return c, fmt.Errorf("postgres: %w", err)
	}
	return c, nil
}

// Start runs a PostgreSQL server for the test and fails the test if it
// can't. The server is ready, migrated and removed when the test ends;
// when the test fails, its last log lines go to the test log. It is safe
// for parallel tests.
func Start(t testing.TB, opts ...Option) *Container {
	t.Helper()
	c, spec, err := prepare(opts)
	if err != nil {
		t.Fatalf("postgres: start: %v", err)
	}
	c.Container = fixture.Start(t, spec)
	t.Cleanup(c.close) // before the container goes (cleanups run last-in first-out)
	ctx, cancel := fixture.TestContext(t)
	defer cancel()
	if err := c.setup(ctx); err != nil {
		t.Fatalf("postgres: start: %v", err)
	}
	return c
}

// Shared returns a server shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
//
//	var pg = postgres.Shared(postgres.WithMigrations(migrate))
//
//	func TestMain(m *testing.M) { fixture.Main(m) }
//
//	func TestOrders(t *testing.T) {
//		t.Parallel()
//		db := pg.Get(t).NewDatabase(t).DB(t)
//		...
//	}
func Shared(opts ...Option) *fixture.Shared[*Container] {
	return fixture.NewShared(func(ctx context.Context) (*Container, error) { return Run(ctx, opts...) })
}

// prepare turns options into a Container to be and its Spec.
func prepare(opts []Option) (*Container, fixture.Spec, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, fixture.Spec{}, err
	}
	files, err := sqlpool.InitScripts(cfg.initScripts)
	if err != nil {
		return nil, fixture.Spec{}, err
	}
	keyParts := append([]string{"postgres", cfg.database, cfg.user}, sqlpool.FilesKey(files)...)
	for _, m := range cfg.migrations {
		keyParts = append(keyParts, m.name)
	}
	c := &Container{cfg: cfg, password: sqlpool.Password(), key: sqlpool.Key(keyParts...)}

	cmd := []string{"postgres"}
	for _, name := range slices.Sorted(maps.Keys(cfg.settings)) {
		cmd = append(cmd, "-c", name+"="+cfg.settings[name])
	}
	spec := fixture.Spec{
		Image: cfg.image,
		Cmd:   cmd,
		Env: map[string]string{
			"POSTGRES_USER":     cfg.user,
			"POSTGRES_PASSWORD": c.password,
			"POSTGRES_DB":       cfg.database,
			"PGDATA":            dataDir,
			// initdb skips its sync of the new cluster (it lives on a tmpfs)
			"POSTGRES_INITDB_ARGS": "--no-sync",
			// initdb takes the time zone from TZ instead of searching the
			// system's zone files for a match (a third of a second).
			"TZ": "UTC",
		},
		Ports:          []string{port},
		Mounts:         []fixture.Mount{{Type: fixture.Tmpfs, Target: dataDir}},
		Files:          files,
		StartupTimeout: cfg.startupTimeout,
		Wait: sqlpool.Ready{
			Port:  port,
			What:  fmt.Sprintf("SELECT 1 as user %s on database %s", cfg.user, cfg.database),
			Check: c.check,
		},
	}
	spec.Hint = c.hint()
	return c, spec, nil
}

func (c *Container) hint() string {
	return fmt.Sprintf("postgres: if the container exited or never answered, check that %s is a PostgreSQL image that keeps the official postgres image's contract (POSTGRES_USER/PASSWORD/DB, PGDATA, port 5432, the postgres command)", c.cfg.image)
}

// orNil returns c when it holds a container to terminate.
func (c *Container) orNil() *Container {
	if c.Container == nil {
		return nil
	}
	return c
}

// check is one readiness attempt: SELECT 1 with the fixture's credentials.
func (c *Container) check(ctx context.Context, endpoint string) error {
	cfg, err := pgx.ParseConfig(c.dsn(endpoint, c.cfg.database))
	if err != nil {
		return sqlpool.Permanent(err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && (pe.Code == "28P01" || pe.Code == "28000" || pe.Code == "3D000") {
			return sqlpool.Permanent(err) // wrong password or database: the final server said so
		}
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var one int
	return conn.QueryRow(ctx, "SELECT 1").Scan(&one)
}

// setup connects the admin pool, runs the migrations and, when there are
// init scripts or migrations, makes the template from their result.
func (c *Container) setup(ctx context.Context) error {
	pcfg, err := pgxpool.ParseConfig(c.dsn(c.Endpoint(port), c.adminDB()))
	if err != nil {
		return err
	}
	pcfg.MaxConns = adminConns
	admin, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return fmt.Errorf("admin connection: %w", err)
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		admin.Close()
		return sqlpool.ErrClosed
	}
	c.admin = admin
	c.mu.Unlock()
	var v int
	if err := admin.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&v); err != nil {
		return fmt.Errorf("server version: %w", err)
	}
	c.version = v
	if err := c.migrate(ctx); err != nil {
		return err
	}
	c.mu.Lock()
	c.set = true
	c.mu.Unlock()
	if c.eagerTemplate() {
		if err := c.ensureTemplate(ctx); err != nil {
			return err
		}
	}
	return nil
}

// adminDB is where the admin pool connects: not the server's database,
// which must be free of sessions to be copied into the template.
func (c *Container) adminDB() string {
	if c.cfg.database == "postgres" {
		return "template1"
	}
	return "postgres"
}

// migrate runs the migrations on the server's database.
func (c *Container) migrate(ctx context.Context) error {
	if len(c.cfg.migrations) == 0 {
		return nil
	}
	cfg, err := pgx.ParseConfig(c.DSN())
	if err != nil {
		return err
	}
	rec := &sqlpool.Recorder{Locate: position}
	db := sqlpool.OpenRecorded(stdlib.GetConnector(*cfg), rec)
	defer db.Close()
	for i, m := range c.cfg.migrations {
		if err := m.fn(ctx, db); err != nil {
			return rec.Explain(i+1, m.name, err)
		}
	}
	return nil
}

// position is where PostgreSQL located an error in its statement.
func position(err error) int {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return int(pe.Position)
	}
	return 0
}

// DSN returns the URL of the server's database, e.g.
// "postgres://postgres:secret@127.0.0.1:49153/test?sslmode=disable".
func (c *Container) DSN() string { return c.dsn(c.Endpoint(port), c.cfg.database) }

func (c *Container) dsn(endpoint, database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(c.cfg.user, c.password),
		Host:     endpoint,
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// User returns the superuser's name.
func (c *Container) User() string { return c.cfg.user }

// Password returns the superuser's password, random for each server.
func (c *Container) Password() string { return c.password }

// Database returns the name of the server's database.
func (c *Container) Database() string { return c.cfg.database }

// DB returns a *sql.DB (pgx's stdlib driver) on the server's database,
// closed when the test ends. It opens at most 10 connections.
func (c *Container) DB(t testing.TB) *sql.DB {
	t.Helper()
	return openDB(t, c.DSN())
}

// Pool returns a pgx pool on the server's database, closed when the test
// ends. It opens at most 10 connections.
func (c *Container) Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return openPool(t, c.DSN())
}

func openDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(maxConns)
	t.Cleanup(func() { db.Close() })
	return db
}

func openPool(t testing.TB, dsn string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	cfg.MaxConns = maxConns
	ctx, cancel := fixture.TestContext(t)
	defer cancel()
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("postgres: pool: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// Terminate stops the making of databases, closes the admin connections
// and removes the container. It is safe on nil and more than once.
func (c *Container) Terminate(ctx context.Context) error {
	if c == nil {
		return nil
	}
	c.close()
	return c.Container.Terminate(ctx)
}

// close stops the background work and closes the admin pool.
func (c *Container) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	pool, admin := c.pool, c.admin
	c.mu.Unlock()
	if pool != nil {
		pool.Close()
	}
	if admin != nil {
		admin.Close()
	}
}
