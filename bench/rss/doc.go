// Package rss holds the test binaries of case 5 of issue 6 (memory): each
// of its two subpackages is a test that starts and removes 20 fixtures of
// the test server one after another, one with testdock
// (rss/testdockrss), one with testcontainers-go (rss/tcrss).
// BenchmarkMemory builds both with go test -c, runs them one after another
// and reads each one's peak RSS. The tests skip unless SBS_RSS=1, so that
// go test ./... does not run them.
package rss
