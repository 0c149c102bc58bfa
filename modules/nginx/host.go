package nginx

import (
	"context"
	"fmt"
	"net"

	"github.com/moby/moby/client"

	"github.com/testdock/testdock/internal/engine"
)

// HostAddress returns the address on this machine that containers reach as
// host.docker.internal: the gateway of Docker's default bridge (e.g.
// "172.17.0.1"). A server for WithProxyToHost should listen there — it is
// on this machine and reachable from containers, unlike 127.0.0.1, and
// unlike 0.0.0.0 it is not exposed on the machine's other networks.
func HostAddress(ctx context.Context) (string, error) {
	e, err := engine.Get(ctx)
	if err != nil {
		return "", err
	}
	n, err := e.Client.NetworkInspect(ctx, "bridge", client.NetworkInspectOptions{})
	if err != nil {
		return "", fmt.Errorf("nginx: find the host address: inspect the bridge network: %w", err)
	}
	for _, c := range n.Network.IPAM.Config {
		if c.Gateway.Is4() {
			return c.Gateway.String(), nil
		}
	}
	// Engines that leave the default bridge's gateway out of its IPAM
	// config (20.10 does) give it to the bridge interface.
	name := n.Network.Options["com.docker.network.bridge.name"]
	if name == "" {
		name = "docker0"
	}
	if iface, err := net.InterfaceByName(name); err == nil {
		addrs, _ := iface.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
				return ipn.IP.String(), nil
			}
		}
	}
	for _, c := range n.Network.IPAM.Config {
		if c.Subnet.Addr().Is4() {
			return c.Subnet.Addr().Next().String(), nil // Docker's default: the subnet's first address
		}
	}
	return "", fmt.Errorf("nginx: find the host address: the bridge network has no IPv4 gateway")
}
