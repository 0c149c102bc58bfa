package bench

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	dockertest "github.com/ory/dockertest/v3"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"

	"github.com/testdock/testdock/modules/postgres"
)

// sbsPostgres is the PostgreSQL stand-in image (local, never pulled).
const sbsPostgres = "testdock.local/postgres:latest"

// sbsPGEnv is what every side's container is told: the official image's
// contract.
var sbsPGEnv = []string{"POSTGRES_USER=postgres", "POSTGRES_PASSWORD=secret", "POSTGRES_DB=test"}

// sbsPGQuery is one try of the first use: connect and SELECT 1.
func sbsPGQuery(ctx context.Context, dsn string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var one int
	return conn.QueryRow(ctx, "SELECT 1").Scan(&one)
}

func sbsPGDSN(addr string) string {
	return "postgres://postgres:secret@" + addr + "/test?sslmode=disable"
}

// BenchmarkStartPostgres is case 2 of issue 6: a PostgreSQL server on the
// stand-in image from the call to the first successful query, then
// removed, interleaved round by round:
//
//   - floor: the moby client alone, with the container settings that
//     testdock's module uses (data directory on a tmpfs, initdb --no-sync,
//     TZ=UTC, fsync=off and friends), polling connect+SELECT 1 (pauses from 1 ms, doubling
//     to 16 ms);
//   - floor-plain: the same with the image's defaults (only the
//     credentials), what the peers below run;
//   - testdock: postgres.Run (its defaults), the query, Terminate;
//   - testcontainers-go: its postgres module with its documented wait
//     (BasicWaitStrategies), the query, Terminate;
//   - dockertest: RunWithOptions, Retry of the query, Purge.
//
// Run with -benchtime=1x; SBS_PG_ROUNDS sets the rounds (default 6).
func BenchmarkStartPostgres(b *testing.B) {
	rounds := sbsRounds("SBS_PG_ROUNDS", 6)
	tclog.SetDefault(sbsQuiet{})
	cli := sbsDocker(b)
	defer cli.Close()
	defer sbsLeftovers(b, cli)
	pool, err := dockertest.NewPool("")
	if err != nil {
		b.Fatal(err)
	}
	labels := map[string]string{sbsLabel: sbsLabelValue}
	query := func(ctx context.Context, addr string) error { return sbsPGQuery(ctx, sbsPGDSN(addr)) }
	tuned := []string{"postgres"}
	for _, s := range []string{"fsync=off", "full_page_writes=off", "log_checkpoints=off", "max_connections=1000", "synchronous_commit=off"} {
		tuned = append(tuned, "-c", s)
	}
	impls := map[string]sbsImpl{
		"floor": func(ctx context.Context) error {
			return sbsFloor(ctx, cli, sbsFloorSpec{
				image: sbsPostgres, port: "5432/tcp", cmd: tuned,
				env:   append([]string{"PGDATA=/var/lib/postgresql/data", "POSTGRES_INITDB_ARGS=--no-sync", "TZ=UTC"}, sbsPGEnv...),
				tmpfs: "/var/lib/postgresql/data", pause: 16 * time.Millisecond,
				ready: query,
			})
		},
		"floor-plain": func(ctx context.Context) error {
			return sbsFloor(ctx, cli, sbsFloorSpec{image: sbsPostgres, port: "5432/tcp", env: sbsPGEnv, ready: query, pause: 16 * time.Millisecond})
		},
		"testdock": func(ctx context.Context) error {
			pg, err := postgres.Run(ctx, postgres.WithImage(sbsPostgres))
			if err == nil {
				err = sbsPGQuery(ctx, pg.DSN())
			}
			if pg == nil {
				return err
			}
			return errors.Join(err, pg.Terminate(context.WithoutCancel(ctx)))
		},
		"testcontainers-go": func(ctx context.Context) error {
			c, err := tcpostgres.Run(ctx, sbsPostgres,
				tcpostgres.WithDatabase("test"), tcpostgres.WithUsername("postgres"), tcpostgres.WithPassword("secret"),
				tcpostgres.BasicWaitStrategies(),
				testcontainers.WithLabels(labels),
				sbsTCLoopback("5432/tcp"),
			)
			if err == nil {
				var dsn string
				if dsn, err = c.ConnectionString(ctx, "sslmode=disable"); err == nil {
					err = sbsPGQuery(ctx, dsn)
				}
			}
			return errors.Join(err, testcontainers.TerminateContainer(c))
		},
		"dockertest": func(ctx context.Context) error {
			return sbsDockertestRun(pool, "testdock.local/postgres", nil, sbsPGEnv, "5432/tcp",
				func(addr string) error { return query(ctx, addr) })
		},
	}
	names := []string{"floor", "testdock", "testcontainers-go", "dockertest", "floor-plain"}
	c := newSBSCase(b, "postgres", names...)
	sbsInterleave(b, rounds, names, impls, nil, func(n string, _ time.Time, took time.Duration) { c.add(n, took) })
	c.report(b)
}
