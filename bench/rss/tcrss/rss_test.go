package tcrss

import (
	"bufio"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	tcwait "github.com/testcontainers/testcontainers-go/wait"

	"github.com/testdock/testdock/bench/rss"
)

// TestFixtures starts and removes 20 containers one after another with
// testcontainers-go, each in a subtest (removed when it ends), as a test
// suite would.
func TestFixtures(t *testing.T) {
	if os.Getenv("SBS_RSS") != "1" {
		t.Skip("run by BenchmarkMemory (SBS_RSS=1)")
	}
	for i := range 20 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			c, err := testcontainers.Run(t.Context(), "testdock.local/testserver:latest",
				testcontainers.WithCmd("-tcp", "8080", "-greeting", "hello"),
				testcontainers.WithExposedPorts("8080/tcp"),
				testcontainers.WithLabels(map[string]string{"testdock.bench": "side-by-side"}),
				testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
					hc.PortBindings = network.PortMap{network.MustParsePort("8080/tcp"): {{HostIP: netip.MustParseAddr("127.0.0.1")}}}
				}),
				testcontainers.WithWaitStrategy(tcwait.ForListeningPort("8080/tcp").SkipInternalCheck()),
			)
			testcontainers.CleanupContainer(t, c)
			if err != nil {
				t.Fatal(err)
			}
			host, err := c.Host(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			port, err := c.MappedPort(t.Context(), "8080/tcp")
			if err != nil {
				t.Fatal(err)
			}
			addr := net.JoinHostPort(host, port.Port())
			// Docker's proxy accepts before the server listens: retry.
			deadline := time.Now().Add(10 * time.Second)
			for {
				err = greet(addr)
				if err == nil || time.Now().After(deadline) {
					break
				}
				time.Sleep(time.Millisecond)
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func greet(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "hello") {
		return fmt.Errorf("greeting %q: %v", line, err)
	}
	return nil
}

// TestMain reports the binary's peak RSS when the tests end.
func TestMain(m *testing.M) { rss.Main(m) }
