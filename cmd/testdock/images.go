package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/testdock/testdock/internal/imagekit"
)

// imagesCmd runs "testdock images build|map|list".
func imagesCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "build":
		return imagesBuild(ctx, args[1:], stdout, stderr)
	case "map":
		for _, line := range imagekit.Mapping() {
			fmt.Fprintln(stdout, line)
		}
		return 0
	case "list":
		fmt.Fprintf(stdout, "%s\n%s\n", imagekit.TestServerImage, imagekit.TestServerHealthcheckImage)
		for _, s := range imagekit.StandIns() {
			fmt.Fprintf(stdout, "%s\t%s\n", s.Tag, strings.Join(s.Official, " "))
		}
		return 0
	default:
		fmt.Fprintf(stderr, "testdock images: unknown subcommand %q\n\n%s", args[0], usage)
		return 2
	}
}

func imagesBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testdock images build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("only", "", "comma-separated images to build: "+strings.Join(imagekit.Names(), ", "))
	force := fs.Bool("force", false, "rebuild the selected images even when up to date")
	parallel := fs.Int("parallel", 2, "stand-ins to build at once")
	mirror := fs.String("mirror", "", "Debian mirror for the base (default: the host's apt configuration)")
	verbose := fs.Bool("v", false, "show the full output of every build")
	classic := fs.Bool("classic", false, "build the Dockerfiles with docker build (slow: a commit per step)")
	bootstrap := fs.String("bootstrap", "", "tool for the base: mmdebstrap or debootstrap (default: mmdebstrap, installed with apt-get when missing, else debootstrap)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "testdock images build: unexpected arguments %q\n", fs.Args())
		return 2
	}
	opts := imagekit.Options{
		Force:     *force,
		Parallel:  *parallel,
		Mirror:    *mirror,
		Progress:  stdout,
		Verbose:   *verbose,
		Classic:   *classic,
		Bootstrap: *bootstrap,
	}
	if *only != "" {
		opts.Only = strings.Split(*only, ",")
	}
	if err := imagekit.Build(ctx, opts); err != nil {
		fmt.Fprintf(stderr, "testdock images build: %v\n", err)
		return 1
	}
	return 0
}
