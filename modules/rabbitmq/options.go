package rabbitmq

import (
	"errors"
	"time"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "rabbitmq:3-management"

// DefaultUser is the administrator's name unless WithUser says otherwise.
const DefaultUser = "test"

// Option configures Run, Start and Shared. Options are applied in order
// over the defaults; a value of Option can be reused by any number of
// parallel callers.
type Option func(*config)

type config struct {
	image          string
	user           string
	startupTimeout time.Duration
}

func defaults() config { return config{image: DefaultImage, user: DefaultUser} }

// WithImage runs image instead of DefaultImage. It must keep the official
// rabbitmq image's contract (RABBITMQ_DEFAULT_USER and _PASS, port 5672,
// the management API on port 15672).
func WithImage(image string) Option { return func(c *config) { c.image = image } }

// WithUser sets the administrator's name (default "test"); the password
// is random.
func WithUser(name string) Option { return func(c *config) { c.user = name } }

// WithStartupTimeout bounds the wait for the broker to answer (default
// fixture.DefaultStartupTimeout).
func WithStartupTimeout(d time.Duration) Option {
	return func(c *config) { c.startupTimeout = d }
}

func (c config) validate() error {
	var problems []error
	if c.image == "" {
		problems = append(problems, errors.New("WithImage: the image is empty"))
	}
	if c.user == "" {
		problems = append(problems, errors.New("WithUser: the user is empty"))
	}
	if c.startupTimeout < 0 {
		problems = append(problems, errors.New("WithStartupTimeout: the timeout is negative"))
	}
	return errors.Join(problems...)
}
