package mysqlkit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/sqlpool"
)

const (
	// MaxConns bounds the connections of each DB, so that 64 parallel
	// tests fit in the server's max_connections (1000).
	MaxConns = 10
	// adminConns bounds the connections that make and drop databases.
	adminConns = 4
	// poolWorkers is how many databases the pool makes at a time.
	poolWorkers = 2
)

// Server is a MySQL or MariaDB server made from a Spec of Prepare. Its
// methods are safe for concurrent use.
//
// A Restart of its container is not handled here: the data directory is a
// tmpfs, which a stopped container loses, so the image initializes a
// fresh data directory when it starts again. The template database, the
// user's grant on the test databases, the databases made for tests (also
// those waiting in the pool) and the migrations' work are gone, and the
// admin connections still dial the host port from before (which usually
// changes). After a restart NewDatabase may hand out the name of a
// database that no longer exists, or fail; the drops at the end of tests
// fail too. A test that restarts the server uses only the server's
// database (DSN, DB) afterwards.
type Server struct {
	flavor       Flavor
	cfg          Config
	rootPassword string
	password     string
	key          string // the template's key: a hash of init scripts and migrations

	fc    *fixture.Container
	admin *sql.DB   // root, no default database, multiple statements
	tpl   *template // set under mu once by Setup, read-only then

	mu     sync.Mutex // guards what follows
	closed bool
	pool   *sqlpool.Pool
	seq    int
}

// quiet discards the driver's log lines (it logs failed readiness
// attempts and dropped connections to stderr otherwise).
type quiet struct{}

// Print discards a log line.
func (quiet) Print(...any) {}

// config returns the driver configuration for user on database at the
// container's endpoint (or at endpoint, when given).
func (s *Server) config(endpoint, user, database string) *mysql.Config {
	cfg := mysql.NewConfig()
	cfg.User = user
	cfg.Passwd = s.password
	if user == "root" {
		cfg.Passwd = s.rootPassword
	}
	cfg.Net = "tcp"
	cfg.Addr = endpoint
	if cfg.Addr == "" {
		cfg.Addr = s.fc.Endpoint(Port)
	}
	cfg.DBName = database
	cfg.Logger = quiet{}
	return cfg
}

// check is one readiness attempt: SELECT 1 with the fixture's credentials.
func (s *Server) check(ctx context.Context, endpoint string) error {
	conn, err := mysql.NewConnector(s.config(endpoint, s.cfg.User, s.cfg.Database))
	if err != nil {
		return sqlpool.Permanent(err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	var one int
	err = db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
	var me *mysql.MySQLError
	if errors.As(err, &me) && (me.Number == 1045 || me.Number == 1049) {
		return sqlpool.Permanent(err) // access denied, unknown database: the final server said so
	}
	return err
}

// Attach gives the server its container.
func (s *Server) Attach(fc *fixture.Container) { s.fc = fc }

// Setup connects the admin pool, lets the user make test databases, runs
// the migrations and makes the template.
func (s *Server) Setup(ctx context.Context) error {
	cfg := s.config("", "root", "")
	cfg.MultiStatements = true
	// A drop must not wait for a lost transaction's locks for a year.
	cfg.Params = map[string]string{"lock_wait_timeout": "30"}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return err
	}
	admin := sql.OpenDB(conn)
	admin.SetMaxOpenConns(adminConns)
	admin.SetMaxIdleConns(adminConns)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		admin.Close()
		return sqlpool.ErrClosed
	}
	s.admin = admin
	s.mu.Unlock()
	if !s.isRoot() {
		// One grant for every database a test gets (they are all named
		// testdock_...).
		q := fmt.Sprintf("GRANT ALL PRIVILEGES ON `testdock\\_%%`.* TO %s@'%%'", quoteString(s.cfg.User))
		if _, err := admin.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("grant %s its test databases: %w", s.cfg.User, err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	return s.makeTemplate(ctx)
}

// migrate runs the migrations on the server's database as root.
func (s *Server) migrate(ctx context.Context) error {
	if len(s.cfg.Migrations) == 0 {
		return nil
	}
	cfg := s.config("", "root", s.cfg.Database)
	cfg.MultiStatements = true
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return err
	}
	rec := &sqlpool.Recorder{}
	db := sqlpool.OpenRecorded(conn, rec)
	defer db.Close()
	for i, m := range s.cfg.Migrations {
		if err := m.Fn(ctx, db); err != nil {
			return rec.Explain(i+1, m.Name, err)
		}
	}
	return nil
}

// DSN returns the server's database as a go-sql-driver/mysql DSN, e.g.
// "test:secret@tcp(127.0.0.1:49153)/test".
func (s *Server) DSN() string { return s.dsn(s.cfg.Database) }

func (s *Server) dsn(database string) string {
	return s.config("", s.cfg.User, database).FormatDSN()
}

// User returns the user's name.
func (s *Server) User() string { return s.cfg.User }

// Password returns the user's password.
func (s *Server) Password() string { return s.password }

// RootPassword returns root's password.
func (s *Server) RootPassword() string { return s.rootPassword }

// Database returns the server's database.
func (s *Server) Database() string { return s.cfg.Database }

// DB returns a *sql.DB on the server's database, closed at the end of
// the test.
func (s *Server) DB(t testing.TB) *sql.DB {
	t.Helper()
	return s.open(t, s.cfg.Database)
}

func (s *Server) open(t testing.TB, database string) *sql.DB {
	t.Helper()
	conn, err := mysql.NewConnector(s.config("", s.cfg.User, database))
	if err != nil {
		t.Fatalf("%s: %v", s.flavor.Module, err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(MaxConns)
	t.Cleanup(func() { db.Close() })
	return db
}

// Close stops the background work and closes the admin connections. It
// is idempotent.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	pool, admin := s.pool, s.admin
	s.mu.Unlock()
	if pool != nil {
		pool.Close()
	}
	if admin != nil {
		admin.Close()
	}
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// quoteString quotes s as an SQL string literal.
func quoteString(s string) string {
	b := []byte{'\''}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '\\':
			b = append(b, '\\', c)
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '\''))
}

// quoteName quotes s as an SQL identifier.
func quoteName(s string) string {
	b := []byte{'`'}
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			b = append(b, '`')
		}
		b = append(b, s[i])
	}
	return string(append(b, '`'))
}
