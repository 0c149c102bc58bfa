package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	start := time.Now()
	os.Exit(dispatch(start, os.Args[1:], os.Stdout, os.Stderr))
}

// dispatch runs the subcommand named by args[0], or serve mode when there
// are no args or args[0] is a flag, and returns the exit code.
func dispatch(start time.Time, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return serveMain(start, args, stdout, stderr)
	}
	if args[0] == "serve" {
		return serveMain(start, args[1:], stdout, stderr)
	}
	if args[0] == "help" {
		usage(stdout)
		return 0
	}
	cmd, ok := lookupSubcommand(args[0], start)
	if !ok {
		fmt.Fprintf(stderr, "testserver: unknown subcommand %q\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd(args[1:], stdout, stderr)
}

// serveMain runs serve mode until it is asked to exit.
func serveMain(start time.Time, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "testserver: %v\n", err)
		fmt.Fprintf(stderr, "run 'testserver help' for the flags\n")
		return 2
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, handledSignals()...)
	defer signal.Stop(sigs)
	return newServer(cfg, start, stdout, stderr).run(context.Background(), sigs, os.Stdin)
}
