package nginx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strconv"

	"github.com/testdock/testdock/internal/engine"
	"github.com/testdock/testdock/wait"
)

// nginxConfPath is the official image's main configuration, which
// WithProxyToHost replaces as a whole so that nothing from
// /etc/nginx/conf.d (the default server on port 80 among it) is loaded.
const nginxConfPath = "/etc/nginx/nginx.conf"

// proxyConf is the whole nginx.conf of WithProxyToHost: one server, on
// 127.0.0.1:<listen port>, proxying to 127.0.0.1:<backend port>. It is
// the only listen directive nginx gets.
const proxyConf = `# testdock nginx.WithProxyToHost: nginx runs in the host's network
# namespace, so this is its only server and it listens on loopback only.
user  nginx;
worker_processes  1;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    access_log    /var/log/nginx/access.log;

    server {
        listen 127.0.0.1:%d;
        location / {
            proxy_pass http://127.0.0.1:%d;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }
    }
}
`

// hostModeProblem says why nginx can't run in the host's network
// namespace and still be reached on this machine's 127.0.0.1: the daemon
// must run Linux containers on this machine, as seen from goos (this
// process's runtime.GOOS) and engineHost (the host that reaches the
// daemon's published ports).
func hostModeProblem(goos, engineHost string) error {
	if goos != "linux" {
		return fmt.Errorf("WithProxyToHost runs nginx in the host's network namespace, which needs a Docker daemon on this Linux machine (this is %s)", goos)
	}
	if !engine.IsLoopbackHost(engineHost) {
		return fmt.Errorf("WithProxyToHost runs nginx in the host's network namespace, which needs a Docker daemon on this machine; this one's ports are reached at %s, another machine (or the machine behind this container)", engineHost)
	}
	return nil
}

// checkHostMode applies hostModeProblem to the current engine. When no
// engine answers it returns nil: fixture.Run and fixture.Start report
// that (or skip the test) themselves.
func checkHostMode(ctx context.Context) error {
	e, err := engine.Get(ctx)
	if err != nil {
		return nil
	}
	return hostModeProblem(runtime.GOOS, e.Host)
}

// freeLoopbackPort returns a TCP port on 127.0.0.1 that was free a moment
// ago: it listens on 127.0.0.1:0 and closes at once.
func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("WithProxyToHost: find a free port on 127.0.0.1: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("WithProxyToHost: find a free port on 127.0.0.1: %w", err)
	}
	return port, nil
}

// answersHTTP waits until something answers HTTP at addr ("127.0.0.1:port"),
// with any status: nginx answers 502 while the backend is not up yet, and
// that is ready too. Each attempt is a new connection that ignores proxy
// settings of the environment.
func answersHTTP(addr string) wait.Func {
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	url := "http://" + addr + "/"
	return wait.ForFunc(func(ctx context.Context, _ wait.Target) wait.Result {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
		if err != nil {
			return wait.Never("%w", err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return wait.NotYet("HEAD %s: %w", url, err)
		}
		resp.Body.Close()
		return wait.Ready()
	}).WithName("HTTP answer on " + addr)
}

// loopbackAddr is "127.0.0.1:port".
func loopbackAddr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }
