package mqtt

import (
	"errors"
	"strings"
	"time"
)

// DefaultImage is the image Run and Start use unless WithImage says
// otherwise. TESTDOCK_IMAGES can map it to a local stand-in.
const DefaultImage = "eclipse-mosquitto:2"

// DefaultUser is the broker's user unless WithUser says otherwise.
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
// eclipse-mosquitto image's contract (/mosquitto/config/mosquitto.conf,
// the mosquitto command, port 1883).
func WithImage(image string) Option { return func(c *config) { c.image = image } }

// WithUser sets the user name (default "test"); the password is random.
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
	if c.user == "" || strings.ContainsAny(c.user, ":\n") {
		problems = append(problems, errors.New("WithUser: the user is empty or holds ':' or a newline"))
	}
	if c.startupTimeout < 0 {
		problems = append(problems, errors.New("WithStartupTimeout: the timeout is negative"))
	}
	return errors.Join(problems...)
}
