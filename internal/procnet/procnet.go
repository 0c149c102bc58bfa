// Package procnet reads, from the host, which TCP ports a container's
// processes listen on: the kernel's socket tables of the container's network
// namespace, as /proc/PID/net/tcp and /proc/PID/net/tcp6 of its main
// process show them. It needs nothing inside the image (no shell, no
// netstat), and it works where the container's processes are visible and
// readable from here: a daemon on this machine, as root or as the same user
// (rootless Docker). Elsewhere it says that it can't tell.
//
//	p := procnet.Proc{Root: "/proc"}
//	if p.Owns(pid, containerID) {
//		ls, err := p.Listeners(pid)
//		...
//	}
package procnet

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Listener is a TCP socket that listens.
type Listener struct {
	// Addr is the address it listens on: 0.0.0.0 or :: for every
	// interface.
	Addr netip.Addr
	// Port is the port it listens on.
	Port uint16
}

// Reachable reports whether connections from outside the network
// namespace can reach l: it does not listen on loopback only.
func (l Listener) Reachable() bool { return !l.Addr.Unmap().IsLoopback() }

// String is "addr:port", such as "0.0.0.0:8080" or "[::1]:8080".
func (l Listener) String() string { return netip.AddrPortFrom(l.Addr, l.Port).String() }

// Proc reads a procfs mounted at Root ("/proc" when empty). It holds no
// state: it is safe for concurrent use.
type Proc struct {
	Root string
}

func (p Proc) path(pid int, name string) string {
	root := p.Root
	if root == "" {
		root = "/proc"
	}
	return filepath.Join(root, strconv.Itoa(pid), name)
}

// Owns reports whether process pid is in container id's control group,
// which tells that pid, as Docker reported it, names that container's
// process in this PID namespace too (and not some other process, as it
// would where the daemon runs in another PID namespace). It is false when
// the process is gone or can't be read.
func (p Proc) Owns(pid int, id string) bool {
	if pid <= 0 || len(id) < 12 {
		return false
	}
	b, err := os.ReadFile(p.path(pid, "cgroup"))
	if err != nil {
		return false
	}
	return bytes.Contains(b, []byte(id))
}

// Listeners returns the listening TCP sockets (IPv4 and IPv6) of process
// pid's network namespace. It asks the kernel through netlink's sock_diag
// from inside that namespace where it may enter it (as root), which costs
// tens of microseconds; elsewhere it reads /proc/PID/net/tcp and tcp6,
// which walk every TCP socket of the machine and take milliseconds.
func (p Proc) Listeners(pid int) ([]Listener, error) {
	if ls, err := diagListeners(p.path(pid, "ns/net")); err == nil {
		return ls, nil
	}
	return p.fileListeners(pid)
}

// fileListeners reads pid's /proc/PID/net/tcp and tcp6.
func (p Proc) fileListeners(pid int) ([]Listener, error) {
	var all []Listener
	found := false
	for _, name := range []string{"net/tcp", "net/tcp6"} {
		f, err := os.Open(p.path(pid, name))
		if errors.Is(err, os.ErrNotExist) {
			continue // no IPv6 in this kernel, or the process is gone
		}
		if err != nil {
			return nil, err
		}
		ls, err := ParseListeners(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.path(pid, name), err)
		}
		found = true
		all = append(all, ls...)
	}
	if !found {
		return nil, fmt.Errorf("%s: %w", p.path(pid, "net/tcp"), os.ErrNotExist)
	}
	return all, nil
}

// listenState is the kernel's TCP_LISTEN, as /proc/net/tcp shows it.
const listenState = "0A"

// ParseListeners parses the content of /proc/net/tcp or /proc/net/tcp6 and
// returns its listening sockets.
func ParseListeners(r io.Reader) ([]Listener, error) {
	var ls []Listener
	sc := bufio.NewScanner(r)
	first := true
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if first {
			first = false
			if len(f) > 0 && f[0] == "sl" {
				continue // the header
			}
		}
		if len(f) < 4 {
			continue
		}
		if f[3] != listenState {
			continue
		}
		l, err := parseAddrPort(f[1])
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	return ls, sc.Err()
}

// parseAddrPort parses a local_address such as "0100007F:1F90" (IPv4) or
// 32 hex digits and a port (IPv6). The kernel prints each 32-bit word of
// the address as a number in the machine's byte order, and the port in
// hex.
func parseAddrPort(s string) (Listener, error) {
	a, p, ok := strings.Cut(s, ":")
	if !ok || (len(a) != 8 && len(a) != 32) {
		return Listener{}, fmt.Errorf("bad address %q", s)
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return Listener{}, fmt.Errorf("bad port in %q", s)
	}
	raw := make([]byte, 0, 16)
	for i := 0; i < len(a); i += 8 {
		w, err := strconv.ParseUint(a[i:i+8], 16, 32)
		if err != nil {
			return Listener{}, fmt.Errorf("bad address %q", s)
		}
		raw = binary.NativeEndian.AppendUint32(raw, uint32(w))
	}
	addr, _ := netip.AddrFromSlice(raw)
	return Listener{Addr: addr, Port: uint16(port)}, nil
}
