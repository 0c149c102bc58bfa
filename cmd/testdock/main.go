// Command testdock is testdock's command line: it builds the offline image
// kit, tells how testdock sees the engine, and cleans up what tests left
// behind.
//
//	go run ./cmd/testdock images build [-only name,name] [-force]
//	go run ./cmd/testdock images map
//	go run ./cmd/testdock doctor
//	go run ./cmd/testdock ps
//	go run ./cmd/testdock prune [-all]
//
// Each group of subcommands lives in its own file; main only dispatches.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: testdock <command> [arguments]

commands:
  images build [-only name,name] [-force] [-parallel n] [-mirror uri] [-v] [-classic] [-bootstrap tool]
                 build the test server and the offline stand-ins for official images
  images map     print the official=local image mapping, one per line
  images list    print the kit's images and what they stand in for
  doctor         where the daemon is, which host reaches published ports and why, the kit's state
  ps             containers, networks and volumes that carry testdock's labels
  prune [-all]   remove what dead test processes left behind (-all: everything with our labels)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a command line and returns the exit code: 0 success, 1
// failure, 2 usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "images":
		return imagesCmd(ctx, args[1:], stdout, stderr)
	case "doctor":
		return doctorCmd(ctx, stdout, stderr)
	case "ps":
		return psCmd(ctx, stdout, stderr)
	case "prune":
		return pruneCmd(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "testdock: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
