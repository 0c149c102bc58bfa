package main

import (
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want func(*config)
	}{
		{
			name: "defaults",
			want: func(*config) {},
		},
		{
			name: "logs keep command-line order across streams",
			args: []string{"-log", "1s=a", "-stderr-log", "0=b", "-log", "1s=c"},
			want: func(c *config) {
				c.logs = []logLine{{delay: time.Second, text: "a"}, {text: "b", stderr: true}, {delay: time.Second, text: "c"}}
			},
		},
		{
			name: "everything",
			args: []string{
				"-tcp", "5000@1s", "-tcp", "0", "-http", "8080", "-greeting", "hello",
				"-health-path", "/healthz", "-health-status", "204", "-healthy-after", "3s",
				"-exit", "4@5s", "-ignore-sigterm", "-exit-on-signal", "SIGUSR1,hup",
				"-exit-on-signal", "USR2", "-alloc", "1MiB@2s", "-stdin-echo",
			},
			want: func(c *config) {
				c.tcp = []listenSpec{{port: 5000, delay: time.Second}, {}}
				c.http = []listenSpec{{port: 8080}}
				c.greeting = "hello"
				c.healthPath = "/healthz"
				c.healthStatus = 204
				c.healthyAfter = 3 * time.Second
				c.exit = &exitSpec{code: 4, delay: 5 * time.Second}
				c.ignoreTerm = true
				c.exitOnSignal = map[string]bool{"SIGUSR1": true, "SIGHUP": true, "SIGUSR2": true}
				c.allocs = []allocSpec{{size: 1 << 20, delay: 2 * time.Second}}
				c.stdinEcho = true
			},
		},
		{
			name: "environment stands in for flags not given",
			env: map[string]string{
				"TESTSERVER_LOG":            "0=a;;1s=b",
				"TESTSERVER_HTTP":           "8080@1s",
				"TESTSERVER_HEALTHY_AFTER":  "2s",
				"TESTSERVER_IGNORE_SIGTERM": "true",
				"TESTSERVER_EXIT_ON_SIGNAL": "SIGUSR1;SIGUSR2",
				"TESTSERVER_GREETING":       "hi;there",
			},
			want: func(c *config) {
				c.logs = []logLine{{text: "a"}, {delay: time.Second, text: "b"}}
				c.http = []listenSpec{{port: 8080, delay: time.Second}}
				c.healthyAfter = 2 * time.Second
				c.ignoreTerm = true
				c.exitOnSignal = map[string]bool{"SIGUSR1": true, "SIGUSR2": true}
				c.greeting = "hi;there"
			},
		},
		{
			name: "a flag given wins over its variable",
			args: []string{"-log", "0=flag", "-ignore-sigterm=false"},
			env:  map[string]string{"TESTSERVER_LOG": "0=env", "TESTSERVER_IGNORE_SIGTERM": "true"},
			want: func(c *config) { c.logs = []logLine{{text: "flag"}} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.args, mapEnv(tt.env))
			if err != nil {
				t.Fatalf("parseConfig: %v", err)
			}
			want := defaultConfig()
			tt.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parseConfig(%q) =\n%+v\nwant\n%+v", tt.args, got, want)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want []string // each must be in the error
	}{
		{args: []string{"-log", "ready"}, want: []string{"-log", "DELAY=TEXT"}},
		{args: []string{"-stderr-log", "x=y"}, want: []string{"-stderr-log", "DELAY=TEXT"}},
		{args: []string{"-tcp", "port"}, want: []string{"-tcp", "PORT[@DELAY]"}},
		{args: []string{"-http", "80@soon"}, want: []string{"-http", "PORT[@DELAY]"}},
		{args: []string{"-exit", "300"}, want: []string{"-exit", "CODE@DELAY"}},
		{args: []string{"-alloc", "big"}, want: []string{"-alloc", "SIZE@DELAY"}},
		{args: []string{"-exit-on-signal", "SIGKILL"}, want: []string{"-exit-on-signal", "NAME[,NAME]"}},
		{args: []string{"-health-path", "health"}, want: []string{"-health-path", "starting with /"}},
		{args: []string{"-health-status", "99"}, want: []string{"-health-status", "STATUS"}},
		{args: []string{"-healthy-after", "3"}, want: []string{"-healthy-after", "DURATION"}},
		{args: []string{"-ignore-sigterm=maybe"}, want: []string{"-ignore-sigterm", "true or false"}},
		{args: []string{"-nope"}, want: []string{"-nope"}},
		{args: []string{"-log", "0=a", "extra"}, want: []string{"extra", "only flags"}},
		{env: map[string]string{"TESTSERVER_TCP": "1;x"}, want: []string{"TESTSERVER_TCP", "-tcp", "PORT[@DELAY]"}},
		{env: map[string]string{"TESTSERVER_STDIN_ECHO": "yes"}, want: []string{"TESTSERVER_STDIN_ECHO", "-stdin-echo", "true or false"}},
	}
	for _, tt := range tests {
		_, err := parseConfig(tt.args, mapEnv(tt.env))
		if err == nil {
			t.Errorf("parseConfig(%q, %v) succeeded, want an error", tt.args, tt.env)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("parseConfig(%q, %v) error %q does not contain %q", tt.args, tt.env, err, w)
			}
		}
	}
}

func TestParseConfigHelp(t *testing.T) {
	if _, err := parseConfig([]string{"-h"}, mapEnv(nil)); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("parseConfig(-h) error = %v, want flag.ErrHelp", err)
	}
}

func TestEnvName(t *testing.T) {
	for flagName, want := range map[string]string{"log": "TESTSERVER_LOG", "healthy-after": "TESTSERVER_HEALTHY_AFTER", "exit-on-signal": "TESTSERVER_EXIT_ON_SIGNAL"} {
		if got := envName(flagName); got != want {
			t.Errorf("envName(%q) = %q, want %q", flagName, got, want)
		}
	}
}

// mapEnv returns a getenv reading env.
func mapEnv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}
