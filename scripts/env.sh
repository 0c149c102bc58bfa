# Sourced by the scripts beside it: the environment testdock's own tests run in.
#
# Ryuk's image can't be pulled where no registry is reachable; testdock
# removes fixtures at cleanup and sweeps what a killed run left without it.
: "${TESTCONTAINERS_RYUK_DISABLED:=true}"
# testcontainers-go (used side by side in interop tests and benchmarks)
# would pick the default gateway on machines with /.dockerenv; testdock
# itself picks 127.0.0.1 for a local daemon without this.
: "${TESTCONTAINERS_HOST_OVERRIDE:=127.0.0.1}"
export TESTCONTAINERS_RYUK_DISABLED TESTCONTAINERS_HOST_OVERRIDE

# Build the offline image kit where it is missing (skips what is up to
# date) and run official images on its stand-ins.
go run ./cmd/testdock images build
TESTDOCK_IMAGES="$(go run ./cmd/testdock images map)"
export TESTDOCK_IMAGES
