package rabbitmq

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/internal/svckit"
)

// Vhost is a virtual host of a test's own, with a user that may use only
// it, made by NewVhost.
type Vhost struct {
	c *Container
	// Name is the virtual host's name, e.g. "t_k3j9x0q2ab".
	Name string
	// User and Password are the virtual host's user's credentials.
	User, Password string
}

// NewVhost makes a virtual host and a user for the test, through the
// management API; both are deleted, with all they hold, when the test
// ends. It is safe for parallel tests.
func (c *Container) NewVhost(t testing.TB) *Vhost {
	t.Helper()
	v := &Vhost{c: c, Name: "t_" + svckit.Random(10), Password: svckit.Password()}
	v.User = v.Name
	ctx, cancel := fixture.TestContext(t)
	defer cancel()
	t.Cleanup(func() {
		ctx, cancel := svckit.CleanupContext(10 * time.Second)
		defer cancel()
		if err := c.api(ctx, http.MethodDelete, "/api/vhosts/"+url.PathEscape(v.Name), nil); err != nil {
			t.Errorf("rabbitmq: delete virtual host %s: %v", v.Name, err)
		}
		if err := c.api(ctx, http.MethodDelete, "/api/users/"+url.PathEscape(v.User), nil); err != nil {
			t.Errorf("rabbitmq: delete user %s: %v", v.User, err)
		}
	})
	steps := []struct {
		path string
		body any
	}{
		{"/api/vhosts/" + url.PathEscape(v.Name), map[string]string{}},
		{"/api/users/" + url.PathEscape(v.User), map[string]string{"password": v.Password, "tags": ""}},
		{"/api/permissions/" + url.PathEscape(v.Name) + "/" + url.PathEscape(v.User),
			map[string]string{"configure": ".*", "write": ".*", "read": ".*"}},
	}
	for _, s := range steps {
		if err := c.api(ctx, http.MethodPut, s.path, s.body); err != nil {
			t.Fatalf("rabbitmq: new virtual host: %v", err)
		}
	}
	return v
}

// URL returns the virtual host's AMQP URL with its user's credentials.
// The port may change after Restart.
func (v *Vhost) URL() string {
	return v.c.url(v.c.Endpoint(amqpPort), v.Name, v.User, v.Password)
}

// Conn returns a connection to the virtual host as its user, closed when
// the test ends.
func (v *Vhost) Conn(t testing.TB) *amqp.Connection {
	t.Helper()
	return v.c.conn(t, v.Name, v.User, v.Password)
}

// api calls the management API as the administrator.
func (c *Container) api(ctx context.Context, method, path string, body any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.ManagementURL()+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", basicAuth(c.cfg.user, c.password))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 && !(method == http.MethodDelete && resp.StatusCode == http.StatusNotFound) {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

func basicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}
