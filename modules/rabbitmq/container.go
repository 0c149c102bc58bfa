package rabbitmq

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/svckit"
	"github.com/testdock/testdock/wait"
)

const (
	// amqpPort is the AMQP port in the container.
	amqpPort = "5672/tcp"
	// mgmtPort is the management API's port in the container.
	mgmtPort = "15672/tcp"
)

// Container is a RabbitMQ broker in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec,
// Restart, Terminate, ...).
//
// Its methods are safe for concurrent use by parallel tests.
type Container struct {
	*fixture.Container

	cfg      config
	password string
}

// Run starts a broker and returns when it accepts an AMQP connection with
// its credentials and its management API answers.
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	c, spec, err := prepare(opts)
	if err != nil {
		return nil, fmt.Errorf("rabbitmq: %w", err)
	}
	fc, err := fixture.Run(ctx, spec)
	if fc == nil {
		return nil, fmt.Errorf("rabbitmq: %w", err)
	}
	c.Container = fc
	if err != nil {
		return c, fmt.Errorf("rabbitmq: %w", err)
	}
	return c, nil
}

// Start runs a broker for the test and fails the test if it can't. The
// broker is ready when Start returns and removed when the test ends; when
// the test fails, its last log lines go to the test log. It is safe for
// parallel tests.
func Start(t testing.TB, opts ...Option) *Container {
	t.Helper()
	c, spec, err := prepare(opts)
	if err != nil {
		t.Fatalf("rabbitmq: start: %v", err)
	}
	c.Container = fixture.Start(t, spec)
	return c
}

// Shared returns a broker shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
// Give each test a virtual host of its own with NewVhost.
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
	spec := fixture.Spec{
		Image: cfg.image,
		Env: map[string]string{
			"RABBITMQ_DEFAULT_USER": cfg.user,
			"RABBITMQ_DEFAULT_PASS": c.password,
		},
		Ports:          []string{amqpPort, mgmtPort},
		StartupTimeout: cfg.startupTimeout,
		Wait: wait.All(
			wait.ForFunc(c.ready).WithName("AMQP connection as "+cfg.user),
			wait.ForHTTP("/api/overview").OnPort(mgmtPort).
				WithRequestHeader("Authorization", basicAuth(cfg.user, c.password)),
		),
	}
	spec.Hint = c.hint()
	return c, spec, nil
}

// ready is one readiness attempt: an AMQP connection and a channel.
func (c *Container) ready(ctx context.Context, t wait.Target) wait.Result {
	ep, err := t.Endpoint(ctx, amqpPort)
	if err != nil {
		return wait.NotYet("%w", err)
	}
	conn, err := amqp.DialConfig(c.url(ep, "/", c.cfg.user, c.password), amqp.Config{
		Dial: amqp.DefaultDial(2 * time.Second),
	})
	if err != nil {
		return wait.NotYet("connect: %w", err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return wait.NotYet("channel: %w", err)
	}
	ch.Close()
	return wait.Ready()
}

func (c *Container) hint() string {
	return fmt.Sprintf("rabbitmq: if the container exited or never answered, check that %s is a RabbitMQ image with the management plugin that keeps the official rabbitmq image's contract (RABBITMQ_DEFAULT_USER/PASS, ports 5672 and 15672)", c.cfg.image)
}

func (c *Container) url(endpoint, vhost, user, password string) string {
	u := url.URL{Scheme: "amqp", User: url.UserPassword(user, password), Host: endpoint, Path: "/" + vhost}
	if vhost == "/" {
		u.Path = "/"
	}
	return u.String()
}

// AMQPURL returns the URL of the default virtual host ("/") as the
// administrator, e.g. "amqp://test:secret@127.0.0.1:49153/". The port may
// change after Restart.
func (c *Container) AMQPURL() string {
	return c.url(c.Endpoint(amqpPort), "/", c.cfg.user, c.password)
}

// ManagementURL returns the management API's base URL, e.g.
// "http://127.0.0.1:49154" (log in with User and Password). The port may
// change after Restart.
func (c *Container) ManagementURL() string { return "http://" + c.Endpoint(mgmtPort) }

// User returns the administrator's name.
func (c *Container) User() string { return c.cfg.user }

// Password returns the administrator's password, random for each broker.
func (c *Container) Password() string { return c.password }

// Conn returns a connection to the default virtual host as the
// administrator, closed when the test ends.
func (c *Container) Conn(t testing.TB) *amqp.Connection {
	t.Helper()
	return c.conn(t, "/", c.cfg.user, c.password)
}

func (c *Container) conn(t testing.TB, vhost, user, password string) *amqp.Connection {
	t.Helper()
	conn, err := amqp.DialConfig(c.url(c.Endpoint(amqpPort), vhost, user, password), amqp.Config{
		// The current address, also when the URL was taken before a Restart.
		Dial: func(network, _ string) (net.Conn, error) {
			conn, err := net.DialTimeout(network, c.Endpoint(amqpPort), 5*time.Second)
			if err != nil {
				return nil, err
			}
			return conn, conn.SetDeadline(time.Now().Add(30 * time.Second)) // amqp091 clears it after the handshake
		},
	})
	if err != nil {
		t.Fatalf("rabbitmq: connect to virtual host %s as %s: %v", vhost, user, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
