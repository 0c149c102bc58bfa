// Package wait decides when a container is ready.
//
// A Strategy checks a Target (the few things it needs of a container) until
// the container is ready, until it can never be ready (it exited, say), or
// until its context ends:
//
//	c := fixture.Start(t, fixture.Spec{
//		Image: "nginx:1.27",
//		Ports: []string{"80/tcp"},
//		Wait:  wait.ForHTTP("/").OnPort("80/tcp"),
//	})
//
// The strategies: ForLog (a line in the log), ForPort (a published port
// accepts connections, optionally greets or answers), ForHTTP, ForSQL,
// ForExec (a command in the container), ForHealthy (the image's
// HEALTHCHECK), ForExit (a one-shot container's exit code), ForFile,
// ForFunc (your own check), and All and Any to combine them. Each has
// WithTimeout for a limit of its own; the caller's context bounds them all.
//
// # Three outcomes
//
// Every check answers not yet (with the reason), ready, or never (see
// Result). Polling strategies check at once, then pause 1 ms, growing with
// the time waited to a ceiling of 50 ms; ForLog reads the log as a stream
// instead and notices a line as Docker delivers it. While they wait, the
// strategies watch the container: when it stops, the wait ends at once.
//
// # Errors that explain
//
// A wait that runs out of time returns a *TimeoutError: what was waited
// for, how long against which limit, the last reason, and the container's
// last log lines. A wait that can never succeed (the container exited, the
// health check says "unhealthy", a check answered Never) returns a
// *PermanentError; when the container stopped it holds an *ExitError with
// the exit code and OOMKilled. Use errors.As to tell them apart.
//
// # testcontainers-go
//
// FromTestcontainers runs a testcontainers-go strategy as a Strategy, and
// every strategy here also is a testcontainers-go wait.Strategy (see
// FromTestcontainersTarget for what that can and can not do).
//
// # Concurrency
//
// Strategies are immutable values: the With... methods return changed
// copies, and waiting never writes to the strategy, so one value can be
// shared by parallel tests. A wait's goroutines have ended when it returns.
package wait

import (
	"context"
	"io"
	"net/netip"
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
// A strategy may call its methods from several goroutines at once (it
// watches the State while it checks).
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

// ListenerTarget is a Target that can also tell, from outside the
// container, on which addresses sockets in the container listen for TCP
// connections. fixture's target is one: it reads the kernel's socket
// tables of the container's network namespace where the daemon runs on
// this machine. ForPort uses it to know that the server itself listens,
// which a connection to a port that Docker's userland proxy publishes
// can't tell.
type ListenerTarget interface {
	Target
	// TCPListeners returns the addresses (0.0.0.0 or :: for every
	// interface) on which sockets in the container's network namespace
	// listen on the TCP port number port. known is false when the target
	// can't tell (a daemon on another machine, say); err is a failure to
	// find out this time.
	TCPListeners(ctx context.Context, port int) (addrs []netip.Addr, known bool, err error)
}

// ExitTarget is a Target that is told when the container stops, by an
// event instead of by asking: fixture's target uses Docker's wait stream.
// Strategies use it where the target has it to notice a death (and
// ForExit an exit) the moment it happens, and look at State every few
// milliseconds elsewhere.
type ExitTarget interface {
	Target
	// WaitStopped returns nil once the container is not running (at once
	// if it is not running now), or an error when ctx ends or the target
	// can't tell.
	WaitStopped(ctx context.Context) error
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
	// FinishedAt is when the container last stopped. While it runs, a
	// target may report its previous stop (as Docker does) or zero.
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
