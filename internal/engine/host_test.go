package engine

import (
	"testing"
)

func TestResolveHost(t *testing.T) {
	never := func() string { t.Error("asked for a fact the rules did not need"); return "" }
	name := func(s string) func() string { return func() string { return s } }
	cases := []struct {
		name  string
		facts HostFacts
		want  string
	}{
		{"override wins", HostFacts{Override: "10.0.0.9", DaemonHost: "unix:///var/run/docker.sock", InContainer: true, DaemonName: never, Gateway: never}, "10.0.0.9"},
		{"local socket", HostFacts{DaemonHost: "unix:///var/run/docker.sock", DaemonName: never, Gateway: never}, "127.0.0.1"},
		{"local socket in a container with the docker bridge (/.dockerenv VM)", HostFacts{DaemonHost: "unix:///var/run/docker.sock", InContainer: true, HasDockerBridge: true, DaemonName: never, Gateway: never}, "127.0.0.1"},
		{"socket in a container, daemon on this host", HostFacts{DaemonHost: "unix:///var/run/docker.sock", InContainer: true, Hostname: "vm", DaemonName: name("vm"), Gateway: never}, "127.0.0.1"},
		{"socket mounted from the host into a container", HostFacts{DaemonHost: "unix:///var/run/docker.sock", InContainer: true, Hostname: "c0ffee", DaemonName: name("laptop"), Gateway: name("172.17.0.1")}, "172.17.0.1"},
		{"socket mounted, no gateway known", HostFacts{DaemonHost: "unix:///var/run/docker.sock", InContainer: true, Hostname: "c0ffee", DaemonName: name("laptop"), Gateway: name("")}, "127.0.0.1"},
		{"tcp loopback", HostFacts{DaemonHost: "tcp://127.0.0.1:2375", InContainer: true, DaemonName: never, Gateway: never}, "127.0.0.1"},
		{"tcp localhost", HostFacts{DaemonHost: "tcp://localhost:2375", DaemonName: never, Gateway: never}, "127.0.0.1"},
		{"tcp remote", HostFacts{DaemonHost: "tcp://docker.example:2376", DaemonName: never, Gateway: never}, "docker.example"},
		{"ssh remote", HostFacts{DaemonHost: "ssh://me@build-box", DaemonName: never, Gateway: never}, "build-box"},
		{"npipe", HostFacts{DaemonHost: "npipe:////./pipe/docker_engine", DaemonName: never, Gateway: never}, "127.0.0.1"},
		{"garbage", HostFacts{DaemonHost: "::::", DaemonName: never, Gateway: never}, "127.0.0.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := ResolveHost(tc.facts)
			if got != tc.want {
				t.Errorf("ResolveHost = %q (%s), want %q", got, reason, tc.want)
			}
			if reason == "" {
				t.Error("no reason given")
			}
		})
	}
}

func TestDefaultGatewayIsOnlyRead(t *testing.T) {
	// Reading the routing table gives an IPv4 address or nothing; it never
	// dials.
	if gw := defaultGateway(); gw != "" && len(gw) < 7 {
		t.Errorf("defaultGateway = %q", gw)
	}
}

// Regression: with TESTCONTAINERS_HOST_OVERRIDE=localhost, fixture
// published ports on all interfaces, because only a loopback IP counted.
func TestIsLoopbackHost(t *testing.T) {
	for h, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "[::1]": true, "localhost": true, "LOCALHOST": true,
		"": false, "0.0.0.0": false, "::": false, "172.17.0.1": false, "docker.example": false, "10.0.0.1": false,
	} {
		if got := IsLoopbackHost(h); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", h, got, want)
		}
	}
}
