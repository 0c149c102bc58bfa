package nginx

import (
	"context"
	"fmt"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

const (
	// port is the HTTP port in the container.
	port = "80/tcp"
	// htmlDir is where the official image serves files from.
	htmlDir = "/usr/share/nginx/html"
	// confPath is the official image's server configuration.
	confPath = "/etc/nginx/conf.d/default.conf"
)

// Container is an nginx server in a container, made by Run, Start or
// Shared. It embeds the *fixture.Container (Endpoint, Logs, Exec,
// Restart, Terminate, ...).
//
// Its methods are safe for concurrent use by parallel tests.
type Container struct {
	*fixture.Container

	cfg config
	// listenPort is the port on the host's 127.0.0.1 that nginx listens
	// on with WithProxyToHost; 0 otherwise.
	listenPort int
}

// Run starts an nginx server and returns when it answers HTTP requests
// (with any status: the configuration decides what "/" is).
//
// The caller must call Terminate, also when Run returns an error with a
// non-nil Container (what was made is returned with the error).
func Run(ctx context.Context, opts ...Option) (*Container, error) {
	c, spec, err := prepare(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("nginx: %w", err)
	}
	fc, err := fixture.Run(ctx, spec)
	if fc == nil {
		return nil, fmt.Errorf("nginx: %w", err)
	}
	c.Container = fc
	if err != nil {
		return c, fmt.Errorf("nginx: %w", err)
	}
	return c, nil
}

// Start runs an nginx server for the test and fails the test if it can't.
// The server is ready when Start returns and removed when the test ends;
// when the test fails, its last log lines go to the test log. It is safe
// for parallel tests.
func Start(t testing.TB, opts ...Option) *Container {
	t.Helper()
	ctx, cancel := fixture.TestContext(t)
	c, spec, err := prepare(ctx, opts)
	cancel()
	if err != nil {
		t.Fatalf("nginx: start: %v", err)
	}
	c.Container = fixture.Start(t, spec)
	return c
}

// Shared returns a server shared by the tests of a test binary: started
// by the first test that asks (Get), removed by fixture.Main in TestMain.
func Shared(opts ...Option) *fixture.Shared[*Container] {
	return fixture.NewShared(func(ctx context.Context) (*Container, error) { return Run(ctx, opts...) })
}

func prepare(ctx context.Context, opts []Option) (*Container, fixture.Spec, error) {
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
		Ports:          []string{port},
		StartupTimeout: cfg.startupTimeout,
		// Any HTTP answer: nginx is serving its configuration.
		Wait: wait.ForPort(port).WithProbe("HEAD / HTTP/1.0\r\n\r\n", wait.HasPrefix("HTTP/")),
	}
	for _, f := range cfg.files {
		spec.Files = append(spec.Files, fixture.File{Path: htmlDir + f.urlPath, Content: f.content, Mode: 0o644})
	}
	switch {
	case cfg.hasConf:
		spec.Files = append(spec.Files, fixture.File{Path: confPath, Content: cfg.conf, Mode: 0o644})
	case cfg.proxy:
		// The host's network namespace, no published ports: nginx
		// listens on the host's 127.0.0.1 only, and its whole
		// configuration is ours (see "Proxying to the host").
		if err := checkHostMode(ctx); err != nil {
			return nil, fixture.Spec{}, err
		}
		lp, err := freeLoopbackPort()
		if err != nil {
			return nil, fixture.Spec{}, err
		}
		c.listenPort = lp
		spec.Network = "host"
		spec.Ports = nil
		spec.Wait = answersHTTP(loopbackAddr(lp))
		spec.Files = append(spec.Files, fixture.File{Path: nginxConfPath, Content: fmt.Sprintf(proxyConf, lp, cfg.proxyPort), Mode: 0o644})
	}
	spec.Hint = c.hint()
	return c, spec, nil
}

func (c *Container) hint() string {
	if c.cfg.proxy {
		return fmt.Sprintf("nginx: with WithProxyToHost nginx runs in the host's network namespace and listens on %s: if the container exited or never answered, check that the Docker daemon runs on this Linux machine and allows host networking, that nothing took the port meanwhile (try again), and that %s is an nginx image that keeps the official nginx image's contract (%s, user nginx)", loopbackAddr(c.listenPort), c.cfg.image, nginxConfPath)
	}
	return fmt.Sprintf("nginx: if the container exited or never answered, check that %s is an nginx image that keeps the official nginx image's contract (%s, files under %s, port 80), and that the configuration is valid (nginx -t)", c.cfg.image, confPath, htmlDir)
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:49153". The
// port may change after Restart: ask again. With WithProxyToHost it is
// the port nginx listens on in the host's network namespace, which stays
// the same across restarts.
func (c *Container) URL() string {
	if c.listenPort != 0 {
		return "http://" + loopbackAddr(c.listenPort)
	}
	return "http://" + c.Endpoint(port)
}
