package sqlpool

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
)

// Password returns a random password of 24 letters and digits, safe in
// URLs, DSNs and shell variables.
func Password() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 24)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		panic("sqlpool: crypto/rand failed: " + err.Error()) // never on Linux
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Key returns a short hex hash of parts, each length-prefixed so that
// ("ab", "c") and ("a", "bc") differ.
func Key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		var n [8]byte
		for i, l := 0, uint64(len(p)); i < 8; i++ {
			n[i] = byte(l >> (8 * i))
		}
		h.Write(n[:])
		io.WriteString(h, p)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
