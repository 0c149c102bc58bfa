package bench

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// sqlSamples are the latencies of one case.
type sqlSamples []time.Duration

func (s sqlSamples) quantile(q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	c := slices.Clone(s)
	slices.Sort(c)
	i := int(q*float64(len(c))+0.5) - 1 // nearest rank
	return c[min(max(i, 0), len(c)-1)]
}

func (s sqlSamples) median() time.Duration { return s.quantile(0.5) }
func (s sqlSamples) p99() time.Duration    { return s.quantile(0.99) }

func sqlMS(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// report puts a case's median and p99 on b as metrics, its samples as
// "#bf" lines (sbsSample), and a line on stdout with the ratio of its
// median to base's (when given): the benchmark log keeps only ten lines.
func sqlReport(b *testing.B, name string, s sqlSamples, base sqlSamples) {
	for _, d := range s {
		sbsSample(b.Name()+"/case="+name, float64(d.Nanoseconds()), "ns/op")
	}
	b.ReportMetric(sqlMS(s.median()), name+"-median-ms")
	b.ReportMetric(sqlMS(s.p99()), name+"-p99-ms")
	line := fmt.Sprintf("# %s %-38s n=%-4d median %8.2f ms  p99 %8.2f ms", strings.TrimPrefix(b.Name(), "Benchmark"), name, len(s), sqlMS(s.median()), sqlMS(s.p99()))
	if base != nil && base.median() > 0 {
		line += fmt.Sprintf("  ratio of medians %.3g", float64(s.median())/float64(base.median()))
	}
	fmt.Println(line)
}

// ratio reports median(a)/median(b) as a metric.
func sqlRatio(bm *testing.B, name string, a, b sqlSamples) {
	if b.median() > 0 {
		bm.ReportMetric(float64(a.median())/float64(b.median()), name)
	}
}

// sqlTB is a test of one benchmark iteration: its cleanups run when the
// iteration ends, as a test's do.
type sqlTB struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
}

func (f *sqlTB) Helper() {}

func (f *sqlTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

func (f *sqlTB) Failed() bool { return false }

func (f *sqlTB) end() {
	f.mu.Lock()
	fns := f.cleanups
	f.cleanups = nil
	f.mu.Unlock()
	for _, fn := range slices.Backward(fns) {
		fn()
	}
}

// pgSchema is a 50-table schema for PostgreSQL: each table with a
// primary key, a unique and a plain index, text (with TOAST) and a
// default.
func pgSchema(tables int) string {
	var b strings.Builder
	for i := range tables {
		fmt.Fprintf(&b, "CREATE TABLE t%02d (id bigserial PRIMARY KEY, name text NOT NULL, email text UNIQUE, n int, created_at timestamptz NOT NULL DEFAULT now());\n", i)
		fmt.Fprintf(&b, "CREATE INDEX t%02d_n ON t%02d (n);\n", i, i)
	}
	return b.String()
}

// mySchema is the same 50 tables for MySQL and MariaDB.
func mySchema(tables int) []string {
	var out []string
	for i := range tables {
		out = append(out, fmt.Sprintf("CREATE TABLE t%02d (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(100) UNIQUE, n INT, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, KEY t%02d_n (n))", i, i))
	}
	return out
}

// myHistory reaches the same 50 tables as a migration history does: each
// table created, then altered to add columns, then indexed, 200
// statements in all.
func myHistory(tables int) []string {
	var out []string
	for i := range tables {
		out = append(out, fmt.Sprintf("CREATE TABLE t%02d (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)", i))
	}
	for i := range tables {
		out = append(out, fmt.Sprintf("ALTER TABLE t%02d ADD COLUMN email VARCHAR(100), ADD COLUMN n INT, ADD COLUMN created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP", i))
	}
	for i := range tables {
		out = append(out, fmt.Sprintf("CREATE UNIQUE INDEX t%02d_email ON t%02d (email)", i, i))
		out = append(out, fmt.Sprintf("CREATE INDEX t%02d_n ON t%02d (n)", i, i))
	}
	return out
}
