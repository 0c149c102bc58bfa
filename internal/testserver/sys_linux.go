package main

import (
	"runtime"
	"syscall"
	"unsafe"
)

// isTerminal reports whether fd is a terminal (ioctl TCGETS succeeds).
func isTerminal(fd uintptr) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}

// ulimits returns the soft and hard limits of nofile, nproc, core, stack
// and memlock; -1 is unlimited. The nofile soft limit is the one the
// process was started with (see startNofile), not the one Go raised it to.
func ulimits() map[string]Ulimit {
	resources := map[string]int{
		"nofile":  syscall.RLIMIT_NOFILE,
		"nproc":   6, // RLIMIT_NPROC
		"core":    syscall.RLIMIT_CORE,
		"stack":   syscall.RLIMIT_STACK,
		"memlock": 8, // RLIMIT_MEMLOCK
	}
	limits := map[string]Ulimit{}
	for name, res := range resources {
		var rl syscall.Rlimit
		if err := syscall.Getrlimit(res, &rl); err == nil {
			limits[name] = Ulimit{Soft: rlimitValue(rl.Cur), Hard: rlimitValue(rl.Max)}
		}
	}
	if rl, ok := startNofile(); ok {
		limits["nofile"] = Ulimit{Soft: rlimitValue(rl.Cur), Hard: rlimitValue(rl.Max)}
	}
	return limits
}

// startNofile returns RLIMIT_NOFILE as this program gets it from exec.
//
// The Go runtime raises its own soft limit at start-up, before main, so
// getrlimit no longer shows what docker's --ulimit set. When Go starts a
// child it restores the original limit in the child before exec, so
// startNofile starts this program as a ptrace-stopped child, which stops at
// its exec before running any code, reads the child's limit with
// prlimit(2) and kills it. It reports false if that fails (ptrace not
// allowed, say).
func startNofile() (syscall.Rlimit, bool) {
	// The tracer is a thread: fork, kill and wait from the same one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pid, err := syscall.ForkExec("/proc/self/exe", []string{"testserver-rlimit-probe"}, &syscall.ProcAttr{
		Sys: &syscall.SysProcAttr{Ptrace: true},
	})
	if err != nil {
		return syscall.Rlimit{}, false
	}
	var rl syscall.Rlimit
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_NOFILE, 0, uintptr(unsafe.Pointer(&rl)), 0, 0)
	_ = syscall.Kill(pid, syscall.SIGKILL)
	for {
		var ws syscall.WaitStatus
		_, err := syscall.Wait4(pid, &ws, 0, nil)
		if err == syscall.EINTR || (err == nil && !ws.Exited() && !ws.Signaled()) {
			continue
		}
		break
	}
	return rl, errno == 0
}

// rlimitValue converts a raw limit, with RLIM_INFINITY as -1.
func rlimitValue(v uint64) int64 {
	if v > 1<<62 {
		return -1
	}
	return int64(v)
}
