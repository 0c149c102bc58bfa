package nginx

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "nginx:1.27"

// Option configures Run, Start and Shared. Options are applied in order
// over the defaults; a value of Option can be reused by any number of
// parallel callers.
type Option func(*config)

type file struct{ urlPath, content string }

type config struct {
	image          string
	files          []file
	conf           string
	hasConf        bool
	proxy          bool
	proxyPort      int
	startupTimeout time.Duration
}

func defaults() config { return config{image: DefaultImage} }

// WithImage runs image instead of DefaultImage. It must keep the official
// nginx image's contract (/etc/nginx/conf.d/default.conf, files under
// /usr/share/nginx/html, port 80; with WithProxyToHost, an
// /etc/nginx/nginx.conf that can be replaced, /etc/nginx/mime.types and a
// user nginx).
func WithImage(image string) Option { return func(c *config) { c.image = image } }

// WithFile serves content at urlPath (such as "/index.html" or
// "/static/app.js"), from /usr/share/nginx/html. It may be given more than
// once.
func WithFile(urlPath, content string) Option {
	return func(c *config) { c.files = append(c.files, file{urlPath, content}) }
}

// WithConfig replaces the server configuration,
// /etc/nginx/conf.d/default.conf (a server block listening on port 80).
func WithConfig(conf string) Option {
	return func(c *config) { c.conf, c.hasConf = conf, true }
}

// WithProxyToHost proxies every request to http://127.0.0.1:port, a
// server of the test's that listens on the host's loopback. For this
// option only, nginx runs in the host's network namespace, with no
// published ports, and listens on nothing but 127.0.0.1 and a free port
// that Run picks (URL gives it); see "Proxying to the host" in the
// package doc. It needs a Docker daemon on this Linux machine; Run and
// Start fail with an error that says so when the engine's ports are
// reached at another host. It can't be combined with WithConfig.
func WithProxyToHost(port int) Option {
	return func(c *config) { c.proxy, c.proxyPort = true, port }
}

// WithStartupTimeout bounds the wait for the server to answer (default
// fixture.DefaultStartupTimeout).
func WithStartupTimeout(d time.Duration) Option {
	return func(c *config) { c.startupTimeout = d }
}

func (c config) validate() error {
	var problems []error
	if c.image == "" {
		problems = append(problems, errors.New("WithImage: the image is empty"))
	}
	for _, f := range c.files {
		if !strings.HasPrefix(f.urlPath, "/") || strings.HasSuffix(f.urlPath, "/") || path.Clean(f.urlPath) != f.urlPath {
			problems = append(problems, fmt.Errorf("WithFile: %q is not a clean path to a file starting with /", f.urlPath))
		}
	}
	if c.proxy && c.hasConf {
		problems = append(problems, errors.New("WithProxyToHost and WithConfig: give one; put the proxy_pass in your configuration"))
	}
	if c.proxy && (c.proxyPort < 1 || c.proxyPort > 65535) {
		problems = append(problems, fmt.Errorf("WithProxyToHost: %d is not a port", c.proxyPort))
	}
	if c.startupTimeout < 0 {
		problems = append(problems, errors.New("WithStartupTimeout: the timeout is negative"))
	}
	return errors.Join(problems...)
}
