package wait

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// Exec waits until a command run in the container exits with the expected
// code (and, optionally, prints what a Matcher expects). Make one with
// ForExec.
//
// A command that is not in the image (Docker answers exit code 126 or 127
// with "OCI runtime exec failed: ... no such file or directory") ends the
// wait at once with a *PermanentError; so does a stopped container.
//
// An Exec is immutable and safe for concurrent use by parallel tests.
type Exec struct {
	cmd     []string
	code    int
	output  *Matcher
	timeout time.Duration
	err     error
}

var (
	_ Strategy        = Exec{}
	_ tcwait.Strategy = Exec{}
)

// ForExec waits until cmd, run in the container, exits with code 0 (see
// WithExitCode).
func ForExec(cmd ...string) Exec {
	s := Exec{cmd: slices.Clone(cmd)}
	if len(cmd) == 0 {
		s.err = errors.New("ForExec: no command")
	}
	return s
}

// WithExitCode returns a copy of s that expects the exit code code.
func (s Exec) WithExitCode(code int) Exec {
	s.code = code
	return s
}

// WithOutput returns a copy of s that is ready only when the command's
// output (stdout, then stderr) matches m too.
func (s Exec) WithOutput(m Matcher) Exec {
	s.output = &m
	return s
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s Exec) WithTimeout(d time.Duration) Exec {
	s.timeout = d
	return s
}

// String describes s, such as `exec ["pg_isready" "-U" "test"] exiting 0`.
func (s Exec) String() string {
	desc := fmt.Sprintf("exec %q exiting %d", s.cmd, s.code)
	if s.output != nil {
		desc += fmt.Sprintf(" with output that %s", s.output)
	}
	return withTimeout(desc, s.timeout)
}

// Wait waits until the command succeeds, the container stops or ctx ends.
func (s Exec) Wait(ctx context.Context, t Target) error {
	if s.err == nil && s.output != nil && s.output.Err() != nil {
		s.err = fmt.Errorf("ForExec: output: %w", s.output.Err())
	}
	if s.err != nil {
		_, cancel, r := begin(ctx, s.String(), 0)
		defer cancel()
		return r.invalid(s.err)
	}
	return poll(ctx, t, s.String(), s.timeout, true, s.check)
}

func (s Exec) check(ctx context.Context, t Target) Result {
	res, err := t.Exec(ctx, s.cmd)
	if err != nil {
		return NotYet("exec %q: %w", s.cmd, err)
	}
	out := append(slices.Clip(res.Stdout), res.Stderr...)
	if (res.ExitCode == 126 || res.ExitCode == 127) && res.ExitCode != s.code &&
		bytes.Contains(out, []byte("OCI runtime exec failed")) {
		// Docker could not start the command: because the container is
		// stopping, or because the command is not in the image.
		if st, err := t.State(ctx); err == nil && stopped(st) {
			return Never("%w", exitErrorOf(st))
		}
		if bytes.Contains(out, []byte("not found")) || bytes.Contains(out, []byte("no such file or directory")) {
			return Never("exec %q: can not run it in the container (exit code %d): %s", s.cmd, res.ExitCode, strings.TrimSpace(string(out)))
		}
	}
	if res.ExitCode != s.code {
		return NotYet("exec %q: exit code %d, want %d; output: %s", s.cmd, res.ExitCode, s.code, snippet(out))
	}
	if s.output != nil && !s.output.Match(out) {
		return NotYet("exec %q: %w", s.cmd, s.output.mismatch("output", out))
	}
	return Ready()
}

// WaitUntilReady lets testcontainers-go use s.
func (s Exec) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s Exec) Timeout() *time.Duration { return timeoutPtr(s.timeout) }
