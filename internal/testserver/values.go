package main

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// logLine is one -log or -stderr-log entry: write text after delay.
type logLine struct {
	delay  time.Duration
	text   string
	stderr bool
}

// listenSpec is one -tcp or -http entry: listen on host:port after delay.
type listenSpec struct {
	host  string // "" (every interface) unless given, as in 127.0.0.1:8080
	port  int
	delay time.Duration
}

// exitSpec is the -exit entry: exit with code after delay.
type exitSpec struct {
	code  int
	delay time.Duration
}

// allocSpec is one -alloc entry: allocate size bytes after delay.
type allocSpec struct {
	size  int64
	delay time.Duration
}

// parseDelay parses a non-negative Go duration such as "1.5s" or "0".
func parseDelay(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return d, nil
}

// parseLogLine parses "DELAY=TEXT".
func parseLogLine(s string, stderr bool) (logLine, error) {
	delay, text, ok := strings.Cut(s, "=")
	if !ok {
		return logLine{}, errors.New("expected DELAY=TEXT, e.g. 2s=ready")
	}
	d, err := parseDelay(delay)
	if err != nil {
		return logLine{}, fmt.Errorf("%v: expected DELAY=TEXT, e.g. 2s=ready", err)
	}
	return logLine{delay: d, text: text, stderr: stderr}, nil
}

// parseListen parses "PORT[@DELAY]"; port 0 picks a free port.
func parseListen(s string) (listenSpec, error) {
	const form = "expected [ADDR:]PORT[@DELAY], e.g. 8080, 8080@2s or 127.0.0.1:8080"
	port, delay, hasDelay := strings.Cut(s, "@")
	host := ""
	if i := strings.LastIndexByte(port, ':'); i >= 0 {
		host, port = strings.Trim(port[:i], "[]"), port[i+1:]
		if net.ParseIP(host) == nil {
			return listenSpec{}, fmt.Errorf("bad address %q: %s", host, form)
		}
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return listenSpec{}, fmt.Errorf("bad port %q: %s", port, form)
	}
	spec := listenSpec{host: host, port: p}
	if hasDelay {
		if spec.delay, err = parseDelay(delay); err != nil {
			return listenSpec{}, fmt.Errorf("%v: %s", err, form)
		}
	}
	return spec, nil
}

// parseExit parses "CODE[@DELAY]".
func parseExit(s string) (exitSpec, error) {
	const form = "expected CODE@DELAY, e.g. 3@2s"
	code, delay, hasDelay := strings.Cut(s, "@")
	c, err := parseExitCode(code)
	if err != nil {
		return exitSpec{}, fmt.Errorf("%v: %s", err, form)
	}
	spec := exitSpec{code: c}
	if hasDelay {
		if spec.delay, err = parseDelay(delay); err != nil {
			return exitSpec{}, fmt.Errorf("%v: %s", err, form)
		}
	}
	return spec, nil
}

// parseExitCode parses a process exit code, 0 to 255.
func parseExitCode(s string) (int, error) {
	c, err := strconv.Atoi(s)
	if err != nil || c < 0 || c > 255 {
		return 0, fmt.Errorf("bad exit code %q (want 0-255)", s)
	}
	return c, nil
}

// parseAlloc parses "SIZE[@DELAY]".
func parseAlloc(s string) (allocSpec, error) {
	const form = "expected SIZE@DELAY, e.g. 256MiB@1s"
	size, delay, hasDelay := strings.Cut(s, "@")
	n, err := parseSize(size)
	if err != nil {
		return allocSpec{}, fmt.Errorf("%v: %s", err, form)
	}
	spec := allocSpec{size: n}
	if hasDelay {
		if spec.delay, err = parseDelay(delay); err != nil {
			return allocSpec{}, fmt.Errorf("%v: %s", err, form)
		}
	}
	return spec, nil
}

// sizeUnit returns the multiplier of a lower-case size suffix. K, M and G
// are binary, as in docker's --memory; KB, MB and GB are decimal.
func sizeUnit(unit string) (int64, bool) {
	switch unit {
	case "", "b":
		return 1, true
	case "k", "kib":
		return 1 << 10, true
	case "m", "mib":
		return 1 << 20, true
	case "g", "gib":
		return 1 << 30, true
	case "kb":
		return 1e3, true
	case "mb":
		return 1e6, true
	case "gb":
		return 1e9, true
	}
	return 0, false
}

// parseSize parses a byte count such as "4096", "64k", "256MiB" or "1GB".
func parseSize(s string) (int64, error) {
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	num, unit := s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	mult, ok := sizeUnit(unit)
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || f < 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	n := f * float64(mult)
	if n > 1<<50 {
		return 0, fmt.Errorf("size %q too large", s)
	}
	return int64(n), nil
}
