package nats

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/svckit"
	"github.com/testdock/testdock/wait"
)

// port is the client port in the container.
const port = "4222/tcp"

// Container is a NATS server in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec,
// Restart, Terminate, ...).
//
// Its methods are safe for concurrent use by parallel tests.
type Container struct {
	*fixture.Container

	cfg      config
	password string
}

// Run starts a NATS server and returns when a client can connect with the
// server's credentials (and, with WithJetStream, JetStream answers).
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	c, spec, err := prepare(opts)
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	fc, err := fixture.Run(ctx, spec)
	if fc == nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	c.Container = fc
	if err != nil {
		return c, fmt.Errorf("nats: %w", err)
	}
	return c, nil
}

// Start runs a NATS server for the test and fails the test if it can't.
// The server is ready when Start returns and removed when the test ends;
// when the test fails, its last log lines go to the test log. It is safe
// for parallel tests.
func Start(t testing.TB, opts ...Option) *Container {
	t.Helper()
	c, spec, err := prepare(opts)
	if err != nil {
		t.Fatalf("nats: start: %v", err)
	}
	c.Container = fixture.Start(t, spec)
	return c
}

// Shared returns a server shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
// Give each test a subject prefix of its own with NewPrefix.
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
	c := &Container{cfg: cfg, password: svckit.Password()}
	// Not the image's nats-server.conf: its cluster block would make
	// JetStream a (routeless) cluster.
	cmd := []string{"--port", "4222", "--http_port", "8222", "--server_name", "testdock", "--user", cfg.user, "--pass", c.password}
	if cfg.jetStream {
		cmd = append(cmd, "--jetstream", "--store_dir", "/data")
	}
	spec := fixture.Spec{
		Image:          cfg.image,
		Cmd:            cmd,
		Ports:          []string{port},
		StartupTimeout: cfg.startupTimeout,
		Wait:           wait.ForFunc(c.ready).WithName("nats connect as " + cfg.user),
	}
	spec.Hint = c.hint()
	return c, spec, nil
}

// ready is one readiness attempt: connect, flush and, with JetStream, ask
// for the account's JetStream information.
func (c *Container) ready(ctx context.Context, t wait.Target) wait.Result {
	ep, err := t.Endpoint(ctx, port)
	if err != nil {
		return wait.NotYet("%w", err)
	}
	nc, err := nats.Connect("nats://"+ep, nats.UserInfo(c.cfg.user, c.password),
		nats.Timeout(time.Second), nats.NoReconnect())
	if err != nil {
		if err == nats.ErrAuthorization {
			return wait.Never("%w", err)
		}
		return wait.NotYet("connect: %w", err)
	}
	defer nc.Close()
	if err := nc.FlushWithContext(ctx); err != nil {
		return wait.NotYet("flush: %w", err)
	}
	if c.cfg.jetStream {
		js, err := jetstream.New(nc)
		if err != nil {
			return wait.NotYet("jetstream: %w", err)
		}
		if _, err := js.AccountInfo(ctx); err != nil {
			return wait.NotYet("jetstream account info: %w", err)
		}
	}
	return wait.Ready()
}

func (c *Container) hint() string {
	return fmt.Sprintf("nats: if the container exited or never answered, check that %s is a NATS image that keeps the official nats image's contract (the nats-server entrypoint and its flags, port 4222)", c.cfg.image)
}

// URL returns the server's URL with its credentials, e.g.
// "nats://test:secret@127.0.0.1:49153". The port may change after Restart.
func (c *Container) URL() string {
	u := url.URL{Scheme: "nats", User: url.UserPassword(c.cfg.user, c.password), Host: c.Endpoint(port)}
	return u.String()
}

// User returns the user name.
func (c *Container) User() string { return c.cfg.user }

// Password returns the user's password, random for each server.
func (c *Container) Password() string { return c.password }

// Options returns nats.go options that connect with the server's
// credentials, dial the container's current address each time (so they
// follow a Restart) and reconnect without limit every 50 ms.
func (c *Container) Options() []nats.Option {
	return []nats.Option{
		nats.UserInfo(c.cfg.user, c.password),
		nats.SetCustomDialer(dialer{c}),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(50 * time.Millisecond),
		nats.ReconnectJitter(0, 0),
	}
}

// dialer dials the container's current client endpoint.
type dialer struct{ c *Container }

// Dial dials the client endpoint the container has now, whatever address
// nats.go asks for.
func (d dialer) Dial(network, _ string) (net.Conn, error) {
	return net.DialTimeout(network, d.c.Endpoint(port), 2*time.Second)
}

// Conn returns a connection to the server, closed when the test ends.
// Extra options are applied after Options.
func (c *Container) Conn(t testing.TB, opts ...nats.Option) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect("nats://"+c.Endpoint(port), append(c.Options(), opts...)...)
	if err != nil {
		t.Fatalf("nats: connect: %v", err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// JetStream returns a JetStream context on a new connection (see Conn),
// closed when the test ends. The server must have been started
// WithJetStream.
func (c *Container) JetStream(t testing.TB) jetstream.JetStream {
	t.Helper()
	if !c.cfg.jetStream {
		t.Fatalf("nats: JetStream: the server was started without JetStream: add nats.WithJetStream()")
	}
	js, err := jetstream.New(c.Conn(t))
	if err != nil {
		t.Fatalf("nats: jetstream: %v", err)
	}
	return js
}
