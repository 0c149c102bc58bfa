package wait

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotPublished may be wrapped by Target.Endpoint when the container does
// not publish the port at all. Strategies that need the port then fail at
// once instead of waiting for it.
var ErrNotPublished = errors.New("port not published")

// TimeoutError is returned when the time for a wait ran out: the context's
// deadline or the strategy's own timeout (WithTimeout). It names what was
// waited for, how long against which limit, the last reason the target was
// not ready, and the container's last log lines.
//
// errors.Is(err, context.DeadlineExceeded) is true for a TimeoutError, and
// errors.As reaches the last reason's error (a *net.OpError, say).
type TimeoutError struct {
	// Strategy describes what was waited for.
	Strategy string
	// Waited is how long the wait took.
	Waited time.Duration
	// Limit is the time the wait was given, or 0 when the wait had no
	// deadline of its own (its context was cancelled).
	Limit time.Duration
	// Err is the last reason the target was not ready; nil when no check
	// finished in time.
	Err error
	// LastLogs holds the container's last log lines since it started.
	LastLogs string

	logsRead bool // LastLogs was read (and may be empty)
}

// Error returns a message of the form
//
//	wait for HTTP GET /health on 8080/tcp answering 2xx: not ready after 2.001s (limit 2s): HTTP 503 from /health: "starting"
//	--- last log lines ---
//	...
func (e *TimeoutError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wait for %s: not ready after %v", e.Strategy, round(e.Waited))
	if e.Limit > 0 {
		fmt.Fprintf(&b, " (limit %v)", round(e.Limit))
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	} else {
		b.WriteString(": no check finished in time")
	}
	writeLogs(&b, e.LastLogs, e.logsRead)
	return b.String()
}

// Unwrap returns the last reason and context.DeadlineExceeded.
func (e *TimeoutError) Unwrap() []error {
	if e.Err == nil {
		return []error{context.DeadlineExceeded}
	}
	return []error{e.Err, context.DeadlineExceeded}
}

// Timeout reports true, as net.Error does for timeouts.
func (e *TimeoutError) Timeout() bool { return true }

// PermanentError is returned when the target can never become ready: the
// container stopped (Err is then an *ExitError), the health check reported
// "unhealthy", a check answered Never, or the strategy is invalid.
type PermanentError struct {
	// Strategy describes what was waited for.
	Strategy string
	// Waited is how long the wait took until it gave up.
	Waited time.Duration
	// Err says why the target can never be ready.
	Err error
	// LastLogs holds the container's last log lines since it started.
	LastLogs string

	logsRead bool // LastLogs was read (and may be empty)
}

// Error returns a message of the form
//
//	wait for log line "ready": gave up after 712ms: container exited with code 3 (OOMKilled: false)
//	--- last log lines ---
//	...
func (e *PermanentError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wait for %s: gave up after %v: %v", e.Strategy, round(e.Waited), e.Err)
	writeLogs(&b, e.LastLogs, e.logsRead)
	return b.String()
}

// Unwrap returns Err.
func (e *PermanentError) Unwrap() error { return e.Err }

// ExitError says that the container stopped while a strategy waited for it
// (or, for ForExit, stopped with another exit code than expected).
type ExitError struct {
	// ExitCode is the main process's exit code.
	ExitCode int
	// OOMKilled is true when the kernel killed the container for memory.
	OOMKilled bool
	// Status is Docker's status word, such as "exited" or "dead".
	Status string
	// Message is Docker's error message for the container, if any (a
	// failed start, say).
	Message string
	// FinishedAt is when the container stopped.
	FinishedAt time.Time
}

// Error returns "container exited with code 3 (OOMKilled: false)", with
// advice when the container was killed for memory and Docker's message
// when it has one.
func (e *ExitError) Error() string {
	verb := "exited"
	if e.Status != "" && e.Status != "exited" {
		verb = "stopped (" + e.Status + ")"
	}
	msg := fmt.Sprintf("container %s with code %d (OOMKilled: %t", verb, e.ExitCode, e.OOMKilled)
	if e.OOMKilled {
		msg += ": it ran out of memory; raise its memory limit"
	}
	msg += ")"
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// exitErrorOf describes a stopped container.
func exitErrorOf(s State) *ExitError {
	return &ExitError{ExitCode: s.ExitCode, OOMKilled: s.OOMKilled, Status: s.Status, Message: s.Error, FinishedAt: s.FinishedAt}
}

// stopped reports whether the container's main process has ended and
// will not come back by itself.
func stopped(s State) bool {
	if s.Running {
		return false
	}
	switch s.Status {
	case "exited", "dead", "removing":
		return true
	}
	return false
}

// writeLogs appends the last log lines to an error message.
func writeLogs(b *strings.Builder, logs string, read bool) {
	if !read {
		return
	}
	logs = strings.TrimRight(logs, "\n")
	if logs == "" {
		b.WriteString("\n(no log output since the container started)")
		return
	}
	b.WriteString("\n--- last log lines ---\n")
	b.WriteString(logs)
}

// round shortens a duration for messages.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	default:
		return d
	}
}
