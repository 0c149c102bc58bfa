package wait

import (
	"context"
	"errors"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// Healthy waits until Docker reports the container "healthy" by the
// image's HEALTHCHECK. Make one with ForHealthy.
//
// "unhealthy" ends the wait at once with a *PermanentError holding the
// last check's output (Docker marks a container unhealthy only after the
// start period and the retries, so it will not become healthy soon), as
// does a container without a health check, or one that stopped.
//
// A Healthy is immutable and safe for concurrent use by parallel tests.
type Healthy struct {
	timeout time.Duration
}

var (
	_ Strategy        = Healthy{}
	_ tcwait.Strategy = Healthy{}
)

// ErrNoHealthCheck is wrapped by the error of ForHealthy on a container
// whose image (or run options) has no HEALTHCHECK.
var ErrNoHealthCheck = errors.New("the container has no health check: add a HEALTHCHECK to the image, or wait with another strategy")

// ForHealthy waits until the container's Docker health check reports
// "healthy".
func ForHealthy() Healthy { return Healthy{} }

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s Healthy) WithTimeout(d time.Duration) Healthy {
	s.timeout = d
	return s
}

// String describes s: "Docker health check healthy".
func (s Healthy) String() string { return withTimeout("Docker health check healthy", s.timeout) }

// Wait waits until the container is healthy, can not become healthy, or
// ctx ends.
func (s Healthy) Wait(ctx context.Context, t Target) error {
	return poll(ctx, t, s.String(), s.timeout, false, s.check)
}

func (s Healthy) check(ctx context.Context, t Target) Result {
	st, err := t.State(ctx)
	switch {
	case err != nil:
		return NotYet("read the container's state: %w", err)
	case stopped(st):
		return Never("%w", exitErrorOf(st))
	}
	switch st.Health {
	case "healthy":
		return Ready()
	case "unhealthy":
		return Never("health check: unhealthy: %s", lastCheck(st.HealthLog))
	case "", "none":
		if st.Status == "created" {
			return NotYet("the container has not started")
		}
		return Never("%w", ErrNoHealthCheck)
	default:
		return NotYet("health check: %s: %s", st.Health, lastCheck(st.HealthLog))
	}
}

// lastCheck describes the output of the last health check.
func lastCheck(log string) string {
	if log == "" {
		return "(no check has finished yet)"
	}
	return snippet([]byte(log))
}

// WaitUntilReady lets testcontainers-go use s.
func (s Healthy) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s Healthy) Timeout() *time.Duration { return timeoutPtr(s.timeout) }
