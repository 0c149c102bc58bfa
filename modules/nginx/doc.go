// Package nginx runs an nginx web server for tests: serving files given as
// strings, a configuration given as a string, or a reverse proxy to a port
// on the host (a server the test runs itself).
//
//	func TestSite(t *testing.T) {
//		n := nginx.Start(t, nginx.WithFile("/index.html", "<h1>hi</h1>"))
//		resp, err := http.Get(n.URL() + "/index.html")
//		...
//	}
//
//	func TestProxy(t *testing.T) {
//		host, _ := nginx.HostAddress(t.Context())       // the bridge gateway, e.g. 172.17.0.1
//		backend := httptest.NewUnstartedServer(handler)
//		backend.Listener, _ = net.Listen("tcp", host+":0") // reachable from the container
//		backend.Start()
//		defer backend.Close()
//		n := nginx.Start(t, nginx.WithProxyToHost(backend.Listener.Addr().(*net.TCPAddr).Port))
//		resp, err := http.Get(n.URL() + "/api")
//		...
//	}
//
// # Reaching the host
//
// WithProxyToHost adds "host.docker.internal:host-gateway" to the
// container's /etc/hosts (Docker 20.10 and later) and proxies to
// host.docker.internal. The container reaches the host through the Docker
// bridge's gateway address, so the test's server must listen there:
// HostAddress gives it. A server that listens on loopback only can't be
// reached from a container; one on 0.0.0.0 could, but is then exposed on
// the machine's other networks too.
//
// # Authentication and isolation
//
// None: nginx serves what it is given, to anyone on 127.0.0.1 (where the
// port is published). It keeps no state, so there is nothing to isolate
// between tests; tests that need different files or configurations start
// servers of their own (a start takes well under a second).
//
// # Restarts
//
// After Container.Restart the host port may change: ask URL again.
package nginx
