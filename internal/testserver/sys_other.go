//go:build unix && !linux

package main

import "syscall"

// isTerminal reports false: the test server is meant for Linux containers.
func isTerminal(fd uintptr) bool { return false }

// ulimits returns the soft and hard nofile limit; -1 is unlimited.
func ulimits() map[string]Ulimit {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return map[string]Ulimit{}
	}
	conv := func(v uint64) int64 {
		if v > 1<<62 {
			return -1
		}
		return int64(v)
	}
	return map[string]Ulimit{"nofile": {Soft: conv(rl.Cur), Hard: conv(rl.Max)}}
}
