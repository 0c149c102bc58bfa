// Package reaper is testdock's leak protection beyond test cleanup.
//
// testdock removes every fixture at test cleanup, and each process sweeps,
// when it first connects, what a dead test process left behind (see
// engine.Sweep): that needs no image. When Ryuk is enabled (the
// testcontainers-go default: TESTCONTAINERS_RYUK_DISABLED is not "true"),
// this package also starts testcontainers' Ryuk, which removes this
// session's containers, networks and volumes shortly after the process
// ends, however it ends.
package reaper

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// RyukImage is the Ryuk image testcontainers-go v0.45.0 uses.
const RyukImage = "testcontainers/ryuk:0.14.0"

// Ryuk is a running Ryuk container holding this session's resources. Its
// connection stays open for the life of the process; when the process
// ends, Ryuk removes everything labelled with the session.
type Ryuk struct {
	ID   string
	conn net.Conn
}

// StartRyuk starts Ryuk for a session. image is RyukImage after image
// mapping; socket is the daemon's unix socket path to mount into Ryuk;
// host reaches published ports; labels go on the Ryuk container.
func StartRyuk(ctx context.Context, cli *client.Client, image, socket, host, session string, labels map[string]string) (*Ryuk, error) {
	if _, err := cli.ImageInspect(ctx, image); err != nil {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if perr := pull(pctx, cli, image); perr != nil {
			return nil, fmt.Errorf("Ryuk is enabled (TESTCONTAINERS_RYUK_DISABLED is not true) but its image %s is not on the engine and can't be pulled: %v\n"+
				"fix: set TESTCONTAINERS_RYUK_DISABLED=true (testdock still removes fixtures at test cleanup and sweeps what a killed run left behind on its next start), "+
				"or make the image available (docker load, or map it to a local image with TESTDOCK_IMAGES=%s=<local image>)", image, perr, RyukImage)
		}
	}
	if socket == "" {
		return nil, fmt.Errorf("ryuk: the daemon is not reached through a local socket, so Ryuk can't be given one; set TESTCONTAINERS_RYUK_DISABLED=true")
	}
	port := network.MustParsePort("8080/tcp")
	res, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &container.Config{
			Image:        image,
			Labels:       labels,
			ExposedPorts: network.PortSet{port: {}},
			Env:          []string{"RYUK_RECONNECTION_TIMEOUT=10s"},
		},
		HostConfig: &container.HostConfig{
			AutoRemove:   true,
			Binds:        []string{socket + ":/var/run/docker.sock"},
			PortBindings: network.PortMap{port: {{HostIP: netip.MustParseAddr("127.0.0.1")}}},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("ryuk: create: %w", err)
	}
	r := &Ryuk{ID: res.ID}
	fail := func(err error) (*Ryuk, error) {
		_, _ = cli.ContainerRemove(context.WithoutCancel(ctx), r.ID, client.ContainerRemoveOptions{Force: true})
		return nil, err
	}
	if _, err := cli.ContainerStart(ctx, r.ID, client.ContainerStartOptions{}); err != nil {
		return fail(fmt.Errorf("ryuk: start: %w", err))
	}
	ins, err := cli.ContainerInspect(ctx, r.ID, client.ContainerInspectOptions{})
	if err != nil {
		return fail(fmt.Errorf("ryuk: inspect: %w", err))
	}
	var hostPort string
	if ins.Container.NetworkSettings != nil {
		for _, b := range ins.Container.NetworkSettings.Ports[port] {
			hostPort = b.HostPort
		}
	}
	if hostPort == "" {
		return fail(fmt.Errorf("ryuk: port 8080 is not published"))
	}
	addr := net.JoinHostPort(host, hostPort)
	// Ryuk needs a moment to listen: retry the connection with backoff.
	var d net.Dialer
	for delay := 5 * time.Millisecond; ; delay = min(2*delay, 200*time.Millisecond) {
		r.conn, err = d.DialContext(ctx, "tcp", addr)
		if err == nil {
			if err = register(r.conn, session); err == nil {
				return r, nil
			}
			r.conn.Close()
		}
		select {
		case <-ctx.Done():
			return fail(fmt.Errorf("ryuk: connect to %s: %v (%w)", addr, err, ctx.Err()))
		case <-time.After(delay):
		}
	}
}

func register(conn net.Conn, session string) error {
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	defer conn.SetDeadline(time.Time{})
	if _, err := fmt.Fprintf(conn, "label=testdock.session=%s\n", session); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "ACK" {
		return fmt.Errorf("ryuk answered %q", line)
	}
	return nil
}

func pull(ctx context.Context, cli *client.Client, image string) error {
	resp, err := cli.ImagePull(ctx, image, client.ImagePullOptions{})
	if err != nil {
		return err
	}
	defer resp.Close()
	return resp.Wait(ctx)
}
