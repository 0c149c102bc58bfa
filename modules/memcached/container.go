package memcached

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"

	"github.com/bradfitz/gomemcache/memcache"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

// port is the server's port in the container.
const port = "11211/tcp"

// Container is a memcached server in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec,
// Restart, Terminate, ...).
//
// Its methods are safe for concurrent use by parallel tests.
type Container struct {
	*fixture.Container

	cfg config
}

// Run starts a memcached server and returns when it answers "version".
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	c, spec, err := prepare(opts)
	if err != nil {
		return nil, fmt.Errorf("memcached: %w", err)
	}
	fc, err := fixture.Run(ctx, spec)
	if fc == nil {
		return nil, fmt.Errorf("memcached: %w", err)
	}
	c.Container = fc
	if err != nil {
		return c, fmt.Errorf("memcached: %w", err)
	}
	return c, nil
}

// Start runs a memcached server for the test and fails the test if it
// can't. The server is ready when Start returns and removed when the test
// ends; when the test fails, its last log lines go to the test log. It is
// safe for parallel tests.
func Start(t testing.TB, opts ...Option) *Container {
	t.Helper()
	c, spec, err := prepare(opts)
	if err != nil {
		t.Fatalf("memcached: start: %v", err)
	}
	c.Container = fixture.Start(t, spec)
	return c
}

// Shared returns a server shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
// Give each test a key namespace of its own with NewNamespace.
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
	spec := fixture.Spec{
		Image:          cfg.image,
		Cmd:            []string{"memcached", "-m", strconv.Itoa(cfg.memoryMB)},
		Ports:          []string{port},
		StartupTimeout: cfg.startupTimeout,
		Wait:           wait.ForPort(port).WithProbe("version\r\n", wait.HasPrefix("VERSION ")),
	}
	spec.Hint = c.hint()
	return c, spec, nil
}

func (c *Container) hint() string {
	return fmt.Sprintf("memcached: if the container exited or never answered, check that %s is a memcached image that keeps the official memcached image's contract (the memcached command, port 11211)", c.cfg.image)
}

// Addr returns the server's "host:port", e.g. "127.0.0.1:49153". It may
// change after Restart.
func (c *Container) Addr() string { return c.Endpoint(port) }

// Client returns a gomemcache client of the server, closed when the test
// ends (its idle connections). It dials the container's current address
// each time it connects, so it follows a Restart. It is safe for
// concurrent use.
func (c *Container) Client(t testing.TB) *memcache.Client {
	t.Helper()
	mc := c.NewClient()
	t.Cleanup(func() {
		if err := mc.Close(); err != nil {
			t.Errorf("memcached: close the client: %v", err)
		}
	})
	return mc
}

// NewClient is Client for callers without a test: the caller should call
// the client's Close when done, which closes its idle connections.
func (c *Container) NewClient() *memcache.Client {
	mc := memcache.New(c.Addr())
	mc.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, c.Addr())
	}
	return mc
}
