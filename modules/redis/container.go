package redis

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"sync"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/svckit"
	"github.com/testdock/testdock/wait"
)

// port is the server's port in the container.
const port = "6379/tcp"

// Container is a Redis server in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec,
// Restart, Terminate, ...).
//
// Its methods are safe for concurrent use by parallel tests.
type Container struct {
	*fixture.Container

	cfg      config
	password string

	mu   sync.Mutex
	free []int // logical databases not in use, lowest last
}

// Run starts a Redis server and returns when it answers PING with its
// password.
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	c, spec, err := prepare(opts)
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	fc, err := fixture.Run(ctx, spec)
	if fc == nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	c.Container = fc
	if err != nil {
		return c, fmt.Errorf("redis: %w", err)
	}
	return c, nil
}

// Start runs a Redis server for the test and fails the test if it can't.
// The server is ready when Start returns and removed when the test ends;
// when the test fails, its last log lines go to the test log. It is safe
// for parallel tests.
func Start(t testing.TB, opts ...Option) *Container {
	t.Helper()
	c, spec, err := prepare(opts)
	if err != nil {
		t.Fatalf("redis: start: %v", err)
	}
	c.Container = fixture.Start(t, spec)
	return c
}

// Shared returns a server shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
// Give each test a database of its own with NewDatabase.
func Shared(opts ...Option) *fixture.Shared[*Container] {
	return fixture.NewShared(func(ctx context.Context) (*Container, error) { return Run(ctx, opts...) })
}

func prepare(opts []Option) (*Container, fixture.Spec, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, fixture.Spec{}, err
	}
	c := &Container{cfg: cfg}
	if !cfg.noAuth {
		c.password = cfg.password
		if c.password == "" {
			c.password = svckit.Password()
		}
	}
	for i := cfg.databases - 1; i >= 1; i-- {
		c.free = append(c.free, i)
	}
	cmd := []string{"redis-server",
		"--databases", strconv.Itoa(cfg.databases),
		"--save", "", "--appendonly", "no",
	}
	probe, answer := "PING\r\n", wait.HasPrefix("+PONG")
	if c.password != "" {
		cmd = append(cmd, "--requirepass", c.password)
		probe, answer = "AUTH "+c.password+"\r\nPING\r\n", wait.HasPrefix("+OK\r\n+PONG")
	}
	spec := fixture.Spec{
		Image:          cfg.image,
		Cmd:            cmd,
		Ports:          []string{port},
		StartupTimeout: cfg.startupTimeout,
		Wait:           wait.ForPort(port).WithProbe(probe, answer),
	}
	spec.Hint = c.hint()
	return c, spec, nil
}

func (c *Container) hint() string {
	return fmt.Sprintf("redis: if the container exited or never answered, check that %s is a Redis image that keeps the official redis image's contract (the redis-server command, port 6379)", c.cfg.image)
}

// Addr returns the server's "host:port", e.g. "127.0.0.1:49153". It may
// change after Restart.
func (c *Container) Addr() string { return c.Endpoint(port) }

// Password returns the server's password: random for each server unless
// WithPassword set it, empty with WithoutAuth.
func (c *Container) Password() string { return c.password }

// URL returns the URL of logical database 0, e.g.
// "redis://:secret@127.0.0.1:49153/0".
func (c *Container) URL() string { return c.url(0) }

func (c *Container) url(db int) string {
	u := url.URL{Scheme: "redis", Host: c.Addr(), Path: "/" + strconv.Itoa(db)}
	if c.password != "" {
		u.User = url.UserPassword("", c.password)
	}
	return u.String()
}

// Options returns go-redis options for logical database db. Their Dialer
// dials the container's current address, so a client made from them
// reconnects after Restart even when the host port changed.
func (c *Container) Options(db int) *goredis.Options {
	return &goredis.Options{
		Addr:     c.Addr(),
		Password: c.password,
		DB:       db,
		Dialer: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, c.Addr())
		},
	}
}

// Client returns a go-redis client on logical database 0, closed when the
// test ends.
func (c *Container) Client(t testing.TB) *goredis.Client {
	t.Helper()
	return client(t, c.Options(0))
}

func client(t testing.TB, o *goredis.Options) *goredis.Client {
	rdb := goredis.NewClient(o)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}
