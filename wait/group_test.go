package wait

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	tcwait "github.com/testcontainers/testcontainers-go/wait"
)

// after returns a Func that is ready from the n-th call on.
func after(name string, n int32) Func {
	var calls atomic.Int32
	return ForFunc(func(context.Context, Target) Result {
		if calls.Add(1) < n {
			return NotYet("%s: call %d", name, calls.Load())
		}
		return Ready()
	}).WithName(name)
}

func notYet(name, reason string) Func {
	return ForFunc(func(context.Context, Target) Result { return NotYet("%s", reason) }).WithName(name)
}

func never(name, reason string) Func {
	return ForFunc(func(context.Context, Target) Result { return Never("%s", reason) }).WithName(name)
}

// slow is ready after d, or reports its context's end on ended.
func slow(name string, d time.Duration, ended chan<- error) Func {
	return ForFunc(func(ctx context.Context, _ Target) Result {
		select {
		case <-time.After(d):
			return Ready()
		case <-ctx.Done():
			ended <- ctx.Err()
			return NotYet("%w", ctx.Err())
		}
	}).WithName(name)
}

func TestAllWaitsAtTheSameTime(t *testing.T) {
	start := time.Now()
	ended := make(chan error, 2)
	require.NoError(t, All(slow("a", 500*time.Millisecond, ended), slow("b", 500*time.Millisecond, ended), after("c", 3)).
		Wait(context.Background(), fake{}))
	assert.Less(t, time.Since(start), 950*time.Millisecond, "the strategies overlap")
	require.NoError(t, All().Wait(context.Background(), fake{}), "all of nothing is ready")
}

func TestAllTimeoutListsWhatIsNotReady(t *testing.T) {
	s := All(after("db", 2), notYet("cache", "dial tcp 127.0.0.1:6379: connect: connection refused"), notYet("queue", "HTTP 503 from /health")).
		WithTimeout(200 * time.Millisecond)
	err := s.Wait(context.Background(), fake{logs: "booting\n"})
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "wait for all of (db; cache; queue) (within 200ms): not ready after"), msg)
	assert.Contains(t, msg, "(limit 200ms): cache: dial tcp 127.0.0.1:6379: connect: connection refused\nqueue: HTTP 503 from /health")
	assert.NotContains(t, msg, "db:", "the ready one is not listed")
	assert.Equal(t, 1, strings.Count(msg, "--- last log lines ---"), "the logs once")
	assert.True(t, strings.HasSuffix(msg, "\nbooting"), msg)
}

func TestAllFailsAtTheFirstPermanentError(t *testing.T) {
	ended := make(chan error, 1)
	start := time.Now()
	err := All(slow("slow", time.Minute, ended), never("auth", "password authentication failed")).Wait(context.Background(), fake{logs: "FATAL\n"})
	assert.Less(t, time.Since(start), time.Second)
	var pe *PermanentError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "auth", pe.Strategy)
	assert.Contains(t, err.Error(), "password authentication failed\n--- last log lines ---\nFATAL")
	assert.ErrorIs(t, <-ended, context.Canceled, "the others were stopped")
}

func TestAllWithAChildTimeout(t *testing.T) {
	err := All(notYet("quick", "not listening").WithTimeout(50*time.Millisecond), after("fine", 1)).
		WithTimeout(time.Minute).Wait(context.Background(), fake{})
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "quick (within 50ms)", te.Strategy, "the child's own timeout ends the group")
	assert.Equal(t, 50*time.Millisecond, te.Limit)
}

func TestAny(t *testing.T) {
	ended := make(chan error, 1)
	require.NoError(t, Any(never("a", "no"), slow("b", time.Minute, ended), after("c", 3)).Wait(context.Background(), fake{}))
	assert.ErrorIs(t, <-ended, context.Canceled, "the others were stopped")

	err := Any(never("a", "bad config"), never("b", "wrong password")).Wait(context.Background(), fake{logs: "x\n"})
	var pe *PermanentError
	require.ErrorAs(t, err, &pe)
	msg := err.Error()
	assert.Contains(t, msg, "wait for any of (a; b): gave up after")
	assert.Contains(t, msg, "bad config")
	assert.Contains(t, msg, "wrong password")
	assert.Equal(t, 1, strings.Count(msg, "--- last log lines ---"), msg)

	err = Any(notYet("a", "still a"), All(notYet("b", "still b"))).WithTimeout(100*time.Millisecond).Wait(context.Background(), fake{})
	var te *TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "a: still a\nall of (b): b: still b")
	assert.Equal(t, 1, strings.Count(err.Error(), "(no log output since the container started)"), err.Error())
}

func TestGroupNoticesDeath(t *testing.T) {
	var calls atomic.Int32
	target := fake{logs: "panic: boom\n", state: func() State {
		if calls.Add(1) > 4 {
			return State{Status: "exited", ExitCode: 2}
		}
		return State{Running: true, Status: "running"}
	}}
	err := All(notYet("a", "x"), Any(notYet("b", "y"))).Wait(context.Background(), target)
	var ee *ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 2, ee.ExitCode)
	assert.Equal(t, 1, strings.Count(err.Error(), "--- last log lines ---\npanic: boom"), err.Error())
}

func TestExpectsExit(t *testing.T) {
	assert.True(t, ExpectsExit(ForExit(0)))
	assert.True(t, ExpectsExit(All(ForLog("migrated"), ForExit(0).WithTimeout(time.Second))))
	assert.True(t, ExpectsExit(Any(All(ForExit(1)))))
	assert.False(t, ExpectsExit(All(ForLog("x"), ForPort("80"))))
	assert.True(t, ExpectsExit(FromTestcontainers(tcwait.ForExit())))
	assert.False(t, ExpectsExit(FromTestcontainers(tcwait.ForLog("x"))))
	assert.False(t, ExpectsExit(nil))
}

func TestGroupNilChild(t *testing.T) {
	var pe *PermanentError
	require.ErrorAs(t, All(ForLog("x"), nil).Wait(context.Background(), fake{}), &pe)
}

// TestSharedValues runs one value of each kind from many goroutines at
// once; with -race it proves that waiting does not write to a strategy.
// everything is a fake target whose exec, files and HTTP also answer.
type everything struct {
	fake
	http string // "host:port" of an HTTP server
}

func (e everything) Endpoint(_ context.Context, port string) (string, error) {
	if port == "8080/tcp" {
		return e.http, nil
	}
	return e.endpoint, nil
}
func (everything) Exec(context.Context, []string) (ExecResult, error) {
	return ExecResult{Stdout: []byte("migrated\n")}, nil
}
func (everything) ReadFile(context.Context, string) ([]byte, error) { return []byte("done"), nil }

// One value of each strategy, shared by parallel waits (run with -race).
func TestSharedValues(t *testing.T) {
	addr := echoServer(t, "hello", 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"up":true}`)) }))
	defer srv.Close()
	target := everything{fake{endpoint: addr, logs: "boot\nready\nready\n"}, strings.TrimPrefix(srv.URL, "http://")}
	shared := []Strategy{
		ForLog("ready").WithOccurrence(2),
		ForLog(`^re(a)dy$`).AsRegexp().WithOccurrence(2),
		ForHTTP("/").OnPort("8080/tcp").WithBody(Contains(`"up"`)),
		ForExec("migrate", "status").WithOutput(Contains("migrated")),
		ForFile("/tmp/done").WithContent(Equals("done")),
		ForPort("80").WithGreeting(HasPrefix("hello")),
		ForSQL("testdock-echo", "80", func(ep string) string { return ep }),
		ForFunc(func(context.Context, Target) Result { return Ready() }),
		All(ForPort("80").WithProbe("x\n", Contains("x")), Any(ForExit(0).WithTimeout(time.Millisecond), ForHealthy().WithTimeout(time.Millisecond), ForPort("80"))),
	}
	var wg sync.WaitGroup
	for range 8 {
		for _, s := range shared {
			wg.Go(func() { assert.NoError(t, s.Wait(context.Background(), target), "%v", s) })
		}
	}
	wg.Wait()
}
