package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"
	tcwait "github.com/testcontainers/testcontainers-go/wait"

	"github.com/testdock/testdock/modules/postgres"
)

// sqlPGImage is the image both sides run: what TESTDOCK_IMAGES maps
// postgres:17-alpine to here.
const sqlPGImage = "testdock.local/postgres:latest"

func migrate50(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, pgSchema(50))
	return err
}

// pgWork is the body of a test that gets a database: connect, write a row,
// read it back.
func pgWork(ctx context.Context, dsn string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "INSERT INTO t00 (name) VALUES ('x')"); err != nil {
		return err
	}
	var n int
	return conn.QueryRow(ctx, "SELECT count(*) FROM t00").Scan(&n)
}

// BenchmarkSQLPostgresNewDatabase: a database per test from a 50-table
// template: NewDatabase (the background pool, tests one after another and
// 8 in parallel) beside plain CREATE DATABASE ... TEMPLATE (both
// strategies) and beside a fresh migrated container. Each sample is one
// "test": get a database, write and read a row, drop it; the metrics are
// the latency of getting the database. Run with -benchtime=1x.
func BenchmarkSQLPostgresNewDatabase(b *testing.B) {
	const rounds, perRound, freshPerRound = 4, 50, 2
	ctx := b.Context()
	pg, err := postgres.Run(ctx, postgres.WithMigrations(migrate50))
	defer pg.Terminate(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, pg.DSN())
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(context.Background())
	var tpl string
	if err := admin.QueryRow(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'testdock_tpl_%'").Scan(&tpl); err != nil {
		b.Fatal(err)
	}

	var newdb, newdbTest, parallel, wal, fileCopy, fileCopyTest, fresh sqlSamples
	testdock := func() {
		tb := &sqlTB{TB: b}
		t0 := time.Now()
		d := pg.NewDatabase(tb)
		newdb = append(newdb, time.Since(t0))
		if err := pgWork(ctx, d.DSN()); err != nil {
			b.Fatal(err)
		}
		tb.end()
		newdbTest = append(newdbTest, time.Since(t0))
	}
	plain := func(strategy string, into, whole *sqlSamples, i int) {
		name := fmt.Sprintf("bench_%s_%d", strings.ToLower(strategy), i)
		t0 := time.Now()
		if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s STRATEGY %s", name, tpl, strategy)); err != nil {
			b.Fatal(err)
		}
		*into = append(*into, time.Since(t0))
		dsn := pg.DSN()[:len(pg.DSN())-len("/test?sslmode=disable")] + "/" + name + "?sslmode=disable"
		if err := pgWork(ctx, dsn); err != nil {
			b.Fatal(err)
		}
		if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			b.Fatal(err)
		}
		if whole != nil {
			*whole = append(*whole, time.Since(t0))
		}
	}
	freshOne := func() {
		t0 := time.Now()
		c, err := postgres.Run(ctx, postgres.WithMigrations(migrate50), postgres.WithDatabasePool(0))
		if err == nil {
			fresh = append(fresh, time.Since(t0))
			err = pgWork(ctx, c.DSN())
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
					d := pg.NewDatabase(tb)
					el := time.Since(t0)
					if err := pgWork(ctx, d.DSN()); err != nil {
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
	for r := range rounds {
		for range perRound { // tests one after another: the pool's case
			testdock()
		}
		for i := range perRound { // plain copies, interleaved sample by sample
			plain("WAL_LOG", &wal, nil, r*perRound+i)
			plain("FILE_COPY", &fileCopy, &fileCopyTest, r*perRound+i)
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
	sqlReport(b, "create-template-wal-log", wal, newdb)
	sqlReport(b, "create-template-file-copy", fileCopy, newdb)
	sqlReport(b, "create-template-file-copy-whole-test", fileCopyTest, newdbTest)
	sqlReport(b, "fresh-container", fresh, newdb)
	sqlRatio(b, "newdb/wal-log", newdb, wal)
	sqlRatio(b, "newdb/file-copy", newdb, fileCopy)
	sqlRatio(b, "newdb/fresh", newdb, fresh)
}

// BenchmarkSQLPostgresStart: from the call to the first successful query,
// testdock's postgres.Run beside testcontainers-go's postgres module with
// its documented wait strategy, on the same stand-in image, interleaved.
// Removal is not timed. Run with -benchtime=1x.
func BenchmarkSQLPostgresStart(b *testing.B) {
	const rounds = 10
	ctx := b.Context()
	tclog.SetDefault(sqlQuietLog{}) // testcontainers-go logs each step to stdout otherwise
	query := func(dsn string) error {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		var one int
		return conn.QueryRow(ctx, "SELECT 1").Scan(&one)
	}
	var td, tc, tcBasic sqlSamples
	testdock := func() {
		t0 := time.Now()
		pg, err := postgres.Run(ctx) // postgres:17-alpine, mapped to the stand-in
		if err == nil {
			err = query(pg.DSN())
			td = append(td, time.Since(t0))
		}
		if terr := pg.Terminate(context.Background()); err == nil {
			err = terr
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	testcontainersGo := func(into *sqlSamples, basic bool) {
		t0 := time.Now()
		opts := []testcontainers.ContainerCustomizer{
			tcpostgres.WithDatabase("test"), tcpostgres.WithUsername("postgres"), tcpostgres.WithPassword("secret"),
		}
		if basic {
			opts = append(opts, tcpostgres.BasicWaitStrategies())
		} else {
			opts = append(opts, testcontainers.WithWaitStrategy(
				tcwait.ForLog("database system is ready to accept connections").WithOccurrence(2).WithStartupTimeout(time.Minute)))
		}
		c, err := tcpostgres.Run(ctx, sqlPGImage, opts...)
		if err == nil {
			var dsn string
			if dsn, err = c.ConnectionString(ctx, "sslmode=disable"); err == nil {
				err = query(dsn)
				*into = append(*into, time.Since(t0))
			}
		}
		if terr := testcontainers.TerminateContainer(c); err == nil {
			err = terr
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	// One of each first, untimed: images and clients warm.
	testdock()
	testcontainersGo(new(sqlSamples), false)
	td = nil
	b.ResetTimer()
	for r := range rounds {
		if r%2 == 0 {
			testdock()
			testcontainersGo(&tc, false)
			testcontainersGo(&tcBasic, true)
		} else {
			testcontainersGo(&tcBasic, true)
			testcontainersGo(&tc, false)
			testdock()
		}
	}
	b.StopTimer()
	sqlReport(b, "testdock", td, nil)
	sqlReport(b, "testcontainers-forlog2", tc, td)
	sqlReport(b, "testcontainers-basic-wait", tcBasic, td)
	sqlRatio(b, "testdock/tc-forlog2", td, tc)
	sqlRatio(b, "testdock/tc-basic", td, tcBasic)
}

// sqlQuietLog discards testcontainers-go's log lines.
type sqlQuietLog struct{}

func (sqlQuietLog) Printf(string, ...any) {}
