//go:build linux

package procnet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// tcpListen is the kernel's TCP_LISTEN state.
const tcpListen = 10

// diagTimeout bounds each receive from the kernel: an answer that never
// comes gives an error, not a hang.
const diagTimeout = 2 * time.Second

// diagListeners asks the kernel, through netlink's sock_diag, for the TCP
// sockets that listen in the network namespace at nsPath (such as
// /proc/PID/ns/net). It asks for listeners only, so the kernel reads just
// its table of listening sockets, where reading /proc/PID/net/tcp walks
// every TCP connection of the machine (milliseconds on a large host). It
// needs the right to enter that namespace (CAP_SYS_ADMIN, as root has).
func diagListeners(nsPath string) ([]Listener, error) {
	fd, err := socketIn(nsPath)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	tv := unix.NsecToTimeval(diagTimeout.Nanoseconds())
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return nil, fmt.Errorf("sock_diag: %w", err)
	}
	var all []Listener
	for _, family := range []uint8{unix.AF_INET, unix.AF_INET6} {
		ls, err := dumpListeners(fd, family)
		if err != nil {
			return nil, err
		}
		all = append(all, ls...)
	}
	return all, nil
}

// socketIn opens a NETLINK_SOCK_DIAG socket in the network namespace at
// nsPath. A socket stays in the namespace it was made in, so only its
// making needs to be there: on an OS thread of its own, moved into the
// namespace and back. Should the way back fail, the thread stays locked
// and ends with its goroutine, so that no other goroutine runs on it.
func socketIn(nsPath string) (int, error) {
	target, err := unix.Open(nsPath, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	defer unix.Close(target)
	type result struct {
		fd  int
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		self, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			done <- result{-1, err}
			return
		}
		defer unix.Close(self)
		if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			done <- result{-1, fmt.Errorf("enter the network namespace %s: %w", nsPath, err)}
			return
		}
		fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
		if unix.Setns(self, unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		done <- result{fd, err}
	}()
	r := <-done
	return r.fd, r.err
}

// dumpListeners sends one sock_diag dump request for the TCP listeners of
// family and reads the answer to its end.
func dumpListeners(fd int, family uint8) ([]Listener, error) {
	// struct nlmsghdr (16 bytes), then struct inet_diag_req_v2 (56 bytes):
	// family, protocol, ext, pad, states, and an inet_diag_sockid that a
	// dump ignores.
	const reqLen = unix.SizeofNlMsghdr + 56
	req := make([]byte, reqLen)
	ne := binary.NativeEndian
	ne.PutUint32(req[0:], reqLen)
	ne.PutUint16(req[4:], unix.SOCK_DIAG_BY_FAMILY)
	ne.PutUint16(req[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	ne.PutUint32(req[8:], 1)
	req[16] = family
	req[17] = unix.IPPROTO_TCP
	ne.PutUint32(req[20:], 1<<tcpListen)
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("sock_diag: send: %w", err)
	}
	var ls []Listener
	buf := make([]byte, 32<<10)
	for {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			return nil, fmt.Errorf("sock_diag: receive: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return nil, fmt.Errorf("sock_diag: %w", err)
		}
		for _, m := range msgs {
			switch m.Header.Type {
			case unix.NLMSG_DONE:
				return ls, nil
			case unix.NLMSG_ERROR:
				if len(m.Data) >= 4 {
					if code := int32(ne.Uint32(m.Data)); code < 0 {
						return nil, fmt.Errorf("sock_diag: %w", syscall.Errno(-code))
					}
				}
				return nil, errors.New("sock_diag: error answer")
			}
			if l, ok := parseDiagMsg(m.Data); ok {
				ls = append(ls, l)
			}
		}
	}
}

// parseDiagMsg reads a struct inet_diag_msg: family, state, timer,
// retrans, then the socket's id: source port (big-endian), destination
// port, source address (16 bytes), ...
func parseDiagMsg(b []byte) (Listener, bool) {
	if len(b) < 24 || b[1] != tcpListen {
		return Listener{}, false
	}
	port := binary.BigEndian.Uint16(b[4:6])
	switch b[0] {
	case unix.AF_INET:
		return Listener{Addr: netip.AddrFrom4([4]byte(b[8:12])), Port: port}, true
	case unix.AF_INET6:
		return Listener{Addr: netip.AddrFrom16([16]byte(b[8:24])), Port: port}, true
	}
	return Listener{}, false
}
