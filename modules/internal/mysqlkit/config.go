package mysqlkit

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/sqlpool"
)

const (
	// Port is the server's port.
	Port = "3306/tcp"
	// dataDir is the data directory of both images, on a tmpfs.
	dataDir = "/var/lib/mysql"
)

// Flavor is what differs between the mysql and mariadb modules.
type Flavor struct {
	// Module names the module in messages: "mysql" or "mariadb".
	Module string
	// Product names the server in hints: "MySQL" or "MariaDB".
	Product string
	// Image is the default image.
	Image string
	// EnvPrefix starts the image's variables: "MYSQL_" or "MARIADB_".
	EnvPrefix string
}

// Migration prepares the schema: it runs once per server, on the server's
// database, as root.
type Migration = func(ctx context.Context, db *sql.DB) error

// Config is the modules' configuration; their options set it.
type Config struct {
	Image          string
	Database       string
	User           string
	Settings       map[string]string // server options, "max-connections" -> "1000"; "" for a bare flag
	InitScripts    []string
	Migrations     []NamedMigration
	PoolSize       int
	StartupTimeout time.Duration
	TimeZoneTables bool
}

// NamedMigration is a migration and its function's name.
type NamedMigration struct {
	Name string
	Fn   Migration
}

// Name returns f's function name.
func Name(f any) string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return "<nil>"
	}
	return runtime.FuncForPC(v.Pointer()).Name()
}

// DefaultSettings are the server options for tests, valid for MySQL 8.4
// and MariaDB 10.11 and 11 alike: durability traded for speed (the data
// lives on a tmpfs that goes with the container), no binary log, no DNS
// lookups of clients, no performance schema, and room for many parallel
// tests.
func DefaultSettings() map[string]string {
	return map[string]string{
		"skip-log-bin":                   "",
		"innodb-flush-log-at-trx-commit": "0",
		"innodb-doublewrite":             "OFF",
		"innodb-file-per-table":          "OFF",
		"max-connections":                "1000",
		"performance-schema":             "OFF",
		"skip-name-resolve":              "",
	}
}

// Defaults returns the configuration before options.
func (f Flavor) Defaults() Config {
	return Config{
		Image:    f.Image,
		Database: "test",
		User:     "test",
		Settings: DefaultSettings(),
		PoolSize: 4,
	}
}

// SettingName normalizes a server option's name: "max_connections" and
// "--max-connections" are "max-connections".
func SettingName(name string) string {
	return strings.ReplaceAll(strings.TrimLeft(strings.TrimSpace(name), "-"), "_", "-")
}

func (c *Config) validate(f Flavor) error {
	var problems []string
	if strings.TrimSpace(c.Image) == "" {
		problems = append(problems, "WithImage: the image is empty")
	}
	switch strings.ToLower(c.Database) {
	case "":
		problems = append(problems, "WithDatabase: the name is empty")
	case "mysql", "information_schema", "performance_schema", "sys":
		problems = append(problems, fmt.Sprintf("WithDatabase: %s is a system database of %s; name another", c.Database, f.Product))
	}
	if c.User == "" {
		problems = append(problems, "WithUser: the name is empty")
	}
	for _, m := range c.Migrations {
		if m.Fn == nil {
			problems = append(problems, "WithMigrations: a migration is nil")
		}
	}
	if c.PoolSize < 0 {
		problems = append(problems, "WithDatabasePool: the size is negative")
	}
	if c.StartupTimeout < 0 {
		problems = append(problems, "WithStartupTimeout: the timeout is negative")
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid options: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Prepare checks the configuration and returns the server to be and its
// Spec. Attach the container made from the Spec, then call Setup.
func Prepare(f Flavor, cfg Config) (*Server, fixture.Spec, error) {
	if err := cfg.validate(f); err != nil {
		return nil, fixture.Spec{}, err
	}
	files, err := sqlpool.InitScripts(cfg.InitScripts)
	if err != nil {
		return nil, fixture.Spec{}, err
	}
	keyParts := append([]string{f.Module, cfg.Database, cfg.User}, sqlpool.FilesKey(files)...)
	for _, m := range cfg.Migrations {
		keyParts = append(keyParts, m.Name)
	}
	s := &Server{
		flavor:       f,
		cfg:          cfg,
		rootPassword: sqlpool.Password(),
		password:     sqlpool.Password(),
		key:          sqlpool.Key(keyParts...),
	}
	if s.isRoot() {
		s.password = s.rootPassword
	}

	var cmd []string
	for _, name := range slices.Sorted(maps.Keys(cfg.Settings)) {
		if v := cfg.Settings[name]; v != "" {
			cmd = append(cmd, "--"+name+"="+v)
		} else {
			cmd = append(cmd, "--"+name)
		}
	}
	p := f.EnvPrefix
	env := map[string]string{
		p + "ROOT_PASSWORD": s.rootPassword,
		p + "DATABASE":      cfg.Database,
	}
	if !s.isRoot() {
		env[p+"USER"] = cfg.User
		env[p+"PASSWORD"] = s.password
	}
	if !cfg.TimeZoneTables {
		// Loading the time zone tables takes seconds at every start.
		env[p+"INITDB_SKIP_TZINFO"] = "1"
	}
	spec := fixture.Spec{
		Image:          cfg.Image,
		Cmd:            cmd, // options only: the entrypoint puts the server before them
		Env:            env,
		Ports:          []string{Port},
		Mounts:         []fixture.Mount{{Type: fixture.Tmpfs, Target: dataDir}},
		Files:          files,
		StartupTimeout: cfg.StartupTimeout,
		Wait: sqlpool.Ready{
			Port:  Port,
			What:  fmt.Sprintf("SELECT 1 as user %s on database %s", cfg.User, cfg.Database),
			Check: s.check,
		},
	}
	spec.Hint = s.Hint()
	return s, spec, nil
}

// Hint explains a start that failed after the container was made.
func (s *Server) Hint() string {
	return fmt.Sprintf("%s: if the container exited or never answered, check that %s is a %s image that keeps the official image's contract (%sROOT_PASSWORD, %sDATABASE, %sUSER, port 3306, /var/lib/mysql)",
		s.flavor.Module, s.cfg.Image, s.flavor.Product, s.flavor.EnvPrefix, s.flavor.EnvPrefix, s.flavor.EnvPrefix)
}

func (s *Server) isRoot() bool { return s.cfg.User == "root" }
