// Package webserver runs the official nginx image (or, offline, the image
// kit's stand-in through TESTDOCK_IMAGES) with its configuration copied in,
// and shows two containers talking over a network of their own.
package webserver

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

const conf = `server {
    listen 80;
    location = /healthz { return 200 "ok\n"; }
    location / { root /srv/site; }
}
`

func nginx(network string) fixture.Spec {
	return fixture.Spec{
		Image: "nginx:1.27",
		Ports: []string{"80/tcp"},
		Files: []fixture.File{
			{Path: "/etc/nginx/conf.d/default.conf", Content: conf},
			{Path: "/srv/site/index.html", Content: "<h1>orders</h1>\n"},
		},
		Network: network,
		Aliases: aliases(network),
		Wait:    wait.ForHTTP("/healthz").OnPort("80/tcp"),
	}
}

func aliases(network string) []string {
	if network == "" {
		return nil
	}
	return []string{"web"}
}

func TestServesFiles(t *testing.T) {
	t.Parallel()
	web := fixture.Start(t, nginx(""))

	resp, err := http.Get("http://" + web.Endpoint("80/tcp") + "/index.html")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "<h1>orders</h1>") {
		t.Fatalf("GET /index.html: %s %q", resp.Status, body)
	}
}

func TestContainersTalkOverANetwork(t *testing.T) {
	t.Parallel()
	net := fixture.Network(t)
	fixture.Start(t, nginx(net))
	client := fixture.Start(t, fixture.Spec{Image: "testdock.local/testserver:latest", Network: net})

	res, err := client.Exec(t.Context(), "/testserver", "probe", "http://web/healthz")
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("probe http://web/healthz from another container: exit %d: %s", res.ExitCode, res.Stderr)
	}
}
