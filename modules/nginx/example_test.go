package nginx_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/testdock/testdock/modules/nginx"
)

func ExampleStart() {
	var t testing.TB // the test's t
	n := nginx.Start(t, nginx.WithFile("/index.html", "<h1>hi</h1>"))
	resp, err := http.Get(n.URL() + "/index.html")
	if err == nil {
		resp.Body.Close()
	}
}

func ExampleWithProxyToHost() {
	var t testing.TB // the test's t
	// The test's own server, on 127.0.0.1 (httptest's default).
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer backend.Close()
	// nginx runs in the host's network namespace and listens on
	// 127.0.0.1 only; URL gives its address.
	n := nginx.Start(t, nginx.WithProxyToHost(backend.Listener.Addr().(*net.TCPAddr).Port))
	resp, err := http.Get(n.URL() + "/api")
	if err == nil {
		resp.Body.Close()
	}
}
