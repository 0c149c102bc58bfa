package mqtt

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/svckit"
	"github.com/testdock/testdock/wait"
)

// port is the MQTT port in the container.
const port = "1883/tcp"

// conf is the broker's configuration.
const conf = `listener 1883
allow_anonymous false
password_file /mosquitto/config/passwd
persistence false
log_dest stdout
`

// Container is a Mosquitto broker in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec,
// Restart, Terminate, ...).
//
// Its methods are safe for concurrent use by parallel tests.
type Container struct {
	*fixture.Container

	cfg      config
	password string
}

// Run starts a broker and returns when it accepts an MQTT CONNECT with
// its credentials.
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	c, spec, err := prepare(opts)
	if err != nil {
		return nil, fmt.Errorf("mqtt: %w", err)
	}
	fc, err := fixture.Run(ctx, spec)
	if fc == nil {
		return nil, fmt.Errorf("mqtt: %w", err)
	}
	c.Container = fc
	if err != nil {
		return c, fmt.Errorf("mqtt: %w", err)
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
		t.Fatalf("mqtt: start: %v", err)
	}
	c.Container = fixture.Start(t, spec)
	return c
}

// Shared returns a broker shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
// Give each test a topic prefix of its own with NewPrefix.
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
		Files: []fixture.File{
			{Path: "/mosquitto/config/mosquitto.conf", Content: conf, Mode: 0o644},
			{Path: "/mosquitto/config/passwd", Content: passwordLine(cfg.user, c.password), Mode: 0o600},
		},
		Ports:          []string{port},
		StartupTimeout: cfg.startupTimeout,
		// CONNACK, session not present, return code 0 (accepted).
		Wait: wait.ForPort(port).WithProbe(connectPacket("testdock-ready", cfg.user, c.password),
			wait.HasPrefix("\x20\x02\x00\x00")),
	}
	spec.Hint = c.hint()
	return c, spec, nil
}

func (c *Container) hint() string {
	return fmt.Sprintf("mqtt: if the container exited or never answered, check that %s is a Mosquitto image that keeps the official eclipse-mosquitto image's contract (/mosquitto/config/mosquitto.conf, port 1883)", c.cfg.image)
}

// BrokerURL returns the broker's URL, e.g. "tcp://127.0.0.1:49153". It
// may change after Restart.
func (c *Container) BrokerURL() string { return "tcp://" + c.Endpoint(port) }

// User returns the user name.
func (c *Container) User() string { return c.cfg.user }

// Password returns the user's password, random for each broker.
func (c *Container) Password() string { return c.password }

// Options returns paho client options with the broker's credentials, a
// random client id, automatic reconnects (every 100 ms at most) and a
// dialer that dials the container's current address each time, so a
// client made from them follows a Restart.
func (c *Container) Options() *paho.ClientOptions {
	o := paho.NewClientOptions()
	o.AddBroker(c.BrokerURL())
	o.SetClientID("testdock-" + svckit.Random(10))
	o.SetUsername(c.cfg.user)
	o.SetPassword(c.password)
	o.SetAutoReconnect(true)
	o.SetMaxReconnectInterval(100 * time.Millisecond)
	o.SetConnectTimeout(5 * time.Second)
	o.SetCustomOpenConnectionFn(func(*url.URL, paho.ClientOptions) (net.Conn, error) {
		return net.DialTimeout("tcp", c.Endpoint(port), 5*time.Second)
	})
	return o
}

// Client returns a client connected to the broker, disconnected when the
// test ends. configure, when given, changes the Options first (to set an
// OnConnect handler, say).
func (c *Container) Client(t testing.TB, configure ...func(*paho.ClientOptions)) paho.Client {
	t.Helper()
	o := c.Options()
	for _, f := range configure {
		f(o)
	}
	cl := paho.NewClient(o)
	tok := cl.Connect()
	if !tok.WaitTimeout(10 * time.Second) {
		t.Fatalf("mqtt: connect to %s: no answer in 10s", c.BrokerURL())
	}
	if err := tok.Error(); err != nil {
		t.Fatalf("mqtt: connect to %s: %v", c.BrokerURL(), err)
	}
	t.Cleanup(func() { cl.Disconnect(100) })
	return cl
}

// NewPrefix returns a random topic prefix of the test's own, such as
// "t_k3j9x0q2ab/". It is safe for parallel tests.
func (c *Container) NewPrefix(t testing.TB) string {
	t.Helper()
	return "t_" + svckit.Random(10) + "/"
}
