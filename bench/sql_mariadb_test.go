package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/testdock/testdock/modules/mariadb"
	"github.com/testdock/testdock/modules/mysql"
)

// myMigrate50 is a 50-table migration history as a migration tool runs
// it: 200 statements, one per round trip.
func myMigrate50(ctx context.Context, db *sql.DB) error {
	for _, s := range myHistory(50) {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// myRoot opens root's connections to c with several statements per Exec.
func myRoot(b *testing.B, c *mariadb.Container, database string) *sql.DB {
	cfg := mysqldriver.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName = "root", c.RootPassword(), "tcp", c.Endpoint("3306/tcp"), database
	cfg.MultiStatements = true
	conn, err := mysqldriver.NewConnector(cfg)
	if err != nil {
		b.Fatal(err)
	}
	db := sql.OpenDB(conn)
	b.Cleanup(func() { db.Close() })
	return db
}

// myWork is the body of a test that gets a database: connect, write a
// row, read it back.
func myWork(ctx context.Context, dsn string) error {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "INSERT INTO t00 (name) VALUES ('x')"); err != nil {
		return err
	}
	var n int
	return db.QueryRowContext(ctx, "SELECT count(*) FROM t00").Scan(&n)
}

// BenchmarkSQLMariaDBNewDatabase: the ways to give a test its own
// database on MariaDB (no CREATE DATABASE ... TEMPLATE there), with a
// 50-table template reached by a 200-statement migration history:
// testdock's NewDatabase (DDL replayed in one round trip, made ahead by the
// background pool), the same replay made on demand, with and without
// innodb_file_per_table, the migrations run again per database (one
// statement per round trip, and all in one), the final 50 CREATE TABLE
// statements written by hand in one round trip, CREATE TABLE ... LIKE per
// table, and a fresh migrated container. Each sample is
// one "test": get a database, write and read a row, drop it; the metrics
// are the latency of getting the database. Run with -benchtime=1x.
func BenchmarkSQLMariaDBNewDatabase(b *testing.B) {
	const rounds, perRound, freshPerRound = 4, 25, 1
	ctx := b.Context()
	start := func(opts ...mariadb.Option) *mariadb.Container {
		c, err := mariadb.Run(ctx, append([]mariadb.Option{mariadb.WithMigrations(myMigrate50)}, opts...)...)
		b.Cleanup(func() { c.Terminate(context.Background()) })
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	pooled := start()
	onDemand := start(mariadb.WithDatabasePool(0))
	perTable := start(mariadb.WithDatabasePool(0), mariadb.WithConfig("innodb_file_per_table", "ON"))
	root := myRoot(b, onDemand, "")
	var tpl string
	if err := root.QueryRowContext(ctx, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'testdock\\_tpl\\_%'").Scan(&tpl); err != nil {
		b.Fatal(err)
	}

	var newdb, newdbTest, parallel, replay, replayFPT, dropOff, dropFPT, migrations, migrationsOne, createTables, like, fresh sqlSamples
	testdock := func(c *mariadb.Container, into, whole, drops *sqlSamples) {
		tb := &sqlTB{TB: b}
		t0 := time.Now()
		d := c.NewDatabase(tb)
		*into = append(*into, time.Since(t0))
		if err := myWork(ctx, d.DSN()); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		tb.end()
		if drops != nil {
			*drops = append(*drops, time.Since(t1))
		}
		if whole != nil {
			*whole = append(*whole, time.Since(t0))
		}
	}
	seq := 0
	raw := func(into *sqlSamples, make func(name string) error) {
		seq++
		name := fmt.Sprintf("bench_%d", seq)
		t0 := time.Now()
		if err := make(name); err != nil {
			b.Fatal(err)
		}
		*into = append(*into, time.Since(t0))
		dsn := onDemand.DSN()
		dsn = dsn[:strings.LastIndex(dsn, "/")+1] + name
		if _, err := root.ExecContext(ctx, "GRANT ALL ON `"+name+"`.* TO 'test'@'%'"); err != nil {
			b.Fatal(err)
		}
		if err := myWork(ctx, dsn); err != nil {
			b.Fatal(err)
		}
		if _, err := root.ExecContext(ctx, "DROP DATABASE "+name); err != nil {
			b.Fatal(err)
		}
	}
	migrateEach := func(name string) error {
		if _, err := root.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			return err
		}
		db := myRoot(b, onDemand, name)
		defer db.Close()
		return myMigrate50(ctx, db)
	}
	migrateOne := func(name string) error {
		_, err := root.ExecContext(ctx, "CREATE DATABASE "+name+"; USE "+name+";\n"+strings.Join(myHistory(50), ";\n"))
		return err
	}
	createOne := func(name string) error {
		_, err := root.ExecContext(ctx, "CREATE DATABASE "+name+"; USE "+name+";\n"+strings.Join(mySchema(50), ";\n"))
		return err
	}
	createLike := func(name string) error {
		q := []string{"CREATE DATABASE " + name}
		for i := range 50 {
			q = append(q, fmt.Sprintf("CREATE TABLE %s.t%02d LIKE %s.t%02d", name, i, tpl, i))
		}
		_, err := root.ExecContext(ctx, strings.Join(q, ";\n"))
		return err
	}
	freshOne := func() {
		t0 := time.Now()
		c, err := mariadb.Run(ctx, mariadb.WithMigrations(myMigrate50), mariadb.WithDatabasePool(0))
		if err == nil {
			fresh = append(fresh, time.Since(t0))
			err = myWork(ctx, c.DSN())
		}
		if terr := c.Terminate(context.Background()); err == nil {
			err = terr
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	parallelTests := func(n, each int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				for range each {
					tb := &sqlTB{TB: b}
					t0 := time.Now()
					d := pooled.NewDatabase(tb)
					el := time.Since(t0)
					if err := myWork(ctx, d.DSN()); err != nil {
						b.Error(err)
					}
					tb.end()
					mu.Lock()
					parallel = append(parallel, el)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	}

	b.ResetTimer()
	for range rounds {
		for range perRound { // tests one after another: the pool's case
			testdock(pooled, &newdb, &newdbTest, nil)
		}
		for range perRound { // the ways to copy, interleaved sample by sample
			testdock(onDemand, &replay, nil, &dropOff)
			testdock(perTable, &replayFPT, nil, &dropFPT)
			raw(&migrations, migrateEach)
			raw(&migrationsOne, migrateOne)
			raw(&createTables, createOne)
			raw(&like, createLike)
		}
		parallelTests(8, perRound/8+1)
		for range freshPerRound {
			freshOne()
		}
	}
	b.StopTimer()
	sqlReport(b, "newdatabase", newdb, nil)
	sqlReport(b, "newdatabase-whole-test", newdbTest, nil)
	sqlReport(b, "newdatabase-8-parallel", parallel, nil)
	sqlReport(b, "replay-on-demand", replay, newdb)
	sqlReport(b, "replay-on-demand-file-per-table", replayFPT, newdb)
	sqlReport(b, "drop", dropOff, nil)
	sqlReport(b, "drop-file-per-table", dropFPT, nil)
	sqlReport(b, "migrations-per-statement", migrations, newdb)
	sqlReport(b, "migrations-one-round-trip", migrationsOne, newdb)
	sqlReport(b, "final-create-tables-one-round-trip", createTables, newdb)
	sqlReport(b, "create-table-like", like, newdb)
	sqlReport(b, "fresh-container", fresh, newdb)
	sqlRatio(b, "newdb/replay", newdb, replay)
	sqlRatio(b, "newdb/migrations", newdb, migrations)
	sqlRatio(b, "newdb/fresh", newdb, fresh)
	sqlRatio(b, "replay/migrations", replay, migrations)
}

// BenchmarkSQLMySQLStart: from the call to the first successful query,
// testdock's mariadb.Run and mysql.Run (both on the MariaDB stand-in
// here), interleaved. Removal is not timed. Run with -benchtime=1x.
func BenchmarkSQLMySQLStart(b *testing.B) {
	const rounds = 6
	ctx := b.Context()
	var maria, my sqlSamples
	one := func(into *sqlSamples, run func() (dsn string, terminate func() error, err error)) {
		t0 := time.Now()
		dsn, terminate, err := run()
		if err == nil {
			var db *sql.DB
			if db, err = sql.Open("mysql", dsn); err == nil {
				var n int
				err = db.QueryRowContext(ctx, "SELECT 1").Scan(&n)
				db.Close()
				*into = append(*into, time.Since(t0))
			}
		}
		if terr := terminate(); err == nil {
			err = terr
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	runMaria := func() (string, func() error, error) {
		c, err := mariadb.Run(ctx)
		terminate := func() error { return c.Terminate(context.Background()) }
		if err != nil {
			return "", terminate, err
		}
		return c.DSN(), terminate, nil
	}
	runMy := func() (string, func() error, error) {
		c, err := mysql.Run(ctx)
		terminate := func() error { return c.Terminate(context.Background()) }
		if err != nil {
			return "", terminate, err
		}
		return c.DSN(), terminate, nil
	}
	one(new(sqlSamples), runMaria) // warm
	b.ResetTimer()
	for r := range rounds {
		if r%2 == 0 {
			one(&maria, runMaria)
			one(&my, runMy)
		} else {
			one(&my, runMy)
			one(&maria, runMaria)
		}
	}
	b.StopTimer()
	sqlReport(b, "mariadb", maria, nil)
	sqlReport(b, "mysql-on-mariadb-stand-in", my, maria)
}
