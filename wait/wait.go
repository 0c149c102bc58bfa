// Package wait decides when a container is ready.
//
// A Strategy checks a Target (the few things it needs of a container) until
// the container is ready, until it can never be ready (it exited, say), or
// until its context ends. Strategies are immutable values: one value can be
// shared by parallel tests.
//
//	c := fixture.Start(t, fixture.Spec{
//		Image: "nginx:1.27",
//		Ports: []string{"80/tcp"},
//		Wait:  wait.ForHTTP("/").OnPort("80/tcp"),
//	})
package wait

import (
	"context"
	"io"
	"time"
)

// Strategy waits until a target is ready.
//
// Wait returns nil when the target is ready, and an error that says what was
// waited for and why it did not happen otherwise. It returns when ctx ends,
// and no goroutine it started outlives it. Implementations must not change
// themselves while waiting: one value may be used by parallel tests.
type Strategy interface {
	Wait(ctx context.Context, target Target) error
}

// Target is what a strategy needs of a container.
//
// fixture.Container provides one; a fake for unit tests is a dozen lines.
type Target interface {
	// Endpoint returns "host:port" where the container port (such as
	// "8080/tcp" or "8080") is published.
	Endpoint(ctx context.Context, port string) (string, error)
	// State reports the container's current state.
	State(ctx context.Context) (State, error)
	// Logs returns the container's output (stdout and stderr merged) written
	// at or after since. With follow, the stream stays open and delivers new
	// output until ctx ends or the container stops, when it ends with io.EOF.
	Logs(ctx context.Context, since time.Time, follow bool) (io.ReadCloser, error)
	// Exec runs cmd in the container and waits for it to end.
	Exec(ctx context.Context, cmd []string) (ExecResult, error)
	// ReadFile returns the content of a regular file in the container.
	ReadFile(ctx context.Context, path string) ([]byte, error)
}

// State is a container's state as a strategy sees it.
type State struct {
	// Running is true while the container's main process runs.
	Running bool
	// Status is Docker's status word: "created", "running", "exited", ...
	Status string
	// ExitCode is the main process's exit code once it has exited.
	ExitCode int
	// OOMKilled is true when the kernel killed the container for memory.
	OOMKilled bool
	// Error is Docker's error message for the container, if any.
	Error string
	// StartedAt is when the container last started.
	StartedAt time.Time
	// FinishedAt is when the container last stopped, zero while it runs.
	FinishedAt time.Time
	// Health is the HEALTHCHECK status: "" (no health check), "starting",
	// "healthy" or "unhealthy".
	Health string
	// HealthLog is the output of the last health check, if any.
	HealthLog string
}

// ExecResult is the outcome of a command run in a container.
type ExecResult struct {
	ExitCode int
	Stdout   []byte
	Stderr   []byte
}
