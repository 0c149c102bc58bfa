package engine

import (
	"bufio"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"strings"
)

// HostFacts are what endpoint host resolution decides from. Gathering them
// never sends a packet anywhere but to the daemon.
type HostFacts struct {
	// Override is TESTCONTAINERS_HOST_OVERRIDE.
	Override string
	// DaemonHost is the daemon's address, as in Location.Host.
	DaemonHost string
	// InContainer is true when this process runs in a container
	// (/.dockerenv or /run/.containerenv exists).
	InContainer bool
	// HasDockerBridge is true when this network namespace has a docker0
	// interface: the daemon then publishes ports into this namespace.
	HasDockerBridge bool
	// Hostname is this machine's hostname.
	Hostname string
	// DaemonName is the daemon's name (docker info's Name); it is only
	// needed, and only asked for, when the other facts leave the answer open.
	DaemonName func() string
	// Gateway is the default gateway read from the routing table, used
	// only when the facts say the daemon's ports are on another machine
	// reached through a socket mounted into this container.
	Gateway func() string
}

// ResolveHost decides which host reaches the ports that the daemon
// publishes, and says why.
//
// The rules: an override wins; a daemon reached over tcp or ssh publishes
// on its own host (loopback names map to 127.0.0.1); a daemon on a local
// socket publishes on 127.0.0.1, unless this process runs in a container
// whose namespace has no docker bridge and whose hostname differs from the
// daemon's name, when the ports are on the machine behind the default
// gateway.
func ResolveHost(f HostFacts) (host, reason string) {
	if f.Override != "" {
		return f.Override, "TESTCONTAINERS_HOST_OVERRIDE"
	}
	u, err := url.Parse(f.DaemonHost)
	if err != nil || u.Scheme == "" {
		return "127.0.0.1", "daemon address " + f.DaemonHost + " is not a URL; assuming a local daemon"
	}
	switch u.Scheme {
	case "tcp", "http", "https", "ssh":
		h := u.Hostname()
		if isLoopbackName(h) {
			return "127.0.0.1", "daemon at " + u.Scheme + "://" + u.Host + " is on this machine"
		}
		return h, "daemon at " + u.Scheme + "://" + u.Host + " publishes ports on its own host"
	}
	// unix or npipe: a daemon reached through a socket.
	if !f.InContainer {
		return "127.0.0.1", "local daemon socket"
	}
	if f.HasDockerBridge {
		return "127.0.0.1", "local daemon socket; this namespace has the docker bridge"
	}
	if f.DaemonName != nil && f.Hostname != "" && f.DaemonName() == f.Hostname {
		return "127.0.0.1", "local daemon socket; the daemon runs on this host"
	}
	if f.Gateway != nil {
		if gw := f.Gateway(); gw != "" {
			return gw, "daemon socket mounted into this container; its ports are on the default gateway " + gw
		}
	}
	return "127.0.0.1", "local daemon socket; no gateway known"
}

// IsLoopbackHost reports whether the endpoint host h is this machine's
// loopback: "localhost" or an address in 127.0.0.0/8 or ::1.
func IsLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

func isLoopbackName(h string) bool {
	switch h {
	case "", "localhost", "0.0.0.0", "::":
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// inContainer reports whether this process runs in a container.
func inContainer() bool {
	for _, p := range []string{"/.dockerenv", "/run/.containerenv"} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

func hasDockerBridge() bool {
	_, err := net.InterfaceByName("docker0")
	return err == nil
}

// defaultGateway reads the IPv4 default route from /proc/net/route. It
// reads a file; it never sends anything to the gateway.
func defaultGateway() string {
	f, err := os.Open("/proc/net/route")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || fields[1] != "00000000" {
			continue
		}
		b, err := hex.DecodeString(fields[2])
		if err != nil || len(b) != 4 {
			continue
		}
		return net.IPv4(b[3], b[2], b[1], b[0]).String()
	}
	return ""
}
