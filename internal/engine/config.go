// Package engine is testdock's access to Docker: it finds the daemon, decides
// which host reaches published ports, maps image names, labels what testdock
// creates and sweeps up what a dead test process left behind.
package engine

import (
	"os"
	"strings"
)

// Config is every environment setting that testdock reads, read in one place.
type Config struct {
	// DockerHost is DOCKER_HOST.
	DockerHost string
	// DockerContext is DOCKER_CONTEXT.
	DockerContext string
	// DockerConfigDir is DOCKER_CONFIG, default ~/.docker.
	DockerConfigDir string
	// HostOverride is TESTCONTAINERS_HOST_OVERRIDE: the host that reaches
	// published ports, whatever the rules would say.
	HostOverride string
	// RyukDisabled is TESTCONTAINERS_RYUK_DISABLED=true.
	RyukDisabled bool
	// SkipWithoutDocker is TESTDOCK_SKIP_WITHOUT_DOCKER=1: skip tests instead
	// of failing them when no daemon can be reached.
	SkipWithoutDocker bool
	// KeepFailed is false when TESTDOCK_KEEP_FAILED=0.
	KeepFailed bool
	// Session is TESTDOCK_SESSION, the session label shared by all test
	// processes of one run; empty means one session per process.
	Session string
	// Images is TESTDOCK_IMAGES, a comma-separated list of image
	// substitutes "from=to".
	Images string
	// ImagePrefix is TESTDOCK_IMAGE_PREFIX (or testcontainers-go's
	// TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX): a registry mirror put before
	// images that have no registry of their own.
	ImagePrefix string
	// Home is the user's home directory.
	Home string
	// XDGRuntimeDir is XDG_RUNTIME_DIR.
	XDGRuntimeDir string
}

// ReadConfig reads the configuration from the environment.
func ReadConfig() Config {
	home, _ := os.UserHomeDir()
	c := Config{
		DockerHost:        os.Getenv("DOCKER_HOST"),
		DockerContext:     os.Getenv("DOCKER_CONTEXT"),
		DockerConfigDir:   os.Getenv("DOCKER_CONFIG"),
		HostOverride:      os.Getenv("TESTCONTAINERS_HOST_OVERRIDE"),
		RyukDisabled:      isTrue(os.Getenv("TESTCONTAINERS_RYUK_DISABLED")),
		SkipWithoutDocker: isTrue(os.Getenv("TESTDOCK_SKIP_WITHOUT_DOCKER")),
		KeepFailed:        os.Getenv("TESTDOCK_KEEP_FAILED") != "0",
		Session:           os.Getenv("TESTDOCK_SESSION"),
		Images:            os.Getenv("TESTDOCK_IMAGES"),
		ImagePrefix:       os.Getenv("TESTDOCK_IMAGE_PREFIX"),
		Home:              home,
		XDGRuntimeDir:     os.Getenv("XDG_RUNTIME_DIR"),
	}
	if c.ImagePrefix == "" {
		c.ImagePrefix = os.Getenv("TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX")
	}
	if c.DockerConfigDir == "" && home != "" {
		c.DockerConfigDir = home + "/.docker"
	}
	return c
}

func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
