package mariadb_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/mariadb"
)

// A server for one test: ready and migrated when Start returns, removed
// when the test ends.
func ExampleStart() {
	var t *testing.T // the test's t
	c := mariadb.Start(t, mariadb.WithMigrations(func(ctx context.Context, db *sql.DB) error {
		_, err := db.ExecContext(ctx, `CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, item TEXT)`)
		return err
	}))
	if _, err := c.DB(t).Exec(`INSERT INTO orders (item) VALUES ('book')`); err != nil {
		t.Fatal(err)
	}
}

// One server for the whole test binary, a database of its own for each
// test.
func ExampleShared() {
	server := mariadb.Shared(mariadb.WithMigrations(migrate))
	// func TestMain(m *testing.M) { fixture.Main(m) }
	_ = fixture.Main

	// func TestOrders(t *testing.T) {
	var t *testing.T // the test's t
	t.Parallel()
	db := server.Get(t).NewDatabase(t).DB(t)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM orders`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// }
}

// Outside a test, Run returns errors and the caller terminates.
func ExampleRun() {
	ctx := context.Background()
	c, err := mariadb.Run(ctx, mariadb.WithConfig("max_allowed_packet", "64M"))
	defer c.Terminate(ctx) // also after an error: Run returns what it made
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := c.CreateDatabase(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Drop(ctx)
	fmt.Println(d.DSN())
}
