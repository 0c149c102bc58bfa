package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkMemory is case 5 of issue 6: the peak RSS of a test binary
// that starts and removes 20 fixtures of the test server one after
// another (each in a subtest), testdock (rss/testdockrss) beside
// testcontainers-go (rss/tcrss). Both test binaries are built with
// go test -c and run in turns; the peak is the VmHWM that each binary
// prints at exit (from /proc/self/status). Run with -benchtime=1x;
// SBS_MEM_ROUNDS sets the runs of each (default 5).
func BenchmarkMemory(b *testing.B) {
	rounds := sbsRounds("SBS_MEM_ROUNDS", 5)
	cli := sbsDocker(b)
	defer cli.Close()
	defer sbsLeftovers(b, cli)
	dir := b.TempDir()
	bins := map[string]string{
		"testcontainers-go": filepath.Join(dir, "tcrss.test"),
		"testdock":          filepath.Join(dir, "testdockrss.test"),
	}
	pkgs := map[string]string{"testcontainers-go": "./rss/tcrss", "testdock": "./rss/testdockrss"}
	for impl, bin := range bins {
		out, err := exec.CommandContext(b.Context(), "go", "test", "-c", "-o", bin, pkgs[impl]).CombinedOutput()
		if err != nil {
			b.Fatalf("build %s: %v\n%s", pkgs[impl], err, out)
		}
	}
	names := []string{"testcontainers-go", "testdock"}
	peaks := map[string][]int64{}  // KiB
	took := map[string][]float64{} // seconds
	b.ResetTimer()
	for r := range rounds {
		for _, impl := range sbsRotate(names, r) {
			cmd := exec.CommandContext(b.Context(), bins[impl], "-test.run", "^TestFixtures$", "-test.count", "1")
			cmd.Env = append(os.Environ(), "SBS_RSS=1")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			t0 := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatalf("%s: %v\n%s", impl, err, out.String())
			}
			// The binary's own VmHWM at exit; the child's rusage maxrss
			// where it did not say.
			var kib int64
			if i := bytes.Index(out.Bytes(), []byte("#vmhwm ")); i >= 0 {
				fmt.Sscanf(out.String()[i:], "#vmhwm %d kB", &kib)
			}
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); kib == 0 && ok {
				kib = ru.Maxrss // KiB on Linux
			}
			if kib == 0 {
				b.Fatalf("%s: no peak RSS\n%s", impl, out.String())
			}
			peaks[impl] = append(peaks[impl], kib)
			took[impl] = append(took[impl], time.Since(t0).Seconds())
		}
	}
	b.StopTimer()
	med := func(v []int64) int64 { c := slices.Clone(v); slices.Sort(c); return c[(len(c)-1)/2] }
	medf := func(v []float64) float64 { c := slices.Clone(v); slices.Sort(c); return c[(len(c)-1)/2] }
	base := med(peaks[names[0]])
	for _, impl := range names {
		m := med(peaks[impl])
		mib := float64(m) / 1024
		r := float64(m) / float64(base)
		for _, kib := range peaks[impl] {
			sbsSample("BenchmarkMemory/impl="+impl, float64(kib)*1024, "peak-RSS-B")
		}
		b.ReportMetric(mib, impl+"-peak-MiB")
		b.ReportMetric(r, impl+"/tc")
		fmt.Printf("#sbs case=memory impl=%s n=%d median_mib=%.1f min_mib=%.1f max_mib=%.1f ratio=%.3f seconds=%.1f\n",
			impl, len(peaks[impl]), mib, float64(slices.Min(peaks[impl]))/1024, float64(slices.Max(peaks[impl]))/1024, r, medf(took[impl]))
	}
}
