package etcd

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/svckit"
	"github.com/testdock/testdock/wait"
)

// port is the client port in the container.
const port = "2379/tcp"

// rootUser is the user made when authentication is on.
const rootUser = "root"

// The key pair that signs and checks the auth tokens, in a folder both the
// official image and the stand-in have.
const (
	jwtPrivateKey = "/var/etcd/testdock-jwt.key"
	jwtPublicKey  = "/var/etcd/testdock-jwt.pub"
)

// Container is an etcd server in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec,
// Restart, Terminate, ...).
//
// Its methods are safe for concurrent use by parallel tests.
type Container struct {
	*fixture.Container

	cfg      config
	password string
}

// Run starts an etcd server, waits until it is healthy and turns
// authentication on.
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	c, spec, err := prepare(opts)
	if err != nil {
		return nil, fmt.Errorf("etcd: %w", err)
	}
	fc, err := fixture.Run(ctx, spec)
	if fc == nil {
		return nil, fmt.Errorf("etcd: %w", err)
	}
	c.Container = fc
	if err != nil {
		return c, fmt.Errorf("etcd: %w", err)
	}
	if err := c.setup(ctx); err != nil {
		return c, fmt.Errorf("etcd: %w", err)
	}
	return c, nil
}

// Start runs an etcd server for the test and fails the test if it can't.
// The server is ready when Start returns and removed when the test ends;
// when the test fails, its last log lines go to the test log. It is safe
// for parallel tests.
func Start(t testing.TB, opts ...Option) *Container {
	t.Helper()
	c, spec, err := prepare(opts)
	if err != nil {
		t.Fatalf("etcd: start: %v", err)
	}
	c.Container = fixture.Start(t, spec)
	ctx, cancel := fixture.TestContext(t)
	defer cancel()
	if err := c.setup(ctx); err != nil {
		t.Fatalf("etcd: start: %v", err)
	}
	return c
}

// Shared returns a server shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
// Give each test a key prefix of its own with NewPrefix.
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
		Image: cfg.image,
		Cmd:   []string{"/usr/local/bin/etcd"},
		Env: map[string]string{
			"ETCD_NAME":                        "testdock",
			"ETCD_DATA_DIR":                    "/var/lib/etcd/testdock",
			"ETCD_LISTEN_CLIENT_URLS":          "http://0.0.0.0:2379",
			"ETCD_ADVERTISE_CLIENT_URLS":       "http://127.0.0.1:2379",
			"ETCD_LISTEN_PEER_URLS":            "http://127.0.0.1:2380",
			"ETCD_INITIAL_ADVERTISE_PEER_URLS": "http://127.0.0.1:2380",
			"ETCD_INITIAL_CLUSTER":             "testdock=http://127.0.0.1:2380",
		},
		Ports:          []string{port},
		StartupTimeout: cfg.startupTimeout,
		Wait:           wait.ForHTTP("/health").OnPort(port).WithBody(wait.Contains(`"health":"true"`)),
	}
	if !cfg.noAuth {
		c.password = svckit.Password()
		files, err := jwtKeys()
		if err != nil {
			return nil, fixture.Spec{}, err
		}
		spec.Files = files
		// JWT tokens, not etcd's default "simple" ones: the server checks
		// them with the public key, so they stay valid across a restart
		// (simple tokens live in the server's memory only).
		spec.Env["ETCD_AUTH_TOKEN"] = "jwt,pub-key=" + jwtPublicKey + ",priv-key=" + jwtPrivateKey + ",sign-method=RS256,ttl=1h"
	}
	spec.Hint = c.hint()
	return c, spec, nil
}

// jwtKeys makes the server's RSA key pair, as PEM files for the container.
func jwtKeys() ([]fixture.File, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("auth token key: %w", err)
	}
	// PKCS #1, which every etcd's JWT library reads.
	priv := x509.MarshalPKCS1PrivateKey(key)
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("auth token key: %w", err)
	}
	return []fixture.File{
		{Path: jwtPrivateKey, Content: string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: priv})), Mode: 0o600},
		{Path: jwtPublicKey, Content: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))},
	}, nil
}

func (c *Container) hint() string {
	return fmt.Sprintf("etcd: if the container exited or never answered, check that %s is an etcd image that keeps the official etcd image's contract (/usr/local/bin/etcd configured by ETCD_* variables, port 2379)", c.cfg.image)
}

// setup turns authentication on: the user root with the random password
// and the root role. The server hands out JWT auth tokens signed with a
// key pair made for it (RS256, valid for an hour).
func (c *Container) setup(ctx context.Context) error {
	if c.cfg.noAuth {
		return nil
	}
	cfg := c.Config()
	cfg.Username, cfg.Password = "", ""
	cli, err := clientv3.New(cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer cli.Close()
	if _, err := cli.UserAdd(ctx, rootUser, c.password); err != nil {
		return fmt.Errorf("add user root: %w", err)
	}
	if _, err := cli.UserGrantRole(ctx, rootUser, "root"); err != nil {
		return fmt.Errorf("grant role root: %w", err)
	}
	if _, err := cli.AuthEnable(ctx); err != nil {
		return fmt.Errorf("enable auth: %w", err)
	}
	return nil
}

// URL returns the client URL, e.g. "http://127.0.0.1:49153", for
// clientv3.Config.Endpoints. It may
// change after Restart. (Container.Endpoint(port) still gives the
// fixture's "host:port".)
func (c *Container) URL() string { return "http://" + c.Container.Endpoint(port) }

// User returns the user name ("root"), or "" with WithoutAuth.
func (c *Container) User() string {
	if c.cfg.noAuth {
		return ""
	}
	return rootUser
}

// Password returns root's password, random for each server ("" with
// WithoutAuth).
func (c *Container) Password() string { return c.password }

// Config returns a clientv3 configuration with the server's credentials.
// Its dialer dials the container's current address each time, so a client
// made from it reconnects after Restart even when the host port changed.
func (c *Container) Config() clientv3.Config {
	return clientv3.Config{
		Endpoints:   []string{c.URL()},
		Username:    c.User(),
		Password:    c.password,
		DialTimeout: 5 * time.Second,
		Logger:      zap.NewNop(),
		DialOptions: []grpc.DialOption{
			grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "tcp", c.Container.Endpoint(port))
			}),
		},
	}
}

// Client returns a client of the server, closed when the test ends.
func (c *Container) Client(t testing.TB) *clientv3.Client {
	t.Helper()
	cli, err := clientv3.New(c.Config())
	if err != nil {
		t.Fatalf("etcd: client: %v", err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}
