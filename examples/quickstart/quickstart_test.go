// Package quickstart is the smallest testdock test: a container for one
// test, ready when Start returns, removed when the test ends.
package quickstart

import (
	"io"
	"net/http"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

func TestQuickstart(t *testing.T) {
	t.Parallel()
	c := fixture.Start(t, fixture.Spec{
		Image: "testdock.local/testserver:latest", // built by: go run ./cmd/testdock images build
		Cmd:   []string{"-http", "8080"},
		Ports: []string{"8080/tcp"},
		Wait:  wait.ForHTTP("/health").OnPort("8080/tcp"),
	})

	resp, err := http.Get("http://" + c.Endpoint("8080/tcp") + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "testserver\n" {
		t.Fatalf("GET /: %s %q", resp.Status, body)
	}
}
