package imagekit

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The stand-in tests run the kit's images on the local engine. They need
// the images: they fail (they do not skip) when one is missing.

// testSession labels every container these tests start, so leftover
// checks can find them.
const testSession = "imagekit-test"

// testTimeout bounds each test's waits; RabbitMQ takes 20 s on a busy
// two-core machine.
const testTimeout = 3 * time.Minute

func docker(ctx context.Context, stdin io.Reader, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String(), fmt.Errorf("docker %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// requireImage fails the test when ref is missing or not a kit image.
func requireImage(t *testing.T, ref string) {
	t.Helper()
	out, err := docker(t.Context(), nil, "image", "inspect", "--format", `{{index .Config.Labels "testdock.kit"}}`, ref)
	if err != nil {
		t.Fatalf("image %s is missing: run go run ./cmd/testdock images build first (%v)", ref, err)
	}
	if strings.TrimSpace(out) != "1" {
		t.Fatalf("image %s has no testdock.kit label: run go run ./cmd/testdock images build first", ref)
	}
}

// runSpec describes a test container.
type runSpec struct {
	image string
	env   []string
	ports []string          // container ports, published on 127.0.0.1
	tmpfs []string          // paths
	files map[string]string // absolute path: content, copied in before start
	args  []string          // command
}

type container struct {
	t     *testing.T
	id    string
	image string
}

// start creates, fills and starts a container, and removes it (with its
// volumes) when the test ends.
func start(t *testing.T, spec runSpec) *container {
	t.Helper()
	requireImage(t, spec.image)
	args := []string{"create", "--label", "testdock.session=" + testSession}
	for _, e := range spec.env {
		args = append(args, "-e", e)
	}
	for _, p := range spec.ports {
		args = append(args, "-p", "127.0.0.1::"+p)
	}
	for _, p := range spec.tmpfs {
		args = append(args, "--tmpfs", p)
	}
	args = append(args, spec.image)
	args = append(args, spec.args...)
	out, err := docker(t.Context(), nil, args...)
	if err != nil {
		t.Fatal(err)
	}
	c := &container{t: t, id: strings.TrimSpace(out), image: spec.image}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := docker(ctx, nil, "rm", "-f", "-v", c.id); err != nil && !strings.Contains(err.Error(), "No such container") {
			t.Errorf("cleanup: %v", err)
		}
	})
	if len(spec.files) > 0 {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for name, content := range spec.files {
			mode := int64(0o644)
			if strings.HasSuffix(name, ".sh") {
				mode = 0o755
			}
			hdr := &tar.Header{Name: strings.TrimPrefix(name, "/"), Mode: mode, Size: int64(len(content)), ModTime: time.Now()}
			if err := tw.WriteHeader(hdr); err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write([]byte(content)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := docker(t.Context(), &buf, "cp", "-", c.id+":/"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := docker(t.Context(), nil, "start", c.id); err != nil {
		t.Fatal(err)
	}
	return c
}

// endpoint returns "127.0.0.1:PORT" where the container port is published.
func (c *container) endpoint(port string) string {
	c.t.Helper()
	out, err := docker(c.t.Context(), nil, "port", c.id, port)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "127.0.0.1:") {
			return line
		}
	}
	c.t.Fatalf("port %s of %s is not published on 127.0.0.1: %q", port, c.image, out)
	return ""
}

func (c *container) logs() string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", "logs", c.id)
	out, _ := cmd.CombinedOutput()
	return string(out)
}

// exec runs a command in the container and returns its combined output.
func (c *container) exec(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "docker", append([]string{"exec", c.id}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// state returns the container's status and exit code.
func (c *container) state(ctx context.Context) (status string, exitCode string) {
	out, err := docker(ctx, nil, "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", c.id)
	if err != nil {
		return "unknown", ""
	}
	status, exitCode, _ = strings.Cut(strings.TrimSpace(out), " ")
	return status, exitCode
}

// waitFor polls check every 100ms until it returns nil, the container
// exits, or ctx ends; then it fails the test with the last error and the
// end of the container's log.
func (c *container) waitFor(ctx context.Context, what string, check func(ctx context.Context) error) {
	c.t.Helper()
	var last error
	for {
		attempt, cancel := context.WithTimeout(ctx, 5*time.Second)
		last = check(attempt)
		cancel()
		if last == nil {
			return
		}
		if status, code := c.state(ctx); status == "exited" || status == "dead" {
			c.t.Fatalf("%s: waiting for %s: the container %s (exit code %s); last error: %v\n%s", c.image, what, status, code, last, tail(c.logs(), 30))
		}
		select {
		case <-ctx.Done():
			c.t.Fatalf("%s: waiting for %s: %v; last error: %v\n%s", c.image, what, ctx.Err(), last, tail(c.logs(), 30))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitExit waits until the container exited and returns its exit code.
func (c *container) waitExit(ctx context.Context) string {
	c.t.Helper()
	var code string
	c.waitForState(ctx, func(status, exitCode string) bool {
		code = exitCode
		return status == "exited" || status == "dead"
	})
	return code
}

func (c *container) waitForState(ctx context.Context, done func(status, exitCode string) bool) {
	c.t.Helper()
	for {
		if done(c.state(ctx)) {
			return
		}
		select {
		case <-ctx.Done():
			c.t.Fatalf("%s: waiting for the container to exit: %v\n%s", c.image, ctx.Err(), tail(c.logs(), 30))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "--- last lines of the container log ---\n" + strings.Join(lines, "\n")
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// dial opens a TCP connection whose reads and writes end with ctx.
func dial(ctx context.Context, addr string) (net.Conn, *bufio.Reader, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	return conn, bufio.NewReader(conn), nil
}

// httpGet GETs url with optional basic auth and returns status and body.
func httpGet(ctx context.Context, url, user, pass string) (int, string, error) {
	return httpDo(ctx, http.MethodGet, url, user, pass, "")
}

func httpDo(ctx context.Context, method, url, user, pass, body string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// want200 is a check for waitFor: url answers 200.
func want200(url, user, pass string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		code, body, err := httpGet(ctx, url, user, pass)
		if err != nil {
			return err
		}
		if code != http.StatusOK {
			return fmt.Errorf("GET %s: %d %s", url, code, strings.TrimSpace(body))
		}
		return nil
	}
}

var errNotYet = errors.New("not yet")
