package postgres_test

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

	"github.com/testdock/testdock/modules/postgres"
)

// A server from Start answers through DB, Pool and DSN, runs the test
// settings on a tmpfs, and takes WithConfig, WithUser and WithDatabase.
func TestStart(t *testing.T) {
	t.Parallel()
	pg := postgres.Start(t, postgres.WithUser("alice"), postgres.WithDatabase("shop"), postgres.WithConfig("work_mem", "7MB"))
	assert.True(t, strings.HasPrefix(pg.DSN(), "postgres://alice:"+pg.Password()+"@127.0.0.1:"), pg.DSN())
	assert.Len(t, pg.Password(), 24)

	db := pg.DB(t)
	var user, database string
	require.NoError(t, db.QueryRow("SELECT current_user, current_database()").Scan(&user, &database))
	assert.Equal(t, "alice", user)
	assert.Equal(t, "shop", database)
	for name, want := range map[string]string{"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "1000", "work_mem": "7MB"} {
		var got string
		require.NoError(t, db.QueryRow("SHOW "+name).Scan(&got))
		assert.Equal(t, want, got, name)
	}

	var n int
	require.NoError(t, pg.Pool(t).QueryRow(t.Context(), "SELECT 41 + 1").Scan(&n))
	assert.Equal(t, 42, n)

	ins, err := pg.Inspect(t.Context())
	require.NoError(t, err)
	var tmpfs bool
	for _, m := range ins.HostConfig.Mounts {
		tmpfs = tmpfs || (m.Type == "tmpfs" && m.Target == "/var/lib/postgresql/data")
	}
	assert.True(t, tmpfs, "the data directory is a tmpfs: %+v", ins.HostConfig.Mounts)
}

// Rows written in one test's database are invisible to another's, and the
// server's own database is untouched.
func TestIsolation(t *testing.T) {
	t.Parallel()
	pg := shared.Get(t)
	var mu sync.Mutex
	names := map[string]bool{}
	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				d := pg.NewDatabase(t)
				db := d.DB(t)
				for j := range i + 1 {
					_, err := db.Exec("INSERT INTO orders (item) VALUES ($1)", fmt.Sprintf("item %d of test %d", j, i))
					require.NoError(t, err)
				}
				var n int
				require.NoError(t, db.QueryRow("SELECT count(*) FROM orders").Scan(&n))
				assert.Equal(t, i+1, n, "only this test's rows")
				var currency string
				require.NoError(t, db.QueryRow("SELECT value FROM settings WHERE name = 'currency'").Scan(&currency))
				assert.Equal(t, "EUR", currency, "the migration's rows are there")
				mu.Lock()
				names[d.Name()] = true
				mu.Unlock()
			})
		}
	})
	assert.Len(t, names, 4, "each test had its own database")
	var n int
	require.NoError(t, pg.DB(t).QueryRow("SELECT count(*) FROM orders").Scan(&n))
	assert.Zero(t, n, "the server's database is untouched")
}

// 64 parallel tests, each with its own database and a few connections,
// fit in the server; the migrations ran once for all of them.
func TestParallel64(t *testing.T) {
	t.Parallel()
	pg := shared.Get(t)
	t.Run("group", func(t *testing.T) {
		for i := range 64 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				db := pg.NewDatabase(t).DB(t)
				var wg sync.WaitGroup
				for range 3 { // several connections per test at once
					wg.Go(func() {
						_, err := db.Exec("INSERT INTO orders (item) VALUES ($1)", "x")
						assert.NoError(t, err)
						_, err = db.Exec("SELECT pg_sleep(0.01)")
						assert.NoError(t, err)
					})
				}
				wg.Wait()
				var n int
				require.NoError(t, db.QueryRow("SELECT count(*) FROM orders").Scan(&n))
				assert.Equal(t, 3, n)
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
	sqlFile := filepath.Join(dir, "schema.sql")
	require.NoError(t, os.WriteFile(sqlFile, []byte("CREATE TABLE fruit (name text);\nINSERT INTO fruit VALUES ('apple');\n"), 0o644))
	shFile := filepath.Join(dir, "more.sh")
	require.NoError(t, os.WriteFile(shFile, []byte("#!/bin/sh\nset -e\npsql -v ON_ERROR_STOP=1 -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\" -c \"INSERT INTO fruit VALUES ('pear')\"\n"), 0o755))
	pg := postgres.Start(t, postgres.WithInitScripts(sqlFile, shFile))
	var got []string
	rows, err := pg.NewDatabase(t).DB(t).Query("SELECT name FROM fruit ORDER BY name")
	require.NoError(t, err)
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		got = append(got, s)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"apple", "pear"}, got)
}

// A migration that fails names the failing statement and its line.
func TestBadMigration(t *testing.T) {
	t.Parallel()
	pg, err := postgres.Run(t.Context(), postgres.WithMigrations(migrate, badMigration))
	t.Cleanup(func() { assert.NoError(t, pg.Terminate(context.Background())) })
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "migration 2 (github.com/testdock/testdock/modules/postgres_test.badMigration) failed")
	assert.Contains(t, msg, `relation "customers" does not exist`)
	assert.Contains(t, msg, "at line 3 of 4")
	assert.Contains(t, msg, "=>    3 | INSERT INTO customers (name) VALUES ('bob');")
	_, err = pg.CreateDatabase(t.Context())
	assert.ErrorContains(t, err, "start failed", "a server whose start failed makes no databases")
}

func badMigration(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, "CREATE TABLE people (name text);\nINSERT INTO people VALUES ('ann');\nINSERT INTO customers (name) VALUES ('bob');\nSELECT 1;")
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// A wrong image gives an error that says what went wrong and what to
// check, and leaves nothing behind.
func TestWrongImage(t *testing.T) {
	t.Parallel()
	t.Run("not postgres", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		pg, err := postgres.Run(ctx, postgres.WithImage("testdock.local/testserver:latest"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "container exited with code")
		assert.Contains(t, err.Error(), "check that testdock.local/testserver:latest is a PostgreSQL image")
		require.NotNil(t, pg, "the container made is returned to be terminated")
		require.NoError(t, pg.Terminate(context.Background()))
		_, err = pg.Inspect(context.Background())
		assert.Error(t, err, "the container is gone")
	})
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		pg, err := postgres.Run(t.Context(), postgres.WithImage("testdock.local/no-such-postgres:latest"))
		require.Error(t, err)
		assert.Nil(t, pg)
		assert.Contains(t, err.Error(), "testdock.local/no-such-postgres:latest is not on the engine and can't be pulled")
	})
	t.Run("bad options", func(t *testing.T) {
		t.Parallel()
		_, err := postgres.Run(t.Context(), postgres.WithImage(""), postgres.WithDatabase("template1"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithImage: the image is empty")
		assert.Contains(t, err.Error(), "template1 is PostgreSQL's own template")
	})
}

// Terminate stops the background work: later calls say the server is gone.
func TestTerminate(t *testing.T) {
	t.Parallel()
	pg, err := postgres.Run(t.Context(), postgres.WithDatabasePool(2))
	require.NoError(t, err)
	d, err := pg.CreateDatabase(t.Context())
	require.NoError(t, err)
	require.NoError(t, d.Drop(t.Context()))
	require.NoError(t, pg.Terminate(context.Background()))
	require.NoError(t, pg.Terminate(context.Background()), "twice is fine")
	_, err = pg.CreateDatabase(t.Context())
	assert.ErrorContains(t, err, "terminated")
}

// With the server's database named "postgres", the template is taken from
// it (the admin connections sit on template1 then).
func TestDatabaseNamedPostgres(t *testing.T) {
	t.Parallel()
	pg := postgres.Start(t, postgres.WithDatabase("postgres"))
	_, err := pg.DB(t).Exec("CREATE TABLE before_tests (x int)")
	require.NoError(t, err)
	var n int
	require.NoError(t, pg.NewDatabase(t).DB(t).QueryRow("SELECT count(*) FROM pg_tables WHERE tablename = 'before_tests'").Scan(&n))
	assert.Zero(t, n, "the template was taken before the test wrote")
}
