// Package enginetest holds what tests of the sweep share. It is for tests
// only.
package enginetest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// SweepLock holds, until t ends, a lock that the tests which sweep
// explicitly (fixture's TestSweep, the CLI's prune test) take around
// making a dead owner's resources and sweeping them: an explicit sweep
// removes every dead owner's resources, so two such tests in parallel
// test binaries would otherwise remove each other's.
func SweepLock(t testing.TB) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "testdock-sweep-test.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatalf("sweep lock: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("sweep lock: %v", err)
	}
	t.Cleanup(func() { f.Close() }) // closing releases the lock
}
