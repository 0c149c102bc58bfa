package wait_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

// The Docker-backed tests run the image kit's test server (go run
// ./cmd/testdock images build) and call the strategies on fixture's target
// directly, so that they time the wait alone.

const (
	testserver  = "testdock.local/testserver:latest"
	healthcheck = "testdock.local/testserver:healthcheck" // HEALTHCHECK probe :8080/health, interval 1s, 1 retry
)

// grab is a strategy that hands the container's target to the test and is
// ready at once.
type grab struct{ target *wait.Target }

func (g grab) Wait(_ context.Context, t wait.Target) error {
	*g.target = t
	return nil
}

// server starts a test server with args (after "-http 9000", which serves
// /ready from the start), publishing 8080 and 9000, and returns it with
// its target.
func server(t *testing.T, args ...string) (*fixture.Container, wait.Target) {
	t.Helper()
	return start(t, fixture.Spec{Image: testserver, Cmd: args})
}

// start starts spec's container with "-http 9000" added to its command
// and 8080 and 9000 published, and returns it with its target.
func start(t *testing.T, spec fixture.Spec) (*fixture.Container, wait.Target) {
	t.Helper()
	var target wait.Target
	spec.Cmd = append([]string{"-http", "9000"}, spec.Cmd...)
	spec.Ports = append(spec.Ports, "8080/tcp", "9000/tcp")
	spec.Wait = grab{&target}
	c := fixture.Start(t, spec)
	return c, target
}

// waitFor runs s on target within limit and returns when it returned and
// its error.
func waitFor(t *testing.T, s wait.Strategy, target wait.Target, limit time.Duration) (time.Time, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	err := s.Wait(ctx, target)
	return time.Now(), err
}

// event is a readiness event of the test server (see its /ready).
type event struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
	Port int    `json:"port"`
	At   int64  `json:"at"`
}

// readyAt returns when the test server recorded the first event of kind
// (and, for "log", with text; for "tcp" and "http", on port); for kind
// "healthy", the time.Duration key after its process started.
func readyAt(t testing.TB, c *fixture.Container, kind string, textOrPort any) time.Time {
	t.Helper()
	at, err := findEvent(c, kind, textOrPort)
	require.NoError(t, err)
	return at
}

// findEvent asks the test server for the event readyAt describes.
func findEvent(c *fixture.Container, kind string, textOrPort any) (time.Time, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+c.Endpoint("9000/tcp")+"/ready", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	defer resp.Body.Close()
	var r struct {
		StartedAtNS int64 `json:"started_at_ns"`
		Events      []event
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return time.Time{}, err
	}
	if d, ok := textOrPort.(time.Duration); ok && kind == "healthy" {
		return time.Unix(0, r.StartedAtNS).Add(d), nil
	}
	for _, e := range r.Events {
		if e.Kind == kind && (fmt.Sprint(e.Text) == fmt.Sprint(textOrPort) || fmt.Sprint(e.Port) == fmt.Sprint(textOrPort)) {
			return time.Unix(0, e.At), nil
		}
	}
	return time.Time{}, fmt.Errorf("no %s event for %v in %+v", kind, textOrPort, r.Events)
}

// neverLimit bounds the waits of the never-ready tests: long enough for a
// few attempts on a loaded machine.
const neverLimit = 2 * time.Second

// logSlack is how much before its stamp a log line may be seen.
const logSlack = 100 * time.Millisecond

// assertReadyAfter checks that a wait returned after the event it waited
// for, and soon enough. The server stamps an event right after the write
// or listen call returned, so a wait may see a log line before its stamp
// (by tens of milliseconds on a loaded machine): slack allows for that.
func assertReadyAfter(t *testing.T, event, returned time.Time, slack time.Duration) {
	t.Helper()
	assert.False(t, returned.Before(event.Add(-slack)), "the wait returned %v before the server was ready", event.Sub(returned))
	assert.Less(t, returned.Sub(event), time.Second, "readiness noticed late")
}

// assertTimeout checks a never-ready wait's error: a *TimeoutError with
// the reason and the server's log lines in it.
func assertTimeout(t *testing.T, err error, reason, logLine string) {
	t.Helper()
	var te *wait.TimeoutError
	require.ErrorAs(t, err, &te)
	assert.ErrorContains(t, err, reason)
	assert.ErrorContains(t, err, "--- last log lines ---")
	assert.ErrorContains(t, err, logLine)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// assertDied checks a wait on a container that exited with code: a
// *PermanentError with an *ExitError, returned within a second of the
// exit, with the last log lines.
func assertDied(t *testing.T, err error, returned time.Time, target wait.Target, code int, logLine string) {
	t.Helper()
	var pe *wait.PermanentError
	require.ErrorAs(t, err, &pe, "%v", err)
	var ee *wait.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, code, ee.ExitCode)
	assert.ErrorContains(t, err, fmt.Sprintf("container exited with code %d (OOMKilled: false)", code))
	assert.ErrorContains(t, err, logLine)
	st, serr := target.State(context.Background())
	require.NoError(t, serr)
	require.False(t, st.FinishedAt.IsZero())
	assert.Less(t, returned.Sub(st.FinishedAt), time.Second, "the exit was noticed %v after it happened", returned.Sub(st.FinishedAt))
}
