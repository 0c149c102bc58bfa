package mysql_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/modules/mysql"
)

// A server from Start answers through DB and DSN, runs the test settings
// on a tmpfs, and takes WithConfig, WithUser and WithDatabase.
func TestStart(t *testing.T) {
	t.Parallel()
	c := mysql.Start(t, mysql.WithUser("alice"), mysql.WithDatabase("shop"), mysql.WithConfig("max_allowed_packet", "33554432"))
	assert.True(t, strings.HasPrefix(c.DSN(), "alice:"+c.Password()+"@tcp(127.0.0.1:"), c.DSN())
	assert.Len(t, c.Password(), 24)
	assert.NotEqual(t, c.Password(), c.RootPassword())

	db := c.DB(t)
	var user, database string
	require.NoError(t, db.QueryRow("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1), DATABASE()").Scan(&user, &database))
	assert.Equal(t, "alice", user)
	assert.Equal(t, "shop", database)
	for name, want := range map[string]string{
		"innodb_flush_log_at_trx_commit": "0",
		"innodb_doublewrite":             "OFF",
		"innodb_file_per_table":          "OFF",
		"max_connections":                "1000",
		"performance_schema":             "OFF",
		"skip_name_resolve":              "ON",
		"log_bin":                        "OFF",
		"max_allowed_packet":             "33554432",
	} {
		var n, got string
		require.NoError(t, db.QueryRow("SHOW GLOBAL VARIABLES LIKE '"+name+"'").Scan(&n, &got))
		assert.Equal(t, want, got, name)
	}

	ins, err := c.Inspect(t.Context())
	require.NoError(t, err)
	var tmpfs bool
	for _, m := range ins.HostConfig.Mounts {
		tmpfs = tmpfs || (m.Type == "tmpfs" && m.Target == "/var/lib/mysql")
	}
	assert.True(t, tmpfs, "the data directory is a tmpfs: %+v", ins.HostConfig.Mounts)
}

// count returns the rows of a query that returns one number.
func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(q, args...).Scan(&n), q)
	return n
}

// Rows written in one test's database are invisible to another's, and the
// server's own database is untouched.
func TestIsolation(t *testing.T) {
	t.Parallel()
	c := shared.Get(t)
	var mu sync.Mutex
	names := map[string]bool{}
	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				d := c.NewDatabase(t)
				db := d.DB(t)
				for j := range i + 1 {
					_, err := db.Exec("INSERT INTO orders (customer_id, item) VALUES (1, ?)", fmt.Sprintf("item %d of test %d", j, i))
					require.NoError(t, err)
				}
				assert.Equal(t, i+1, count(t, db, "SELECT count(*) FROM orders"), "only this test's rows")
				mu.Lock()
				names[d.Name()] = true
				mu.Unlock()
			})
		}
	})
	assert.Len(t, names, 4, "each test had its own database")
	assert.Zero(t, count(t, c.DB(t), "SELECT count(*) FROM orders"), "the server's database is untouched")
}

// A test's database has all the template has, working: rows, counters,
// generated columns, foreign keys, views on views, routines and triggers.
func TestTemplateFidelity(t *testing.T) {
	t.Parallel()
	c := shared.Get(t)
	db := c.NewDatabase(t).DB(t)

	var currency string
	require.NoError(t, db.QueryRow("SELECT value FROM settings WHERE name = 'currency'").Scan(&currency))
	assert.Equal(t, "EUR", currency)
	assert.Equal(t, 2, count(t, db, "SELECT count(*) FROM customers"))

	_, err := db.Exec("INSERT INTO customers (name) VALUES ('cat')")
	require.NoError(t, err)
	assert.Equal(t, 3, count(t, db, "SELECT id FROM customers WHERE name = 'cat'"), "the AUTO_INCREMENT counter went on from the template's")

	_, err = db.Exec("INSERT INTO orders (customer_id, item, qty, price) VALUES (1, 'piano', 2, 100.00)")
	require.NoError(t, err)
	var total string
	require.NoError(t, db.QueryRow("SELECT total FROM orders WHERE item = 'piano'").Scan(&total))
	assert.Equal(t, "200.00", total, "generated column")
	assert.Equal(t, 1, count(t, db, "SELECT count(*) FROM big_orders"), "view on a view")
	var withTax string
	require.NoError(t, db.QueryRow("SELECT with_tax(total) FROM orders WHERE item = 'piano'").Scan(&withTax))
	assert.Equal(t, "240.00", withTax, "function")
	_, err = db.Exec("CALL add_customer('dan')")
	require.NoError(t, err, "procedure")
	assert.Equal(t, 4, count(t, db, "SELECT count(*) FROM customers"))
	var what string
	require.NoError(t, db.QueryRow("SELECT what FROM audit").Scan(&what))
	assert.Equal(t, "order 1 piano", what, "trigger")

	_, err = db.Exec("INSERT INTO orders (customer_id, item) VALUES (99, 'ghost')")
	assert.ErrorContains(t, err, "foreign key constraint fails", "foreign keys are checked")
}

// 64 parallel tests, each with its own database and a few connections,
// fit in the server; the migrations ran once for all of them.
func TestParallel64(t *testing.T) {
	t.Parallel()
	c := shared.Get(t)
	t.Run("group", func(t *testing.T) {
		for i := range 64 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				db := c.NewDatabase(t).DB(t)
				var wg sync.WaitGroup
				for range 3 { // several connections per test at once
					wg.Go(func() {
						_, err := db.Exec("INSERT INTO orders (customer_id, item) VALUES (2, 'x')")
						assert.NoError(t, err)
						_, err = db.Exec("DO SLEEP(0.01)")
						assert.NoError(t, err)
					})
				}
				wg.Wait()
				assert.Equal(t, 3, count(t, db, "SELECT count(*) FROM orders"))
			})
		}
	})
	assert.EqualValues(t, 1, migrations.Load(), "migrations run once per server")
}

// Init scripts run in the server's database and are in every test's
// database.
func TestInitScripts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "schema.sql")
	require.NoError(t, os.WriteFile(file, []byte("CREATE TABLE fruit (name VARCHAR(20));\nINSERT INTO fruit VALUES ('apple'), ('pear');\n"), 0o644))
	c := mysql.Start(t, mysql.WithInitScripts(file), mysql.WithDatabasePool(0))
	assert.Equal(t, 2, count(t, c.NewDatabase(t).DB(t), "SELECT count(*) FROM fruit"))
}

// A migration that fails names the failing statement.
func TestBadMigration(t *testing.T) {
	t.Parallel()
	c, err := mysql.Run(t.Context(), mysql.WithMigrations(badMigration))
	t.Cleanup(func() { assert.NoError(t, c.Terminate(context.Background())) })
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "migration 1 (github.com/testdock/testdock/modules/mysql_test.badMigration) failed")
	assert.Contains(t, msg, "Table 'test.customers' doesn't exist")
	assert.Contains(t, msg, "failing statement:\n\tINSERT INTO customers (name) VALUES (?)")
	_, err = c.CreateDatabase(t.Context())
	assert.ErrorContains(t, err, "start failed", "a server whose start failed makes no databases")
}

func badMigration(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, "CREATE TABLE people (name VARCHAR(20))"); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO customers (name) VALUES (?)", "bob"); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// A wrong image gives an error that says what went wrong and what to
// check, and leaves nothing behind.
func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not mysql", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		c, err := mysql.Run(ctx, mysql.WithImage("testdock.local/testserver:latest"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "container exited with code")
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is a MySQL image")
		require.NotNil(t, c, "the container made is returned to be terminated")
		require.NoError(t, c.Terminate(context.Background()))
		_, err = c.Inspect(context.Background())
		assert.Error(t, err, "the container is gone")
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		c, err := mysql.Run(t.Context(), mysql.WithImage("testdock.local/no-such-mysql:latest"))
		require.Error(t, err)
		assert.Nil(t, c)
		assert.Contains(t, err.Error(), "testdock.local/no-such-mysql:latest is not on the engine and can't be pulled")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := mysql.Run(t.Context(), mysql.WithDatabase("mysql"), mysql.WithUser(""))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "mysql is a system database")
		assert.Contains(t, err.Error(), "WithUser: the name is empty")
	})
}

// Terminate stops the background work: later calls say the server is gone.
func TestTerminate(t *testing.T) {
	t.Parallel()
	c, err := mysql.Run(t.Context(), mysql.WithUser("root"))
	require.NoError(t, err)
	d, err := c.CreateDatabase(t.Context())
	require.NoError(t, err)
	assert.Contains(t, d.DSN(), "root:"+c.RootPassword()+"@")
	require.NoError(t, d.Drop(t.Context()))
	require.NoError(t, c.Terminate(context.Background()))
	require.NoError(t, c.Terminate(context.Background()), "twice is fine")
	_, err = c.CreateDatabase(t.Context())
	assert.ErrorContains(t, err, "terminated")
}
