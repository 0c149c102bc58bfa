package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/moby/moby/client"

	"github.com/testdock/testdock/internal/engine"
	"github.com/testdock/testdock/internal/imagekit"
)

// doctorCmd runs "testdock doctor": where the daemon is, which host reaches
// published ports and why, and which kit images are present.
func doctorCmd(ctx context.Context, stdout, stderr io.Writer) int {
	e, err := engine.Get(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "testdock doctor: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "daemon:      %s (from %s)\n", e.Location.Host, e.Location.Source)
	if v, err := e.Client.ServerVersion(ctx, client.ServerVersionOptions{}); err == nil {
		fmt.Fprintf(stdout, "engine:      %s, API %s, %s/%s\n", v.Version, v.APIVersion, v.Os, v.Arch)
	}
	if info, err := e.Client.Info(ctx, client.InfoOptions{}); err == nil {
		fmt.Fprintf(stdout, "storage:     %s\n", info.Info.Driver)
	}
	fmt.Fprintf(stdout, "ports on:    %s (%s)\n", e.Host, e.HostReason)
	fmt.Fprintf(stdout, "session:     %s\n", e.Session)
	ryuk := "on (TESTCONTAINERS_RYUK_DISABLED is not true)"
	if e.Config.RyukDisabled {
		ryuk = "off"
	}
	fmt.Fprintf(stdout, "ryuk:        %s\n", ryuk)
	fmt.Fprintln(stdout, "image kit:")
	tags := []string{imagekit.TestServerImage, imagekit.TestServerHealthcheckImage}
	for _, s := range imagekit.StandIns() {
		tags = append(tags, s.Tag)
	}
	missing := 0
	for _, tag := range tags {
		state := "present"
		if _, err := e.Client.ImageInspect(ctx, tag); err != nil {
			state, missing = "missing", missing+1
		}
		fmt.Fprintf(stdout, "  %-40s %s\n", tag, state)
	}
	if missing > 0 {
		fmt.Fprintln(stdout, "build the missing images with: go run ./cmd/testdock images build")
	}
	return 0
}

// psCmd runs "testdock ps": what carries testdock's labels on the engine.
func psCmd(ctx context.Context, stdout, stderr io.Writer) int {
	e, err := engine.Get(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "testdock ps: %v\n", err)
		return 1
	}
	rs, err := e.Resources(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "testdock ps: %v\n", err)
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tID\tNAME\tSESSION\tOWNER\tOWNER ALIVE")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%.12s\t%s\t%s\t%s\t%v\n", r.Kind, r.ID, r.Name, r.Session, r.Owner, r.OwnerAlive)
	}
	tw.Flush()
	return 0
}

// pruneCmd runs "testdock prune [-all]": removes what dead test processes
// left behind, or with -all everything that carries testdock's labels.
func pruneCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testdock prune", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "also remove resources whose owner process still runs")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	e, err := engine.Get(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "testdock prune: %v\n", err)
		return 1
	}
	rs, err := e.Resources(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "testdock prune: %v\n", err)
		return 1
	}
	code := 0
	for _, r := range rs {
		if r.OwnerAlive && !*all {
			continue
		}
		if err := e.Remove(ctx, r); err != nil {
			fmt.Fprintf(stderr, "testdock prune: %v\n", err)
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "removed %s %.12s (%s)\n", r.Kind, r.ID, r.Name)
	}
	return code
}
