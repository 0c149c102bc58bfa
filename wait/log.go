package wait

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// logLineLimit is the longest log line ForLog matches whole; a longer line
// is matched in pieces of this size.
const logLineLimit = 1 << 20

// Log waits until the container's log shows a text or a pattern, a given
// number of times. Make one with ForLog.
//
// Only lines written since the container's current start count, so a
// restarted container must say it again. (Docker records a start only after
// the process runs, so lines from up to 250 ms before the recorded start
// count too, unless the target reports the previous stop; see
// State.FinishedAt.) The log is read once, as a
// stream that Docker delivers as the lines are written: a line is noticed
// within about a millisecond, and nothing is read twice. When the stream
// ends, the container has stopped: the wait fails at once with a
// *PermanentError that holds an *ExitError.
//
// A Log is immutable and safe for concurrent use by parallel tests.
type Log struct {
	text       string
	re         *regexp.Regexp
	occurrence int
	timeout    time.Duration
	err        error
}

var (
	_ Strategy        = Log{}
	_ tcwait.Strategy = Log{}
)

// ForLog waits until a line of the container's log (stdout and stderr)
// contains text. Lines are matched one by one, without their line end.
func ForLog(text string) Log {
	s := Log{text: text, occurrence: 1}
	if text == "" {
		s.err = errors.New("ForLog: the text to wait for is empty")
	}
	return s
}

// AsRegexp returns a copy of s that treats its text as a regular expression
// (RE2 syntax, as in package regexp). An invalid pattern makes the wait
// fail at once with a *PermanentError.
func (s Log) AsRegexp() Log {
	re, err := regexp.Compile(s.text)
	if err != nil {
		s.err = fmt.Errorf("ForLog: invalid pattern /%s/: %w", s.text, err)
	}
	s.re = re
	return s
}

// WithOccurrence returns a copy of s that waits until the text was seen n
// times (default 1); every match counts, also several in one line.
func (s Log) WithOccurrence(n int) Log {
	if n < 1 {
		s.err = fmt.Errorf("ForLog: occurrence %d: must be at least 1", n)
	}
	s.occurrence = n
	return s
}

// WithTimeout returns a copy of s whose waits give up after d with a
// *TimeoutError (the caller's context may end them sooner). Zero means no
// limit of its own.
func (s Log) WithTimeout(d time.Duration) Log {
	s.timeout = d
	return s
}

// String describes s, such as `log line "ready"` or `log line /^ready$/ ×2`.
func (s Log) String() string {
	what := fmt.Sprintf("%q", s.text)
	if s.re != nil {
		what = "/" + s.text + "/"
	}
	desc := "log line " + what
	if s.occurrence > 1 {
		desc += fmt.Sprintf(" ×%d", s.occurrence)
	}
	return withTimeout(desc, s.timeout)
}

// count returns how often s matches line.
func (s Log) count(line []byte) int {
	if s.re != nil {
		return len(s.re.FindAllIndex(line, -1))
	}
	return bytes.Count(line, []byte(s.text))
}

// Wait waits until the text was seen, the log ends or ctx ends.
func (s Log) Wait(ctx context.Context, t Target) error {
	ctx, cancel, r := begin(ctx, s.String(), s.timeout)
	defer cancel()
	if s.err != nil {
		return r.invalid(s.err)
	}
	st, err := t.State(ctx)
	if err != nil {
		return r.failed(ctx, t, fmt.Errorf("read the container's state: %w", err))
	}
	rc, err := t.Logs(ctx, logSince(st), true)
	if err != nil {
		return r.failed(ctx, t, fmt.Errorf("read the log: %w", err))
	}
	defer rc.Close()
	// A Target should end the stream with ctx; make sure of it.
	defer onDone(ctx, func() { rc.Close() })()

	seen, lines := 0, 0
	progress := func() error {
		return fmt.Errorf("seen %d of %d in %d log lines since the container started at %s",
			seen, s.occurrence, lines, st.StartedAt.Format(time.StampMicro))
	}
	br := bufio.NewReaderSize(rc, 64<<10)
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull && len(line) < logLineLimit {
			continue
		}
		if len(line) > 0 {
			seen += s.count(bytes.TrimRight(line, "\r\n"))
			lines++
			line = line[:0]
			if seen >= s.occurrence {
				return nil
			}
		}
		switch {
		case err == nil || err == bufio.ErrBufferFull:
			continue
		case expired(ctx):
			return r.ended(ctx, t, progress())
		case err == io.EOF:
			// A followed log ends when the container stops.
			st, serr := t.State(ctx)
			if serr == nil && stopped(st) {
				return r.never(ctx, t, fmt.Errorf("%w; %v", exitErrorOf(st), progress()))
			}
			return r.never(ctx, t, fmt.Errorf("the log ended while the container is %q; %v", st.Status, progress()))
		default:
			return r.never(ctx, t, fmt.Errorf("read the log: %w; %v", err, progress()))
		}
	}
}

// WaitUntilReady lets testcontainers-go use s; see FromTestcontainersTarget
// for what a testcontainers-go target can and can not do.
func (s Log) WaitUntilReady(ctx context.Context, t tcwait.StrategyTarget) error {
	return waitTC(ctx, s, s.timeout, t)
}

// Timeout returns the timeout set by WithTimeout, or nil, for
// testcontainers-go's combined strategies.
func (s Log) Timeout() *time.Duration { return timeoutPtr(s.timeout) }
