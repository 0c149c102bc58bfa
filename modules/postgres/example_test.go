package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/postgres"
)

// A server for one test: ready and migrated when Start returns, removed
// when the test ends.
func ExampleStart() {
	var t *testing.T // the test's t
	pg := postgres.Start(t, postgres.WithMigrations(func(ctx context.Context, db *sql.DB) error {
		_, err := db.ExecContext(ctx, `CREATE TABLE orders (id bigserial PRIMARY KEY, item text)`)
		return err
	}))
	if _, err := pg.DB(t).Exec(`INSERT INTO orders (item) VALUES ('book')`); err != nil {
		t.Fatal(err)
	}
}

// One server for the whole test binary, a database of its own for each
// test.
func ExampleShared() {
	pg := postgres.Shared(postgres.WithMigrations(migrate))
	// func TestMain(m *testing.M) { fixture.Main(m) }
	_ = fixture.Main

	// func TestOrders(t *testing.T) {
	var t *testing.T // the test's t
	t.Parallel()
	db := pg.Get(t).NewDatabase(t).DB(t)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM orders`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// }
}

// Outside a test, Run returns errors and the caller terminates.
func ExampleRun() {
	ctx := context.Background()
	pg, err := postgres.Run(ctx, postgres.WithConfig("work_mem", "64MB"))
	defer pg.Terminate(ctx) // also after an error: Run returns what it made
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := pg.CreateDatabase(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Drop(ctx)
	fmt.Println(d.DSN())
}

// A test's own database, through a pgx pool.
func ExampleContainer_NewDatabase() {
	var t *testing.T // the test's t
	// testdata/schema.sql: an SQL file of your package.
	pg := postgres.Start(t, postgres.WithInitScripts("testdata/schema.sql"))
	pool := pg.NewDatabase(t).Pool(t)
	if _, err := pool.Exec(t.Context(), `SELECT 1`); err != nil {
		t.Fatal(err)
	}
}
