//go:build !linux

package procnet

import "errors"

// diagListeners needs Linux's sock_diag.
func diagListeners(string) ([]Listener, error) {
	return nil, errors.New("sock_diag: not on Linux")
}
