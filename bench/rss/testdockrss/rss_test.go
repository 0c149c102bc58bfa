package testdockrss

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/wait"

	"github.com/testdock/testdock/bench/rss"
)

// TestFixtures starts and removes 20 fixtures one after another, each in
// a subtest (removed when it ends), as a test suite would.
func TestFixtures(t *testing.T) {
	if os.Getenv("SBS_RSS") != "1" {
		t.Skip("run by BenchmarkMemory (SBS_RSS=1)")
	}
	for i := range 20 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			c := fixture.Start(t, fixture.Spec{
				Image:  "testdock.local/testserver:latest",
				Cmd:    []string{"-tcp", "8080", "-greeting", "hello"},
				Ports:  []string{"8080/tcp"},
				Labels: map[string]string{"testdock.bench": "side-by-side"},
				Wait:   wait.ForPort("8080/tcp").WithGreeting(wait.HasPrefix("hello")),
			})
			conn, err := net.DialTimeout("tcp", c.Endpoint("8080/tcp"), 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(2 * time.Second))
			if line, err := bufio.NewReader(conn).ReadString('\n'); err != nil || !strings.HasPrefix(line, "hello") {
				t.Fatalf("greeting %q: %v", line, err)
			}
		})
	}
}

// TestMain reports the binary's peak RSS when the tests end.
func TestMain(m *testing.M) { rss.Main(m) }
