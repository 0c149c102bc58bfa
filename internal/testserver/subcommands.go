package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// subcommand runs one subcommand with its args (without its name) and
// returns the exit code.
type subcommand func(args []string, stdout, stderr io.Writer) int

// lookupSubcommand returns the subcommand called name, if there is one.
func lookupSubcommand(name string, start time.Time) (subcommand, bool) {
	switch name {
	case "probe":
		return probeCmd, true
	case "echo":
		return echoCmd, true
	case "cat":
		return catCmd, true
	case "write":
		return writeCmd, true
	case "ls":
		return lsCmd, true
	case "env":
		return envCmd, true
	case "id":
		return idCmd, true
	case "info":
		return func(args []string, stdout, stderr io.Writer) int { return infoCmd(args, stdout, stderr, start) }, true
	case "sleep":
		return sleepCmd, true
	case "exit":
		return exitCmd, true
	}
	return nil, false
}

// wantArgs checks the number of arguments and reports a usage error.
func wantArgs(args []string, n int, form string, stderr io.Writer) bool {
	if len(args) != n {
		fmt.Fprintf(stderr, "testserver: usage: testserver %s\n", form)
		return false
	}
	return true
}

// probeCmd GETs URL within 2s: 0 on a 2xx status, 1 otherwise.
func probeCmd(args []string, stdout, stderr io.Writer) int {
	if !wantArgs(args, 1, "probe URL", stderr) {
		return 2
	}
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "probe: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintf(stderr, "probe: %s: status %s\n", args[0], resp.Status)
		return 1
	}
	return 0
}

// echoCmd writes -stdout and -stderr, each followed by a newline when
// given, and exits with -code.
func echoCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testserver echo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("stdout", "", "write `S`+\"\\n\" to stdout")
	errOut := fs.String("stderr", "", "write `S`+\"\\n\" to stderr")
	code := fs.Int("code", 0, "exit with `N`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "testserver: echo: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["stdout"] {
		fmt.Fprintln(stdout, *out)
	}
	if given["stderr"] {
		fmt.Fprintln(stderr, *errOut)
	}
	return *code
}

// catCmd writes the file at PATH to stdout.
func catCmd(args []string, stdout, stderr io.Writer) int {
	if !wantArgs(args, 1, "cat PATH", stderr) {
		return 2
	}
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "cat: %v\n", err)
		return 1
	}
	defer f.Close()
	if _, err := io.Copy(stdout, f); err != nil {
		fmt.Fprintf(stderr, "cat: %v\n", err)
		return 1
	}
	return 0
}

// writeCmd creates or truncates PATH (mode 0644) and writes CONTENT as
// given, without adding a newline.
func writeCmd(args []string, stdout, stderr io.Writer) int {
	if !wantArgs(args, 2, "write PATH CONTENT", stderr) {
		return 2
	}
	if err := os.WriteFile(args[0], []byte(args[1]), 0o644); err != nil {
		fmt.Fprintf(stderr, "write: %v\n", err)
		return 1
	}
	return 0
}

// lsCmd writes "NAME SIZE MODE" for each entry of the directory PATH (or
// for PATH itself when it is not a directory), e.g. "data 4096 drwxr-xr-x".
func lsCmd(args []string, stdout, stderr io.Writer) int {
	if !wantArgs(args, 1, "ls PATH", stderr) {
		return 2
	}
	st, err := os.Stat(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "ls: %v\n", err)
		return 1
	}
	if !st.IsDir() {
		fmt.Fprintf(stdout, "%s %d %s\n", st.Name(), st.Size(), st.Mode())
		return 0
	}
	entries, err := os.ReadDir(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "ls: %v\n", err)
		return 1
	}
	code := 0
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			fmt.Fprintf(stderr, "ls: %v\n", err)
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "%s %d %s\n", fi.Name(), fi.Size(), fi.Mode())
	}
	return code
}

// envCmd writes the environment, one NAME=VALUE per line.
func envCmd(args []string, stdout, stderr io.Writer) int {
	if !wantArgs(args, 0, "env", stderr) {
		return 2
	}
	for _, kv := range os.Environ() {
		fmt.Fprintln(stdout, kv)
	}
	return 0
}

// idCmd writes "uid=N gid=N groups=A,B".
func idCmd(args []string, stdout, stderr io.Writer) int {
	if !wantArgs(args, 0, "id", stderr) {
		return 2
	}
	groups, err := syscall.Getgroups()
	if err != nil {
		fmt.Fprintf(stderr, "id: %v\n", err)
		return 1
	}
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = strconv.Itoa(g)
	}
	fmt.Fprintf(stdout, "uid=%d gid=%d groups=%s\n", os.Getuid(), os.Getgid(), strings.Join(ids, ","))
	return 0
}

// infoCmd writes the /info report as JSON.
func infoCmd(args []string, stdout, stderr io.Writer, start time.Time) int {
	if !wantArgs(args, 0, "info", stderr) {
		return 2
	}
	b, err := json.MarshalIndent(collectInfo(start), "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "info: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", b)
	return 0
}

// sleepCmd sleeps for DURATION and exits 0.
func sleepCmd(args []string, stdout, stderr io.Writer) int {
	if !wantArgs(args, 1, "sleep DURATION", stderr) {
		return 2
	}
	d, err := parseDelay(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "testserver: sleep: %v: expected a DURATION, e.g. 2s\n", err)
		return 2
	}
	time.Sleep(d)
	return 0
}

// exitCmd exits with N.
func exitCmd(args []string, stdout, stderr io.Writer) int {
	if !wantArgs(args, 1, "exit N", stderr) {
		return 2
	}
	code, err := parseExitCode(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "testserver: exit: %v\n", err)
		return 2
	}
	return code
}
