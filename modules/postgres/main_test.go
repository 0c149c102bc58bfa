package postgres_test

import (
	"context"
	"database/sql"
	"sync/atomic"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/internal/leaktest"
	"github.com/testdock/testdock/modules/postgres"
)

func TestMain(m *testing.M) {
	fixture.Main(m, leaktest.Find)
}

// migrations counts the runs of the shared server's migration.
var migrations atomic.Int32

// sharedMigrate is the shared server's migration, counted.
func sharedMigrate(ctx context.Context, db *sql.DB) error {
	migrations.Add(1)
	return migrate(ctx, db)
}

// migrate makes the schema the tests use.
func migrate(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `
		CREATE TABLE orders (id bigserial PRIMARY KEY, item text NOT NULL);
		CREATE TABLE settings (name text PRIMARY KEY, value text);
		INSERT INTO settings VALUES ('currency', 'EUR');`)
	return err
}

// shared is the server of the tests that share one.
var shared = postgres.Shared(postgres.WithMigrations(sharedMigrate))
