package wait

import (
	"context"
	"errors"
	"fmt"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// File waits until a regular file exists in the container, optionally
// with content that a Matcher expects. It reads the file through the
// Docker API (no command runs in the container). Make one with ForFile.
//
// A stopped container ends the wait at once with a *PermanentError.
//
// A File is immutable and safe for concurrent use by parallel tests.
type File struct {
	path    string
	content *Matcher
	timeout time.Duration
	err     error
}

var (
	_ Strategy        = File{}
	_ tcwait.Strategy = File{}
)

// ForFile waits until the regular file at path (absolute) exists in the
// container.
func ForFile(path string) File {
	s := File{path: path}
	if len(path) == 0 || path[0] != '/' {
		s.err = errors.New("ForFile: the path must be absolute, such as \"/tmp/ready\"")
	}
	return s
}

// WithContent returns a copy of s that is ready only when the file's
// content matches m too.
func (s File) WithContent(m Matcher) File {
	s.content = &m
	return s
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s File) WithTimeout(d time.Duration) File {
	s.timeout = d
	return s
}

// String describes s, such as `file /tmp/ready that contains "ok"`.
func (s File) String() string {
	desc := "file " + s.path
	if s.content != nil {
		desc += fmt.Sprintf(" that %s", s.content)
	}
	return withTimeout(desc, s.timeout)
}

// Wait waits until the file is there, the container stops or ctx ends.
func (s File) Wait(ctx context.Context, t Target) error {
	if s.err == nil && s.content != nil && s.content.Err() != nil {
		s.err = fmt.Errorf("ForFile: content: %w", s.content.Err())
	}
	if s.err != nil {
		_, cancel, r := begin(ctx, s.String(), 0)
		defer cancel()
		return r.invalid(s.err)
	}
	return poll(ctx, t, s.String(), s.timeout, true, s.check)
}

func (s File) check(ctx context.Context, t Target) Result {
	b, err := t.ReadFile(ctx, s.path)
	if err != nil {
		return NotYet("%w", err)
	}
	if s.content != nil && !s.content.Match(b) {
		return NotYet("%w", s.content.mismatch(s.path, b))
	}
	return Ready()
}

// WaitUntilReady lets testcontainers-go use s.
func (s File) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s File) Timeout() *time.Duration { return timeoutPtr(s.timeout) }
