// Package bench holds testdock's side-by-side benchmarks: testdock beside
// the Docker floor, testcontainers-go and plain SQL, measured in one run.
// It is a module of its own so that what it compares with stays out of
// testdock's go.mod. See BENCHMARKS.md for the commands and the figures.
package bench
