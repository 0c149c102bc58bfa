package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tclog "github.com/testcontainers/testcontainers-go/log"
)

// BenchmarkStartTrace traces the Docker API calls of case 1: every side
// talks to the daemon through a proxy on a unix socket of its own, which
// times each call (request received to response body done). It prints,
// per implementation, the calls of one start-ready-use-remove with their
// median durations, and how much of the whole they cover.
//
// It points DOCKER_HOST at the proxy, so it must run alone in its process
// (testcontainers-go reads DOCKER_HOST once): go test -bench
// '^BenchmarkStartTrace$'. The proxy adds its own small latency to each
// call: compare the calls, not the totals, with BenchmarkStart.
// SBS_TRACE_ROUNDS sets the rounds (default 5).
func BenchmarkStartTrace(b *testing.B) {
	rounds := sbsRounds("SBS_TRACE_ROUNDS", 5)
	upstream := "/var/run/docker.sock"
	if h, ok := strings.CutPrefix(os.Getenv("DOCKER_HOST"), "unix://"); ok {
		upstream = h
	}
	sock := filepath.Join(os.TempDir(), fmt.Sprintf("sbs-trace-%d.sock", os.Getpid()))
	tr := &sbsTracer{}
	stop, err := tr.serve(sock, upstream)
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	b.Setenv("DOCKER_HOST", "unix://"+sock)
	tclog.SetDefault(sbsQuiet{})
	cli := sbsDocker(b)
	defer cli.Close()
	defer sbsLeftovers(b, cli)
	impls := sbsStartImpls(b, cli)
	names := []string{"floor", "testdock", "testcontainers-go", "dockertest"}
	type sample struct {
		total time.Duration
		calls []sbsCall
	}
	got := map[string][]sample{}
	sbsInterleave(b, rounds, names, impls, tr.reset, func(n string, t0 time.Time, took time.Duration) {
		got[n] = append(got[n], sample{took, tr.take(t0)})
	})
	for _, n := range names {
		var totals, covered, outside []time.Duration
		byCall := map[string][]time.Duration{}
		var order []string
		counts := map[string]int{}
		for _, s := range got[n] {
			totals = append(totals, s.total)
			covered = append(covered, sbsCovered(s.calls))
			outside = append(outside, s.total-sbsCovered(s.calls))
			for _, c := range s.calls {
				if _, ok := byCall[c.name]; !ok {
					order = append(order, c.name)
				}
				byCall[c.name] = append(byCall[c.name], c.took)
				counts[c.name]++
			}
		}
		fmt.Printf("#trace impl=%s total_ms=%.1f in_docker_calls_ms=%.1f outside_ms=%.1f calls_per_run=%.1f\n", n,
			sbsMS(sbsQuantile(totals, 0.5)), sbsMS(sbsQuantile(covered, 0.5)), sbsMS(sbsQuantile(outside, 0.5)), float64(len(slices.Concat(sbsCallsOf(got[n], func(s sample) []sbsCall { return s.calls })...)))/float64(len(got[n])))
		for _, c := range order {
			fmt.Printf("#trace impl=%s call=%q per_run=%.1f median_ms=%.1f\n", n, c,
				float64(counts[c])/float64(len(got[n])), sbsMS(sbsQuantile(byCall[c], 0.5)))
		}
	}
}

func sbsCallsOf[S any](s []S, f func(S) []sbsCall) [][]sbsCall {
	out := make([][]sbsCall, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

// sbsCall is one traced Docker API call.
type sbsCall struct {
	name       string // "POST /containers/{id}/start"
	start, end time.Duration
	took       time.Duration
}

// sbsCovered is the time during which at least one call was in flight.
func sbsCovered(calls []sbsCall) time.Duration {
	c := slices.Clone(calls)
	slices.SortFunc(c, func(a, b sbsCall) int { return int(a.start - b.start) })
	var sum, curS, curE time.Duration
	open := false
	for _, x := range c {
		if open && x.start <= curE {
			curE = max(curE, x.end)
			continue
		}
		if open {
			sum += curE - curS
		}
		curS, curE, open = x.start, x.end, true
	}
	if open {
		sum += curE - curS
	}
	return sum
}

// sbsTracer is a timing proxy in front of the daemon's socket.
type sbsTracer struct {
	mu    sync.Mutex
	calls []struct {
		name       string
		start, end time.Time
	}
}

var (
	sbsIDs     = regexp.MustCompile(`/[0-9a-f]{64}`)
	sbsVersion = regexp.MustCompile(`^/v1\.[0-9]+`)
)

func (t *sbsTracer) serve(sock, upstream string) (stop func(), err error) {
	_ = os.Remove(sock)
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return nil, err
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme, r.Out.URL.Host = "http", "docker"
		},
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", upstream)
		}},
		FlushInterval: -1,
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		proxy.ServeHTTP(w, r)
		name := r.Method + " " + sbsIDs.ReplaceAllString(sbsVersion.ReplaceAllString(r.URL.Path, ""), "/{id}")
		t.mu.Lock()
		t.calls = append(t.calls, struct {
			name       string
			start, end time.Time
		}{name, start, time.Now()})
		t.mu.Unlock()
	})}
	go srv.Serve(ln)
	return func() { srv.Close(); _ = os.Remove(sock) }, nil
}

func (t *sbsTracer) reset() {
	t.mu.Lock()
	t.calls = nil
	t.mu.Unlock()
}

// take returns the calls since reset, as offsets from t0. A call still in
// flight (a wait or log stream) is not in it yet; give those a moment.
func (t *sbsTracer) take(t0 time.Time) []sbsCall {
	time.Sleep(20 * time.Millisecond)
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []sbsCall
	for _, c := range t.calls {
		out = append(out, sbsCall{name: c.name, start: c.start.Sub(t0), end: c.end.Sub(t0), took: c.end.Sub(c.start)})
	}
	return out
}
