package etcd

import (
	"errors"
	"time"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "gcr.io/etcd-development/etcd:v3.5.17"

// Option configures Run, Start and Shared. Options are applied in order
// over the defaults; a value of Option can be reused by any number of
// parallel callers.
type Option func(*config)

type config struct {
	image          string
	noAuth         bool
	startupTimeout time.Duration
}

func defaults() config { return config{image: DefaultImage} }

// WithImage runs image instead of DefaultImage. It must keep the official
// etcd image's contract (/usr/local/bin/etcd configured by ETCD_*
// variables, port 2379).
func WithImage(image string) Option { return func(c *config) { c.image = image } }

// WithoutAuth leaves authentication off (by default Run enables it, with
// the user root and a random password).
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
	if c.startupTimeout < 0 {
		problems = append(problems, errors.New("WithStartupTimeout: the timeout is negative"))
	}
	return errors.Join(problems...)
}
