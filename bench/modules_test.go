package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/testdock/testdock/modules/etcd"
	"github.com/testdock/testdock/modules/mariadb"
	"github.com/testdock/testdock/modules/memcached"
	"github.com/testdock/testdock/modules/mqtt"
	"github.com/testdock/testdock/modules/mysql"
	"github.com/testdock/testdock/modules/nats"
	"github.com/testdock/testdock/modules/nginx"
	"github.com/testdock/testdock/modules/postgres"
	"github.com/testdock/testdock/modules/rabbitmq"
	"github.com/testdock/testdock/modules/redis"
)

// sbsModuleContainer is what the module start benchmark needs of a
// module's container.
type sbsModuleContainer interface {
	Terminate(ctx context.Context) error
	Inspect(ctx context.Context) (container.InspectResponse, error)
}

// sbsModule is one module of BenchmarkModuleStart.
type sbsModule struct {
	name         string // the package's name: "postgres"
	defaultImage string // the package's DefaultImage
	start        func(ctx context.Context) (sbsModuleContainer, error)
}

// sbsModuleRun adapts a module's Run, called with its defaults, to
// sbsModule.start. The container comes back with the error when Run made
// one (as Run documents), nil when it did not.
func sbsModuleRun[O, T any, P interface {
	*T
	sbsModuleContainer
}](run func(context.Context, ...O) (P, error)) func(context.Context) (sbsModuleContainer, error) {
	return func(ctx context.Context) (sbsModuleContainer, error) {
		c, err := run(ctx)
		if c == nil {
			return nil, err
		}
		return c, err
	}
}

// sbsModules are the modules of modules/, in the README's order.
var sbsModules = []sbsModule{
	{name: "postgres", defaultImage: postgres.DefaultImage, start: sbsModuleRun(postgres.Run)},
	{name: "mysql", defaultImage: mysql.DefaultImage, start: sbsModuleRun(mysql.Run)},
	{name: "mariadb", defaultImage: mariadb.DefaultImage, start: sbsModuleRun(mariadb.Run)},
	{name: "redis", defaultImage: redis.DefaultImage, start: sbsModuleRun(redis.Run)},
	{name: "nats", defaultImage: nats.DefaultImage, start: sbsModuleRun(nats.Run)},
	{name: "memcached", defaultImage: memcached.DefaultImage, start: sbsModuleRun(memcached.Run)},
	{name: "etcd", defaultImage: etcd.DefaultImage, start: sbsModuleRun(etcd.Run)},
	{name: "nginx", defaultImage: nginx.DefaultImage, start: sbsModuleRun(nginx.Run)},
	{name: "mqtt", defaultImage: mqtt.DefaultImage, start: sbsModuleRun(mqtt.Run)},
	{name: "rabbitmq", defaultImage: rabbitmq.DefaultImage, start: sbsModuleRun(rabbitmq.Run)},
}

// BenchmarkModuleStart measures each module's start to ready: the time
// Run (with its defaults, on the image TESTDOCK_IMAGES maps its default
// image to) takes to return, which is when the server answers through its
// own protocol with its credentials (a query, PING, an AMQP channel, ...).
// Terminate follows, untimed. The modules take turns as the cases'
// implementations do (sbsInterleave): each starts once untimed, then once
// a round, in an order that rotates each round.
//
// Modules take no labels, so the benchmark gives its containers a
// testdock.session of their own (TESTDOCK_SESSION) and fails if one that
// carries it is left. Each sample is a "#bf" line (sbsSample), and each
// module one machine-readable line for cmd/benchmarks:
//
//	#module module=postgres default_image="postgres:17-alpine" image="testdock.local/postgres:latest" n=3 median_ms=3012.4 min_ms=2950.1 max_ms=3100.7
//
// Run with -benchtime=1x; SBS_MODULE_ROUNDS sets the rounds (default 3;
// rabbitmq's start, the slowest by far, takes most of the time).
func BenchmarkModuleStart(b *testing.B) {
	rounds := sbsRounds("SBS_MODULE_ROUNDS", 3)
	r := make([]byte, 6)
	_, _ = rand.Read(r)
	session := "bench-modules-" + hex.EncodeToString(r)
	b.Setenv("TESTDOCK_SESSION", session)
	cli := sbsDocker(b)
	defer cli.Close()
	defer sbsLeftoversBy(b, cli, "testdock.session="+session)

	var names []string
	impls := map[string]sbsImpl{}
	image := map[string]string{}       // the image each module's container ran
	took := map[string]time.Duration{} // each module's last Run: the sample, not sbsInterleave's time
	for _, m := range sbsModules {
		names = append(names, m.name)
		impls[m.name] = func(ctx context.Context) error {
			t0 := time.Now()
			c, err := m.start(ctx)
			took[m.name] = time.Since(t0)
			if c == nil {
				return err
			}
			if image[m.name] == "" {
				if ins, ierr := c.Inspect(ctx); ierr == nil {
					image[m.name] = ins.Config.Image
				}
			}
			return errors.Join(err, c.Terminate(context.WithoutCancel(ctx)))
		}
	}
	got := map[string][]time.Duration{}
	sbsInterleave(b, rounds, names, impls, nil, func(n string, _ time.Time, _ time.Duration) { got[n] = append(got[n], took[n]) })

	for _, m := range sbsModules {
		s := got[m.name]
		for _, d := range s {
			sbsSample("BenchmarkModuleStart/module="+m.name, float64(d.Nanoseconds()), "ns/op")
		}
		med := sbsQuantile(s, 0.5)
		b.ReportMetric(sbsMS(med), m.name+"-ms")
		fmt.Printf("#module module=%s default_image=%q image=%q n=%d median_ms=%.1f min_ms=%.1f max_ms=%.1f\n",
			m.name, m.defaultImage, image[m.name], len(s), sbsMS(med), sbsMS(sbsQuantile(s, 0)), sbsMS(sbsQuantile(s, 1)))
	}
}
