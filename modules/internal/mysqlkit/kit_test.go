package mysqlkit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/fixture"
)

var testFlavor = Flavor{Module: "mariadb", Product: "MariaDB", Image: "mariadb:11", EnvPrefix: "MARIADB_"}

func TestSettingName(t *testing.T) {
	for in, want := range map[string]string{
		"max_connections":    "max-connections",
		"--max-connections":  "max-connections",
		" skip_name_resolve": "skip-name-resolve",
	} {
		assert.Equal(t, want, SettingName(in), in)
	}
}

func TestQuote(t *testing.T) {
	assert.Equal(t, "`a``b`", quoteName("a`b"))
	assert.Equal(t, `'it\'s a \\ path'`, quoteString(`it's a \ path`))
}

// The Spec holds the image's variables, the test settings as options, a
// tmpfs data directory and the readiness check.
func TestPrepareSpec(t *testing.T) {
	cfg := testFlavor.Defaults()
	cfg.Settings[SettingName("max_connections")] = "50"
	s, spec, err := Prepare(testFlavor, cfg)
	require.NoError(t, err)
	assert.Equal(t, "mariadb:11", spec.Image)
	assert.Equal(t, []string{"--innodb-doublewrite=OFF", "--innodb-file-per-table=OFF", "--innodb-flush-log-at-trx-commit=0",
		"--max-connections=50", "--performance-schema=OFF", "--skip-log-bin", "--skip-name-resolve"}, spec.Cmd)
	assert.Equal(t, map[string]string{
		"MARIADB_ROOT_PASSWORD":      s.RootPassword(),
		"MARIADB_DATABASE":           "test",
		"MARIADB_USER":               "test",
		"MARIADB_PASSWORD":           s.Password(),
		"MARIADB_INITDB_SKIP_TZINFO": "1",
	}, spec.Env)
	assert.NotEqual(t, s.Password(), s.RootPassword())
	assert.Equal(t, []fixture.Mount{{Type: fixture.Tmpfs, Target: "/var/lib/mysql"}}, spec.Mounts)
	assert.Equal(t, []string{"3306/tcp"}, spec.Ports)
	assert.NotNil(t, spec.Wait)

	cfg = testFlavor.Defaults()
	cfg.User, cfg.TimeZoneTables = "root", true
	s, spec, err = Prepare(testFlavor, cfg)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"MARIADB_ROOT_PASSWORD": s.RootPassword(), "MARIADB_DATABASE": "test"}, spec.Env,
		"root is no MARIADB_USER, and the time zone tables load")
	assert.Equal(t, s.RootPassword(), s.Password())
}

func TestPrepareInvalid(t *testing.T) {
	cfg := testFlavor.Defaults()
	cfg.Image, cfg.Database, cfg.PoolSize = " ", "sys", -1
	cfg.InitScripts = []string{"/no/such/file.sql"}
	_, _, err := Prepare(testFlavor, cfg)
	require.Error(t, err)
	for _, want := range []string{"WithImage: the image is empty", "sys is a system database of MariaDB", "WithDatabasePool: the size is negative"} {
		assert.Contains(t, err.Error(), want)
	}
	cfg = testFlavor.Defaults()
	cfg.InitScripts = []string{"/no/such/file.sql"}
	_, _, err = Prepare(testFlavor, cfg)
	assert.ErrorContains(t, err, "init script: open /no/such/file.sql")
}

// The copy script makes the database, renames names qualified by the
// source, copies rows of the tables that have some (generated columns
// left out) and leaves the new database at the end.
func TestScript(t *testing.T) {
	tpl := &template{
		src: "test", name: "testdock_tpl_x", charset: "utf8mb4", collation: "utf8mb4_general_ci",
		tables: []table{
			{name: "a", create: "CREATE TABLE `a` (`id` int)", rows: true, cols: []string{"`id`"}},
			{name: "b", create: "CREATE TABLE `b` (`x` int, `y` int AS (x) VIRTUAL)"},
		},
		routines: []string{withMode("STRICT_ALL_TABLES", "CREATE FUNCTION `f`() RETURNS int RETURN 1")},
		views:    []string{"CREATE VIEW `v` AS select `test`.`a`.`id` AS `id` from `test`.`a`"},
		triggers: []string{withMode("", "CREATE TRIGGER `t` AFTER INSERT ON `a` FOR EACH ROW SET @x = 1")},
	}
	before, views, after := tpl.script("testdock_1_2", "testdock_tpl_x")
	assert.Equal(t, []string{
		"CREATE DATABASE `testdock_1_2` CHARACTER SET 'utf8mb4' COLLATE 'utf8mb4_general_ci'",
		"USE `testdock_1_2`",
		replayMode,
		"CREATE TABLE `a` (`id` int)",
		"CREATE TABLE `b` (`x` int, `y` int AS (x) VIRTUAL)",
		"INSERT INTO `testdock_1_2`.`a` (`id`) SELECT `id` FROM `testdock_tpl_x`.`a`",
		"SET SESSION sql_mode = 'STRICT_ALL_TABLES';\nCREATE FUNCTION `f`() RETURNS int RETURN 1",
	}, before)
	assert.Equal(t, []string{"CREATE VIEW `v` AS select `testdock_1_2`.`a`.`id` AS `id` from `testdock_1_2`.`a`"}, views)
	assert.Equal(t, replayMode, after[0])
	assert.Equal(t, "SET SESSION sql_mode = '';\nCREATE TRIGGER `t` AFTER INSERT ON `a` FOR EACH ROW SET @x = 1", after[1])
	assert.Equal(t, "USE information_schema", after[len(after)-1])
	assert.False(t, strings.Contains(strings.Join(append(append(before, views...), after...), "\n"), "`test`."), "no name of the source is left")
}
