package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseLogLine(t *testing.T) {
	tests := []struct {
		in      string
		want    logLine
		wantErr string
	}{
		{in: "0=ready", want: logLine{text: "ready"}},
		{in: "1.5s=a=b", want: logLine{delay: 1500 * time.Millisecond, text: "a=b"}},
		{in: "2s=", want: logLine{delay: 2 * time.Second}},
		{in: "ready", wantErr: "expected DELAY=TEXT"},
		{in: "soon=ready", wantErr: "expected DELAY=TEXT"},
		{in: "-1s=x", wantErr: "negative"},
	}
	for _, tt := range tests {
		got, err := parseLogLine(tt.in, false)
		if !errMatches(err, tt.wantErr) || (err == nil && got != tt.want) {
			t.Errorf("parseLogLine(%q) = %+v, %v; want %+v, error containing %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseListen(t *testing.T) {
	tests := []struct {
		in      string
		want    listenSpec
		wantErr string
	}{
		{in: "8080", want: listenSpec{port: 8080}},
		{in: "0", want: listenSpec{}},
		{in: "80@2s", want: listenSpec{port: 80, delay: 2 * time.Second}},
		{in: "127.0.0.1:8080@1s", want: listenSpec{host: "127.0.0.1", port: 8080, delay: time.Second}},
		{in: "[::1]:8080", want: listenSpec{host: "::1", port: 8080}},
		{in: "localhost:8080", wantErr: "bad address"},
		{in: "http", wantErr: "expected [ADDR:]PORT[@DELAY]"},
		{in: "70000", wantErr: "bad port"},
		{in: "80@", wantErr: "expected [ADDR:]PORT[@DELAY]"},
		{in: "80@x", wantErr: "bad duration"},
	}
	for _, tt := range tests {
		got, err := parseListen(tt.in)
		if !errMatches(err, tt.wantErr) || (err == nil && got != tt.want) {
			t.Errorf("parseListen(%q) = %+v, %v; want %+v, error containing %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseExit(t *testing.T) {
	tests := []struct {
		in      string
		want    exitSpec
		wantErr string
	}{
		{in: "3@2s", want: exitSpec{code: 3, delay: 2 * time.Second}},
		{in: "0", want: exitSpec{}},
		{in: "256@1s", wantErr: "expected CODE@DELAY"},
		{in: "x@1s", wantErr: "bad exit code"},
		{in: "1@later", wantErr: "bad duration"},
	}
	for _, tt := range tests {
		got, err := parseExit(tt.in)
		if !errMatches(err, tt.wantErr) || (err == nil && got != tt.want) {
			t.Errorf("parseExit(%q) = %+v, %v; want %+v, error containing %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseAlloc(t *testing.T) {
	tests := []struct {
		in      string
		want    allocSpec
		wantErr string
	}{
		{in: "256MiB@1s", want: allocSpec{size: 256 << 20, delay: time.Second}},
		{in: "4096", want: allocSpec{size: 4096}},
		{in: "64k", want: allocSpec{size: 64 << 10}},
		{in: "1GB", want: allocSpec{size: 1e9}},
		{in: "1.5g", want: allocSpec{size: 3 << 29}},
		{in: "10MB@0", want: allocSpec{size: 1e7}},
		{in: "lots", wantErr: "expected SIZE@DELAY"},
		{in: "10XB", wantErr: "bad size"},
		{in: "1MiB@x", wantErr: "bad duration"},
		{in: "9999999GiB", wantErr: "too large"},
	}
	for _, tt := range tests {
		got, err := parseAlloc(tt.in)
		if !errMatches(err, tt.wantErr) || (err == nil && got != tt.want) {
			t.Errorf("parseAlloc(%q) = %+v, %v; want %+v, error containing %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseSignalName(t *testing.T) {
	for in, want := range map[string]string{"SIGUSR1": "SIGUSR1", "usr2": "SIGUSR2", " sigterm ": "SIGTERM", "HUP": "SIGHUP"} {
		if got, err := parseSignalName(in); err != nil || got != want {
			t.Errorf("parseSignalName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "SIGKILL", "9"} {
		if _, err := parseSignalName(in); err == nil || !strings.Contains(err.Error(), "expected NAME") {
			t.Errorf("parseSignalName(%q) error = %v, want one naming the expected form", in, err)
		}
	}
}

// errMatches reports whether err is nil when want is "", or contains want.
func errMatches(err error, want string) bool {
	if want == "" {
		return err == nil
	}
	return err != nil && strings.Contains(err.Error(), want)
}
