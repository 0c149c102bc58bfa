package memcached

import (
	"errors"
	"time"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "memcached:1.6"

// Option configures Run, Start and Shared. Options are applied in order
// over the defaults; a value of Option can be reused by any number of
// parallel callers.
type Option func(*config)

type config struct {
	image          string
	memoryMB       int
	startupTimeout time.Duration
}

func defaults() config { return config{image: DefaultImage, memoryMB: 64} }

// WithImage runs image instead of DefaultImage. It must keep the official
// memcached image's contract (options alone run memcached, port 11211).
func WithImage(image string) Option { return func(c *config) { c.image = image } }

// WithMemory sets memcached's item memory in megabytes (-m, default 64).
func WithMemory(mb int) Option { return func(c *config) { c.memoryMB = mb } }

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
	if c.memoryMB < 1 {
		problems = append(problems, errors.New("WithMemory: the memory must be at least 1 MB"))
	}
	if c.startupTimeout < 0 {
		problems = append(problems, errors.New("WithStartupTimeout: the timeout is negative"))
	}
	return errors.Join(problems...)
}
