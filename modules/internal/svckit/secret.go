package svckit

import (
	"crypto/rand"
	"io"
)

// Password returns a random string of 24 letters and digits, safe in URLs,
// command lines and configuration files.
func Password() string { return Random(24) }

// Random returns a random string of n lower-case letters and digits.
func Random(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		panic("svckit: crypto/rand failed: " + err.Error()) // never on Linux
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
