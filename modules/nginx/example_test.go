package nginx_test

import (
	"net/http"
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
	var t testing.TB    // the test's t
	backendPort := 8080 // a server of the test's, listening on nginx.HostAddress
	n := nginx.Start(t, nginx.WithProxyToHost(backendPort))
	resp, err := http.Get(n.URL() + "/api")
	if err == nil {
		resp.Body.Close()
	}
}
