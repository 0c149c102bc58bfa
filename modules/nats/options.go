package nats

import (
	"errors"
	"time"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "nats:2"

// DefaultUser is the server's user unless WithUser says otherwise.
const DefaultUser = "test"

// Option configures Run, Start and Shared. Options are applied in order
// over the defaults; a value of Option can be reused by any number of
// parallel callers.
type Option func(*config)

type config struct {
	image          string
	user           string
	jetStream      bool
	startupTimeout time.Duration
}

func defaults() config { return config{image: DefaultImage, user: DefaultUser} }

// WithImage runs image instead of DefaultImage. It must keep the official
// nats image's contract (the nats-server entrypoint with its flags, port
// 4222).
func WithImage(image string) Option { return func(c *config) { c.image = image } }

// WithUser sets the user name (default "test"); the password is random.
func WithUser(name string) Option { return func(c *config) { c.user = name } }

// WithJetStream turns JetStream on (stored in the container under
// /data).
func WithJetStream() Option { return func(c *config) { c.jetStream = true } }

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
	if c.user == "" {
		problems = append(problems, errors.New("WithUser: the user is empty"))
	}
	if c.startupTimeout < 0 {
		problems = append(problems, errors.New("WithStartupTimeout: the timeout is negative"))
	}
	return errors.Join(problems...)
}
