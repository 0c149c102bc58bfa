// Package nginx runs an nginx web server for tests: serving files given as
// strings, a configuration given as a string, or a reverse proxy to a
// server the test runs itself on 127.0.0.1.
//
//	func TestSite(t *testing.T) {
//		n := nginx.Start(t, nginx.WithFile("/index.html", "<h1>hi</h1>"))
//		resp, err := http.Get(n.URL() + "/index.html")
//		...
//	}
//
//	func TestProxy(t *testing.T) {
//		backend := httptest.NewServer(handler) // listens on 127.0.0.1
//		defer backend.Close()
//		n := nginx.Start(t, nginx.WithProxyToHost(backend.Listener.Addr().(*net.TCPAddr).Port))
//		resp, err := http.Get(n.URL() + "/api") // http://127.0.0.1:<nginx's port>/api
//		...
//	}
//
// # Proxying to the host
//
// A server that listens on the host's 127.0.0.1 can't be reached from a
// container on a Docker network, and making it listen anywhere else
// exposes it beyond loopback. So with WithProxyToHost, and only then,
// nginx runs in the host's network namespace (Docker's host network mode):
// Run picks a free port on 127.0.0.1 (it listens on 127.0.0.1:0 and closes
// at once), replaces the whole /etc/nginx/nginx.conf with one server that
// listens on 127.0.0.1 and that port and proxies to 127.0.0.1 and the
// test's port, and publishes no ports. URL returns http://127.0.0.1 and
// that port; the server is ready when nginx answers there (with any
// status, such as 502 while the backend is not up yet).
//
// This needs a Docker daemon on this machine that runs Linux containers
// with host networking: a Linux host, not Docker Desktop's virtual machine
// nor a daemon on another machine. Run and Start fail with an error that
// says so when the engine's ports are reached at a host other than
// loopback, or when this process does not run on Linux.
//
// Security: in host network mode nginx shares the host's network stack,
// but it binds nothing but 127.0.0.1 and its port (nothing from
// /etc/nginx/conf.d is loaded, so not the image's default server on port
// 80), and the test's backend stays on loopback, out of reach of other
// machines and of containers. Run it only with images you trust, as for
// any container.
//
// # Authentication and isolation
//
// None: nginx serves what it is given, to anyone on 127.0.0.1 (where the
// port is published, or where it listens with WithProxyToHost). It keeps
// no state, so there is nothing to isolate between tests; tests that need
// different files or configurations start servers of their own (a start
// takes well under a second).
//
// # Restarts
//
// After Container.Restart the host port may change: ask URL again. With
// WithProxyToHost it stays the same.
package nginx
