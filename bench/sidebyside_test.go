package bench

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

// The side-by-side cases (issue 6): every implementation does the same
// work on the same image, interleaved round by round, so that load from
// elsewhere on the machine falls on all of them alike.

const (
	// sbsLabel marks every container the side-by-side benchmarks make,
	// whichever library made it, so that the end of a benchmark can check
	// that none is left.
	sbsLabel = "testdock.bench"
	// sbsLabelValue is sbsLabel's value.
	sbsLabelValue = "side-by-side"
	// sbsTestserver is testdock's test server image (local, never pulled).
	sbsTestserver = "testdock.local/testserver:latest"
	// sbsGreeting is what the test server says first on each connection.
	sbsGreeting = "hello"
)

// sbsRounds is the number of rounds of a case: the environment variable
// name, else def.
func sbsRounds(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// sbsCase collects the samples of the implementations of one case.
type sbsCase struct {
	name  string   // "start", "postgres"
	bench string   // the benchmark's name without "Benchmark": "Start"
	order []string // implementations; the first is the floor
	got   map[string][]time.Duration
}

func newSBSCase(b *testing.B, name string, impls ...string) *sbsCase {
	return &sbsCase{name: name, bench: strings.TrimPrefix(b.Name(), "Benchmark"), order: impls, got: map[string][]time.Duration{}}
}

// sbsSample prints one sample as a line of the Go benchmark format behind
// "#bf ", for cmd/benchmarks to hand to benchstat:
//
//	#bf BenchmarkStart/impl=floor 1 666800000 ns/op
//
// Each sample is one line (one "run" to benchstat), so that benchstat
// computes its medians and confidence intervals over the samples.
func sbsSample(name string, v float64, unit string) {
	fmt.Printf("#bf %s 1 %.0f %s\n", name, v, unit)
}

func (c *sbsCase) add(impl string, d time.Duration) { c.got[impl] = append(c.got[impl], d) }

// sbsQuantile is the nearest-rank quantile q of s.
func sbsQuantile(s []time.Duration, q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	c := slices.Clone(s)
	slices.Sort(c)
	i := int(q*float64(len(c))+0.5) - 1
	return c[min(max(i, 0), len(c)-1)]
}

func sbsMS(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// report puts each implementation's median (ms) and its ratio to the
// floor on b, each sample as a "#bf" line (sbsSample), and one
// machine-readable line per implementation on the output for
// cmd/benchmarks:
//
//	#sbs case=start impl=testdock n=15 median_ms=812.1 p90_ms=900.2 min_ms=700.0 ratio=1.013 paired=1.004
//
// ratio is the implementation's median over the floor's; paired is the
// median of the per-round ratios (the implementation's sample over the
// floor's of the same round), which cancels slow changes of load.
func (c *sbsCase) report(b *testing.B) {
	fs := c.got[c.order[0]]
	floor := sbsQuantile(fs, 0.5)
	for _, impl := range c.order {
		s := c.got[impl]
		med := sbsQuantile(s, 0.5)
		r := 0.0
		if floor > 0 {
			r = float64(med) / float64(floor)
		}
		var per []time.Duration // ratios, scaled by 1e6 to reuse sbsQuantile
		for i := range min(len(s), len(fs)) {
			per = append(per, time.Duration(float64(s[i])/float64(fs[i])*1e6))
		}
		paired := float64(sbsQuantile(per, 0.5)) / 1e6
		for _, d := range s {
			sbsSample("Benchmark"+c.bench+"/impl="+impl, float64(d.Nanoseconds()), "ns/op")
		}
		b.ReportMetric(sbsMS(med), impl+"-ms")
		b.ReportMetric(r, impl+"/floor")
		fmt.Printf("#sbs case=%s impl=%s n=%d median_ms=%.1f p90_ms=%.1f min_ms=%.1f ratio=%.3f paired=%.3f\n",
			c.name, impl, len(s), sbsMS(med), sbsMS(sbsQuantile(s, 0.9)), sbsMS(sbsQuantile(s, 0)), r, paired)
	}
}

// sbsInterleave runs each of impls once untimed (clients connected,
// image cache warm), then rounds rounds with each implementation once a
// round, in an order that rotates (sbsRotate), and hands each sample's
// start and time taken to sample. before, when not nil, runs before each
// sample. It fails b at the first error.
func sbsInterleave(b *testing.B, rounds int, names []string, impls map[string]sbsImpl, before func(), sample func(name string, t0 time.Time, took time.Duration)) {
	b.Helper()
	ctx := b.Context()
	for _, n := range names {
		if err := impls[n](ctx); err != nil {
			b.Fatalf("%s: %v", n, err)
		}
	}
	b.ResetTimer()
	for r := range rounds {
		for _, n := range sbsRotate(names, r) {
			if before != nil {
				before()
			}
			t0 := time.Now()
			if err := impls[n](ctx); err != nil {
				b.Fatalf("%s: round %d: %v", n, r, err)
			}
			sample(n, t0, time.Since(t0))
		}
	}
	b.StopTimer()
}

// sbsRotate returns impls rotated by r, so that each implementation takes
// each position in a round as often as the others.
func sbsRotate(impls []string, r int) []string {
	r %= len(impls)
	return append(slices.Clone(impls[r:]), impls[:r]...)
}

// sbsGreet connects to addr and reads the test server's greeting: the
// "answers" of the cases. The userland proxy accepts connections before
// the server listens and closes them at once, so an accepted connection
// alone proves nothing.
func sbsGreet(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	dl, _ := ctx.Deadline()
	conn.SetDeadline(dl)
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("%s: %w", addr, err)
	}
	if !strings.HasPrefix(line, sbsGreeting) {
		return fmt.Errorf("%s: greeting %q", addr, line)
	}
	return nil
}

// sbsUntil calls f until it succeeds: the plain loop that the floor
// uses. It pauses 1 ms after the first try, doubling to at most maxPause,
// so that it notices readiness within milliseconds without taking the CPU
// that a slow-starting server needs on a small machine.
func sbsUntil(ctx context.Context, maxPause time.Duration, f func(context.Context) error) error {
	pause := time.Millisecond
	for {
		err := f(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(pause):
		}
		pause = min(2*pause, maxPause)
	}
}

// sbsDocker is a plain moby client for the floor and for the leak check.
func sbsDocker(tb testing.TB) *client.Client {
	tb.Helper()
	cli, err := client.New(client.FromEnv)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := cli.Ping(tb.Context(), client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		tb.Fatal(err)
	}
	return cli
}

// sbsLeftovers fails tb when a container with sbsLabel is left, and
// removes it.
func sbsLeftovers(tb testing.TB, cli *client.Client) {
	tb.Helper()
	sbsLeftoversBy(tb, cli, sbsLabel)
}

// sbsLeftoversBy fails tb when a container, network or volume matching
// the label filter ("key" or "key=value") is left, and removes it.
func sbsLeftoversBy(tb testing.TB, cli *client.Client, label string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f := make(client.Filters).Add("label", label)
	cl, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		tb.Errorf("list containers: %v", err)
		return
	}
	for _, c := range cl.Items {
		tb.Errorf("container %.12s (%s) was left behind", c.ID, c.Image)
		_, _ = cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	}
	nl, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		tb.Errorf("list networks: %v", err)
		return
	}
	for _, n := range nl.Items {
		tb.Errorf("network %s was left behind", n.Name)
		_, _ = cli.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{})
	}
	vl, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	if err != nil {
		tb.Errorf("list volumes: %v", err)
		return
	}
	for _, v := range vl.Items {
		tb.Errorf("volume %s was left behind", v.Name)
		_, _ = cli.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true})
	}
}

// sbsQuiet discards testcontainers-go's log lines.
type sbsQuiet struct{}

func (sbsQuiet) Printf(string, ...any) {}
