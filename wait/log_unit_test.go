package wait

import (
	"context"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streaming is a fake whose followed log is a pipe the test writes to.
type streaming struct {
	fake
	r     *io.PipeReader
	since chan time.Time
}

func (s streaming) Logs(ctx context.Context, since time.Time, follow bool) (io.ReadCloser, error) {
	if !follow {
		return s.fake.Logs(ctx, since, follow)
	}
	s.since <- since
	return s.r, nil
}

func newStreaming(state func() State) (streaming, *io.PipeWriter) {
	r, w := io.Pipe()
	return streaming{fake: fake{state: state, logs: "last words\n"}, r: r, since: make(chan time.Time, 1)}, w
}

func TestLogReadsTheStream(t *testing.T) {
	started := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	target, w := newStreaming(func() State { return State{Running: true, Status: "running", StartedAt: started} })
	done := make(chan error)
	go func() { done <- ForLog("ready").WithOccurrence(3).Wait(context.Background(), target) }()
	assert.Equal(t, started.Add(-startSlack), <-target.since, "only lines since the current start are asked for")
	for _, line := range []string{"starting\n", "ready ready\n", "not yet\n", "rea", "dy\n"} {
		_, err := io.WriteString(w, line)
		require.NoError(t, err)
	}
	require.NoError(t, <-done, "two matches in one line count twice; a line in pieces is one line")
	_, err := io.WriteString(w, "more\n")
	assert.ErrorIs(t, err, io.ErrClosedPipe, "the stream is closed once ready")
}

func TestLogRegexpAndLongLines(t *testing.T) {
	target, w := newStreaming(nil)
	done := make(chan error)
	go func() { done <- ForLog(`^listening on :\d+$`).AsRegexp().Wait(context.Background(), target) }()
	<-target.since
	go func() {
		io.WriteString(w, "listening on :80 (not yet)\r\n")
		io.WriteString(w, strings.Repeat("x", 200<<10)+"\n")
		io.WriteString(w, "listening on :8080\r\n")
	}()
	require.NoError(t, <-done)
}

func TestLogEndsWhenTheContainerStops(t *testing.T) {
	var exited atomic.Bool
	target, w := newStreaming(func() State {
		if exited.Load() {
			return State{Status: "exited", ExitCode: 3}
		}
		return State{Running: true, Status: "running"}
	})
	done := make(chan error)
	go func() { done <- ForLog("ready").Wait(context.Background(), target) }()
	<-target.since
	io.WriteString(w, "starting\nfailed to bind\n")
	exited.Store(true)
	w.Close()
	err := <-done
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 3, ee.ExitCode)
	assert.Contains(t, err.Error(), `wait for log line "ready": gave up after`)
	assert.Contains(t, err.Error(), "container exited with code 3 (OOMKilled: false); seen 0 of 1 in 2 log lines since the container started")
	assert.Contains(t, err.Error(), "--- last log lines ---\nlast words")
}

func TestLogTimeoutSaysHowFarItGot(t *testing.T) {
	target, w := newStreaming(nil)
	done := make(chan error)
	go func() {
		done <- ForLog("ready").WithOccurrence(2).WithTimeout(500*time.Millisecond).Wait(context.Background(), target)
	}()
	<-target.since
	go io.WriteString(w, "ready\n")
	err := <-done
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), `wait for log line "ready" ×2 (within 500ms): not ready after`)
	assert.Contains(t, err.Error(), "seen 1 of 2 in 1 log lines")
}

func TestLogInvalid(t *testing.T) {
	for _, s := range []Log{ForLog(""), ForLog("(").AsRegexp(), ForLog("x").WithOccurrence(0)} {
		err := s.Wait(context.Background(), fake{})
		var pe *PermanentError
		require.ErrorAs(t, err, &pe, "%v", s)
		assert.Contains(t, err.Error(), "ForLog: ")
		assert.NotContains(t, err.Error(), "log lines", "a bad strategy does not read logs")
	}
}

func TestLogSince(t *testing.T) {
	started := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	assert.Equal(t, started.Add(-startSlack), logSince(State{StartedAt: started}))
	prev := started.Add(-100 * time.Millisecond)
	assert.Equal(t, prev, logSince(State{StartedAt: started, FinishedAt: prev}), "not before the previous stop")
	assert.Equal(t, started.Add(-startSlack), logSince(State{StartedAt: started, FinishedAt: started.Add(-time.Hour)}))
	assert.True(t, logSince(State{}).IsZero(), "not started: everything")
}
