package wait_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

// A Spec names its readiness; Run (and Start) wait for it.
func ExampleForHTTP() {
	ctx := context.Background()
	c, err := fixture.Run(ctx, fixture.Spec{
		Image: "nginx:1.27",
		Ports: []string{"80/tcp"},
		Wait:  wait.ForHTTP("/").OnPort("80/tcp").WithStatus(200).WithBody(wait.Contains("nginx")),
	})
	defer c.Terminate(context.Background())
	if err != nil {
		log.Fatal(err)
	}
}

// Several conditions wait at the same time; the slowest decides.
func ExampleAll() {
	ctx := context.Background()
	c, err := fixture.Run(ctx, fixture.Spec{
		Image: "postgres:17-alpine",
		Env:   map[string]string{"POSTGRES_PASSWORD": "test"},
		Ports: []string{"5432/tcp"},
		Wait: wait.All(
			// The image logs this twice: once for its init run, once for good.
			wait.ForLog("database system is ready to accept connections").WithOccurrence(2),
			wait.ForPort("5432/tcp"),
		).WithTimeout(time.Minute),
	})
	defer c.Terminate(context.Background())
	if err != nil {
		log.Fatal(err)
	}
}

// A one-shot container is ready when it exits with the expected code.
func ExampleForExit() {
	ctx := context.Background()
	c, err := fixture.Run(ctx, fixture.Spec{
		Image: "migrate/migrate:v4",
		Cmd:   []string{"-path", "/migrations", "-database", "postgres://...", "up"},
		Wait:  wait.ForExit(0),
	})
	defer c.Terminate(context.Background())
	if err != nil {
		log.Fatal(err)
	}
}

// Your own check answers not yet, ready or never.
func ExampleForFunc() {
	ready := wait.ForFunc(func(ctx context.Context, t wait.Target) wait.Result {
		ep, err := t.Endpoint(ctx, "6379/tcp")
		if err != nil {
			return wait.NotYet("%w", err)
		}
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", ep)
		if err != nil {
			return wait.NotYet("%w", err)
		}
		defer conn.Close()
		return wait.Ready()
	}).WithName("redis accepts connections")
	fmt.Println(ready)
	// Output: redis accepts connections
}

// The errors say what was waited for, for how long, and why it failed.
func ExampleTimeoutError() {
	ctx := context.Background()
	_, err := fixture.Run(ctx, fixture.Spec{
		Image: "nginx:1.27",
		Ports: []string{"80/tcp"},
		Wait:  wait.ForHTTP("/healthz").OnPort("80/tcp").WithTimeout(10 * time.Second),
	})
	var te *wait.TimeoutError
	var exit *wait.ExitError
	switch {
	case errors.As(err, &exit):
		fmt.Println("the container exited with code", exit.ExitCode)
	case errors.As(err, &te):
		fmt.Printf("not ready after %v: %v\n", te.Waited, te.Err)
	}
}

// Strategies describe themselves; errors use the descriptions.
func Example_descriptions() {
	fmt.Println(wait.ForLog("ready").WithOccurrence(2))
	fmt.Println(wait.ForLog(`^listening on :\d+$`).AsRegexp())
	fmt.Println(wait.ForPort("25").WithGreeting(wait.HasPrefix("220 ")))
	fmt.Println(wait.ForHTTP("/health").OnPort("8080").WithStatus(200, 204).WithTimeout(5 * time.Second))
	fmt.Println(wait.ForExec("pg_isready", "-U", "test"))
	fmt.Println(wait.Any(wait.ForHealthy(), wait.ForExit(0)))
	// Output:
	// log line "ready" ×2
	// log line /^listening on :\d+$/
	// port 25/tcp greeting starts with "220 "
	// HTTP GET /health on 8080/tcp answering [200 204] (within 5s)
	// exec ["pg_isready" "-U" "test"] exiting 0
	// any of (Docker health check healthy; container exiting with code 0)
}

// A Matcher checks a body, an output, a file or a greeting.
func ExampleMatcher() {
	m := wait.Regexp(`"status":\s*"(up|ok)"`)
	fmt.Println(m, m.Match([]byte(`{"status": "up"}`)), m.Match([]byte(`{"status": "down"}`)))
	// Output: matches /"status":\s*"(up|ok)"/ true false
}
