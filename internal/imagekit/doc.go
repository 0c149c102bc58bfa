// Package imagekit builds testdock's offline image kit: the test server
// image and local stand-ins for the official images the modules default
// to, so that the same tests run where no registry can be reached.
//
//	err := imagekit.Build(ctx, imagekit.Options{Progress: os.Stdout})
//
// or from the command line:
//
//	go run ./cmd/testdock images build            # everything missing or out of date
//	go run ./cmd/testdock images build -only postgres,redis -force
//	go run ./cmd/testdock images map              # official=local, one per line
//
// What it builds (files in the images folder of the repository):
//
//   - testdock.local/testserver:latest and :healthcheck, from
//     internal/testserver compiled with CGO_ENABLED=0 into a FROM scratch
//     image;
//   - testdock.local/debian-base:<hash>, one Debian bookworm root file
//     system with every service's packages installed (mmdebstrap, or
//     debootstrap, from the host's Debian mirror) imported with docker
//     import;
//   - one stand-in per service (StandIns), a small Dockerfile FROM that
//     base with an entrypoint that keeps the official image's contract.
//
// Every image carries the labels testdock.kit=1 and testdock.kit.hash, a
// hash of its inputs; a build skips images whose hash matches, so running
// it again costs a few docker inspects. The kit evaluates its RUN-less
// Dockerfiles itself and docker loads the one layer they add on top of the
// base (a docker build commits every step, about 5 s each on a
// fuse-overlayfs engine); Options.Classic uses docker build instead. No
// build needs network inside a container. See images/README.md for the
// differences between the stand-ins and the official images.
package imagekit
