package main

import (
	"fmt"
	"os"
	"strings"
	"syscall"
)

// handledSignals are the signals serve mode catches, records and logs.
func handledSignals() []os.Signal {
	return []os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGQUIT}
}

// signalName returns the conventional name of sig, such as "SIGTERM".
func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGHUP:
		return "SIGHUP"
	case syscall.SIGUSR1:
		return "SIGUSR1"
	case syscall.SIGUSR2:
		return "SIGUSR2"
	case syscall.SIGQUIT:
		return "SIGQUIT"
	}
	return sig.String()
}

// parseSignalName accepts "SIGUSR1", "USR1" or "usr1" for one of the handled
// signals and returns the canonical "SIGUSR1".
func parseSignalName(s string) (string, error) {
	name := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	for _, sig := range handledSignals() {
		if signalName(sig) == name {
			return name, nil
		}
	}
	return "", fmt.Errorf("unknown signal %q: expected NAME[,NAME] of SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGQUIT", s)
}
