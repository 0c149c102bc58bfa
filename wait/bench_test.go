package wait_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	tcwait "github.com/testcontainers/testcontainers-go/wait"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

// readyDelay is the least time after its process starts that the
// benchmark's test server becomes ready: late enough that every wait has
// begun by then. Each sample adds a jitter of up to readyJitter, so that
// the moment falls anywhere in a poller's period: a fixed moment that
// matched testcontainers-go's 100 ms polling would measure the phase
// between the two, not the poller.
const (
	readyDelay  = 100 * time.Millisecond
	readyJitter = 100 * time.Millisecond
)

// BenchmarkReadiness measures how long after a test server became ready a
// wait returns (readiness detection latency), for our strategies and
// testcontainers-go's, on the same kind of container, one fresh container
// per sample. The server stamps the moment it became ready and serves the
// stamps on /ready: the log line written (ForLog), the listener open
// (ForPort), or, for ForHTTP, the moment /health turns from 503 to 200 (its
// process start plus -healthy-after; the server listens from the start).
// The wait starts as soon as the container runs, readyDelay before that
// moment, and its return is stamped by the benchmark. testcontainers-go's
// strategies run with their defaults through wait.FromTestcontainers.
//
// Reported per case: the median and p90 latency in ms, and "early/op", the
// share of waits that returned before the server was ready (a readiness
// signal that is wrong). Run it with a fixed sample count:
//
//	go test -run '^$' -bench Readiness -benchtime 15x ./wait
func BenchmarkReadiness(b *testing.B) {
	type bcase struct {
		name     string
		bf       string                      // its name in the "#bf" lines: "strategy=S/impl=I"
		args     func(delay string) []string // test server args, ready after delay
		kind     string                      // the event that means ready
		key      any
		strategy wait.Strategy
	}
	logArgs := func(d string) []string { return []string{"-log", d + "=ready"} }
	tcpArgs := func(d string) []string { return []string{"-tcp", "8080@" + d} }
	greetingArgs := func(d string) []string { return []string{"-tcp", "8080@" + d, "-greeting", "hello"} }
	httpArgs := func(d string) []string { return []string{"-http", "8080", "-healthy-after", d} }
	for _, c := range []bcase{
		{"ForLog/testdock", "strategy=ForLog/impl=testdock", logArgs, "log", "ready", wait.ForLog("ready")},
		{"ForLog/testcontainers", "strategy=ForLog/impl=testcontainers", logArgs, "log", "ready", wait.FromTestcontainers(tcwait.ForLog("ready"))},
		{"ForPort/testdock-greeting", "strategy=ForPort/impl=testdock", greetingArgs, "tcp", 8080, wait.ForPort("8080/tcp").WithGreeting(wait.HasPrefix("hello"))},
		{"ForPort/testdock-plain", "strategy=ForPort-no-protocol-check/impl=testdock", tcpArgs, "tcp", 8080, wait.ForPort("8080/tcp")},
		{"ForPort/testcontainers-ForListeningPort", "strategy=ForPort/impl=testcontainers", tcpArgs, "tcp", 8080, wait.FromTestcontainers(tcwait.ForListeningPort("8080/tcp"))},
		{"ForPort/testcontainers-SkipInternalCheck", "strategy=ForPort-no-protocol-check/impl=testcontainers", tcpArgs, "tcp", 8080, wait.FromTestcontainers(tcwait.ForListeningPort("8080/tcp").SkipInternalCheck())},
		{"ForHTTP/testdock", "strategy=ForHTTP/impl=testdock", httpArgs, "healthy", nil, wait.ForHTTP("/health").OnPort("8080/tcp")},
		{"ForHTTP/testcontainers", "strategy=ForHTTP/impl=testcontainers", httpArgs, "healthy", nil, wait.FromTestcontainers(tcwait.ForHTTP("/health").WithPort("8080/tcp"))},
	} {
		b.Run(c.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				b.StopTimer()
				delay := readyDelay + time.Duration(rand.Int64N(int64(readyJitter)))
				key := c.key
				if c.kind == "healthy" {
					key = delay // the server stamps its start plus -healthy-after
				}
				l, err := sample(b, c.args(delay.String()), c.kind, key, c.strategy)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, l)
				b.StartTimer()
			}
			// Each sample also as a line of the Go benchmark format behind
			// "#bf ", which bench/cmd/benchmarks hands to benchstat: a
			// strategy's testdock and testcontainers-go samples side by side.
			for _, l := range lat {
				fmt.Printf("#bf BenchmarkReadiness/%s 1 %d ns/op\n", c.bf, l.Nanoseconds())
			}
			report(b, lat)
		})
	}
}

// sample starts a container, waits with s and returns how long after the
// server's readiness event the wait returned.
func sample(b *testing.B, args []string, kind string, key any, s wait.Strategy) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var target wait.Target
	c, err := fixture.Run(ctx, fixture.Spec{
		Image: testserver,
		Cmd:   append([]string{"-http", "9000"}, args...),
		Ports: []string{"8080/tcp", "9000/tcp"},
		Wait:  grab{&target},
	})
	defer func() {
		if err := c.Terminate(context.Background()); err != nil {
			b.Error(err)
		}
	}()
	if err != nil {
		return 0, err
	}
	began := time.Now()
	if err := s.Wait(ctx, target); err != nil {
		return 0, fmt.Errorf("%v: %w", s, err)
	}
	returned := time.Now()
	ready := eventually(b, c, kind, key)
	if began.After(ready) {
		return 0, fmt.Errorf("the wait began %v after the server was ready: raise readyDelay", began.Sub(ready))
	}
	return returned.Sub(ready), nil
}

// report puts the median and p90 latency (ms) and the share of early
// returns into the benchmark's output.
func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	early := 0
	for _, l := range lat {
		if l < 0 {
			early++
		}
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "ms-median")
	b.ReportMetric(ms(lat[min(len(lat)*9/10, len(lat)-1)]), "ms-p90")
	b.ReportMetric(float64(early)/float64(len(lat)), "early/op")
	b.ReportMetric(0, "ns/op")
}

// eventually returns when the server recorded the event, waiting for it
// when the wait returned early.
func eventually(b *testing.B, c *fixture.Container, kind string, key any) time.Time {
	deadline := time.Now().Add(10 * time.Second)
	for {
		at, err := findEvent(c, kind, key)
		if err == nil || time.Now().After(deadline) {
			if err != nil {
				b.Fatal(err)
			}
			return at
		}
		time.Sleep(10 * time.Millisecond)
	}
}
