package redis

import (
	"errors"
	"fmt"
	"time"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "redis:7"

// DefaultDatabases is how many logical databases the server has unless
// WithDatabases says otherwise.
const DefaultDatabases = 256

// Option configures Run, Start and Shared. Options are applied in order
// over the defaults; a value of Option can be reused by any number of
// parallel callers.
type Option func(*config)

type config struct {
	image          string
	databases      int
	password       string
	noAuth         bool
	startupTimeout time.Duration
}

func defaults() config {
	return config{image: DefaultImage, databases: DefaultDatabases}
}

// WithImage runs image instead of DefaultImage. It must keep the official
// redis image's contract (the redis-server command, port 6379).
func WithImage(image string) Option { return func(c *config) { c.image = image } }

// WithDatabases sets how many logical databases the server has (default
// 256): database 0 is the Container's own, the others are handed out by
// NewDatabase.
func WithDatabases(n int) Option { return func(c *config) { c.databases = n } }

// WithPassword sets the server's password instead of a random one.
func WithPassword(password string) Option { return func(c *config) { c.password = password } }

// WithoutAuth starts the server without a password.
func WithoutAuth() Option { return func(c *config) { c.noAuth = true } }

// WithStartupTimeout bounds the wait for the server to answer (default
// fixture.DefaultStartupTimeout).
func WithStartupTimeout(d time.Duration) Option {
	return func(c *config) { c.startupTimeout = d }
}

func (c config) validate() error {
	var problems []error
	if c.image == "" {
		problems = append(problems, errors.New("WithImage: the image is empty"))
	}
	if c.databases < 1 || c.databases > 1<<16 {
		problems = append(problems, fmt.Errorf("WithDatabases: %d is not between 1 and 65536", c.databases))
	}
	if c.startupTimeout < 0 {
		problems = append(problems, errors.New("WithStartupTimeout: the timeout is negative"))
	}
	return errors.Join(problems...)
}
