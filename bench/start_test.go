package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	dockertest "github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	tcwait "github.com/testcontainers/testcontainers-go/wait"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"
)

// sbsServerCmd runs the test server with a greeting on port 8080.
var sbsServerCmd = []string{"-tcp", "8080", "-greeting", sbsGreeting}

// sbsImpl is one implementation of a case: it starts a container, waits
// until it is ready by its own means, makes the first use (answer), and
// removes the container; it returns the error of the first step that
// failed.
type sbsImpl func(ctx context.Context) error

// BenchmarkStart is case 1 of issue 6: start the test server, wait until
// it answers, remove it; the moby client alone (the floor),
// testcontainers-go, dockertest and testdock, interleaved round by round.
// Each sample is one whole start-ready-use-remove. The floor runs twice
// per round ("floor-again"): how far that second floor is from the first
// is the noise of the run. Run with -benchtime=1x; SBS_START_ROUNDS sets
// the rounds (default 25).
func BenchmarkStart(b *testing.B) {
	rounds := sbsRounds("SBS_START_ROUNDS", 25)
	tclog.SetDefault(sbsQuiet{})
	cli := sbsDocker(b)
	defer cli.Close()
	defer sbsLeftovers(b, cli)
	impls := sbsStartImpls(b, cli)
	impls["floor-again"] = impls["floor"]
	names := []string{"floor", "testdock", "testcontainers-go", "dockertest", "floor-again"}
	c := newSBSCase(b, "start", names...)
	sbsInterleave(b, rounds, names, impls, nil, func(n string, _ time.Time, took time.Duration) { c.add(n, took) })
	c.report(b)
}

// sbsStartImpls returns case 1's implementations. Clients that a test
// suite makes once (the floor's client, dockertest's pool) are made here;
// testdock and testcontainers-go keep theirs as they do.
func sbsStartImpls(tb testing.TB, cli *client.Client) map[string]sbsImpl {
	pool, err := dockertest.NewPool("")
	if err != nil {
		tb.Fatal(err)
	}
	labels := map[string]string{sbsLabel: sbsLabelValue}
	return map[string]sbsImpl{
		"floor": func(ctx context.Context) error {
			return sbsFloor(ctx, cli, sbsFloorSpec{
				image: sbsTestserver, cmd: sbsServerCmd, port: "8080/tcp",
				ready: sbsGreet, pause: time.Millisecond,
			})
		},
		"testdock": func(ctx context.Context) error {
			c, err := fixture.Run(ctx, fixture.Spec{
				Image:  sbsTestserver,
				Cmd:    sbsServerCmd,
				Ports:  []string{"8080/tcp"},
				Labels: labels,
				Wait:   wait.ForPort("8080/tcp").WithGreeting(wait.HasPrefix(sbsGreeting)),
			})
			if err == nil {
				err = sbsGreet(ctx, c.Endpoint("8080/tcp"))
			}
			return errors.Join(err, c.Terminate(context.WithoutCancel(ctx)))
		},
		"testcontainers-go": func(ctx context.Context) error {
			c, err := testcontainers.Run(ctx, sbsTestserver,
				testcontainers.WithCmd(sbsServerCmd...),
				testcontainers.WithExposedPorts("8080/tcp"),
				testcontainers.WithLabels(labels),
				sbsTCLoopback("8080/tcp"),
				// The image has no shell for the internal check.
				testcontainers.WithWaitStrategy(tcwait.ForListeningPort("8080/tcp").SkipInternalCheck()),
			)
			if err == nil {
				var addr string
				if addr, err = sbsTCEndpoint(ctx, c, "8080/tcp"); err == nil {
					// ForListeningPort's dial is taken by Docker's proxy
					// before the server listens: the first use retries.
					err = sbsUntil(ctx, time.Millisecond, func(ctx context.Context) error { return sbsGreet(ctx, addr) })
				}
			}
			return errors.Join(err, testcontainers.TerminateContainer(c))
		},
		"dockertest": func(ctx context.Context) error {
			return sbsDockertestRun(pool, "testdock.local/testserver", sbsServerCmd, nil, "8080/tcp",
				func(addr string) error { return sbsGreet(ctx, addr) })
		},
	}
}

// sbsDockertestRun is dockertest's side of a case: RunWithOptions of
// repo:latest with port published on 127.0.0.1, Retry of answer on the
// published address until it succeeds, Purge.
func sbsDockertestRun(pool *dockertest.Pool, repo string, cmd, env []string, port string, answer func(addr string) error) error {
	res, err := pool.RunWithOptions(&dockertest.RunOptions{
		Repository:   repo,
		Tag:          "latest",
		Cmd:          cmd,
		Env:          env,
		ExposedPorts: []string{port},
		PortBindings: map[dc.Port][]dc.PortBinding{dc.Port(port): {{HostIP: "127.0.0.1"}}},
		Labels:       map[string]string{sbsLabel: sbsLabelValue},
	}, sbsDTLoopbackOnly)
	if err != nil {
		return err
	}
	err = pool.Retry(func() error { return answer(res.GetHostPort(port)) })
	return errors.Join(err, pool.Purge(res))
}

// sbsDTLoopbackOnly turns off dockertest's PublishAllPorts, which would
// publish the image's exposed ports on every interface.
func sbsDTLoopbackOnly(hc *dc.HostConfig) { hc.PublishAllPorts = false }

// sbsTCLoopback publishes port on 127.0.0.1 only (testcontainers-go
// publishes on every interface by default).
func sbsTCLoopback(port string) testcontainers.CustomizeRequestOption {
	return testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
		p := network.MustParsePort(port)
		hc.PortBindings = network.PortMap{p: {{HostIP: netip.MustParseAddr("127.0.0.1")}}}
	})
}

// sbsTCEndpoint is "host:port" of a testcontainers-go container's port.
func sbsTCEndpoint(ctx context.Context, c testcontainers.Container, port string) (string, error) {
	host, err := c.Host(ctx)
	if err != nil {
		return "", err
	}
	p, err := c.MappedPort(ctx, port)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(host, p.Port()), nil
}

// sbsFloorSpec is what the floor runs.
type sbsFloorSpec struct {
	image string
	cmd   []string
	env   []string
	port  string
	tmpfs string                                       // a tmpfs mount's target, if any
	ready func(ctx context.Context, addr string) error // one try
	// pause is the longest pause between tries of ready: 1 ms for the
	// test server, which listens within milliseconds; more for a server
	// whose start needs the CPU.
	pause time.Duration
}

// sbsFloor is the least a test can do with the moby client alone: create
// with the port bound to 127.0.0.1, start, inspect for the port, try until
// the server answers, force-remove.
func sbsFloor(ctx context.Context, cli *client.Client, s sbsFloorSpec) (err error) {
	p := network.MustParsePort(s.port)
	opts := client.ContainerCreateOptions{
		Config: &container.Config{
			Image:        s.image,
			Cmd:          s.cmd,
			Env:          s.env,
			Labels:       map[string]string{sbsLabel: sbsLabelValue},
			ExposedPorts: network.PortSet{p: {}},
		},
		HostConfig: &container.HostConfig{
			PortBindings: network.PortMap{p: {{HostIP: netip.MustParseAddr("127.0.0.1")}}},
		},
	}
	if s.tmpfs != "" {
		opts.HostConfig.Mounts = []mount.Mount{{Type: mount.TypeTmpfs, Target: s.tmpfs}}
	}
	res, err := cli.ContainerCreate(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		_, rerr := cli.ContainerRemove(context.WithoutCancel(ctx), res.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		err = errors.Join(err, rerr)
	}()
	if _, err = cli.ContainerStart(ctx, res.ID, client.ContainerStartOptions{}); err != nil {
		return err
	}
	ins, err := cli.ContainerInspect(ctx, res.ID, client.ContainerInspectOptions{})
	if err != nil {
		return err
	}
	var hostPort int
	for _, pb := range ins.Container.NetworkSettings.Ports[p] {
		hostPort, _ = strconv.Atoi(pb.HostPort)
	}
	if hostPort == 0 {
		return fmt.Errorf("port %s not published", s.port)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(hostPort))
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return sbsUntil(wctx, max(s.pause, time.Millisecond), func(ctx context.Context) error { return s.ready(ctx, addr) })
}
