package rss

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// Main runs the tests of m, prints the binary's peak RSS (VmHWM, from
// /proc/self/status) as "#vmhwm N kB" for BenchmarkMemory, and exits
// with the tests' code. It imports only the standard library, so that
// it adds nothing to the peak it reports.
func Main(m *testing.M) {
	code := m.Run()
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				fmt.Println("#vmhwm", strings.TrimSpace(v))
			}
		}
	}
	os.Exit(code)
}
