package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"

	"github.com/testdock/testdock/internal/reaper"
)

// Engine is a connection to a Docker daemon with what testdock decided
// about it. One Engine is shared by all fixtures of a process that see the
// same configuration; it is safe for concurrent use.
type Engine struct {
	// Client talks to the daemon.
	Client *client.Client
	// Location is where the daemon was found.
	Location Location
	// Host is the host that reaches published ports, e.g. "127.0.0.1".
	Host string
	// HostReason says why Host was chosen.
	HostReason string
	// Session is the value of the testdock.session label.
	Session string
	// Config is the configuration the engine was made from.
	Config Config
	// Images maps image references (TESTDOCK_IMAGES, TESTDOCK_IMAGE_PREFIX).
	Images ImageMap

	ryuk *reaper.Ryuk // held for the life of the process when Ryuk is on
}

// ErrNoDaemon is wrapped by the error of Get when no daemon answers.
var ErrNoDaemon = errors.New("no Docker daemon reachable")

var (
	mu      sync.Mutex
	engines = map[string]*Engine{}
)

// Get returns the engine for the current configuration, connecting on
// first use. A failed connection is not cached: a later call tries again.
func Get(ctx context.Context) (*Engine, error) {
	cfg := ReadConfig()
	key := strings.Join([]string{cfg.DockerHost, cfg.DockerContext, cfg.HostOverride, cfg.Session, cfg.Images, cfg.ImagePrefix, fmt.Sprint(cfg.RyukDisabled)}, "\x00")
	mu.Lock()
	defer mu.Unlock()
	if e, ok := engines[key]; ok {
		return e, nil
	}
	e, err := connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	engines[key] = e
	return e, nil
}

func connect(ctx context.Context, cfg Config) (*Engine, error) {
	images, err := ParseImageMap(cfg.Images, cfg.ImagePrefix)
	if err != nil {
		return nil, err
	}
	loc := Locate(cfg)
	opts := []client.Opt{client.WithHost(loc.Host)}
	if os.Getenv("DOCKER_CERT_PATH") != "" || os.Getenv("DOCKER_TLS_VERIFY") != "" {
		opts = append(opts, client.WithTLSClientConfigFromEnv())
	}
	cli, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: bad daemon address %q (from %s): %v; point DOCKER_HOST at a daemon, e.g. DOCKER_HOST=unix:///var/run/docker.sock", ErrNoDaemon, loc.Host, loc.Source, err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := cli.Ping(pctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		_ = cli.Close()
		return nil, fmt.Errorf("%w at %s (from %s): %v\nlooked at: %s\nfix: start Docker, or point DOCKER_HOST at a running daemon (e.g. DOCKER_HOST=unix:///run/user/1000/docker.sock or tcp://127.0.0.1:2375); set TESTDOCK_SKIP_WITHOUT_DOCKER=1 to skip these tests instead",
			ErrNoDaemon, loc.Host, loc.Source, err, strings.Join(loc.Looked, "; "))
	}
	hostname, _ := os.Hostname()
	facts := HostFacts{
		Override:        cfg.HostOverride,
		DaemonHost:      loc.Host,
		InContainer:     inContainer(),
		HasDockerBridge: hasDockerBridge(),
		Hostname:        hostname,
		DaemonName: func() string {
			ictx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			info, err := cli.Info(ictx, client.InfoOptions{})
			if err != nil {
				return ""
			}
			return info.Info.Name
		},
		Gateway: defaultGateway,
	}
	host, reason := ResolveHost(facts)
	e := &Engine{
		Client:     cli,
		Location:   loc,
		Host:       host,
		HostReason: reason,
		Session:    Session(cfg),
		Config:     cfg,
		Images:     images,
	}
	if err := e.sweep(ctx, autoSweepMinAge); err != nil {
		_ = cli.Close()
		return nil, err
	}
	if !cfg.RyukDisabled {
		image, _ := images.Map(reaper.RyukImage)
		socket, _ := strings.CutPrefix(loc.Host, "unix://")
		if socket == loc.Host {
			socket = ""
		}
		labels := map[string]string{LabelOwner: Owner(), "org.testcontainers.ryuk": "true"}
		r, err := reaper.StartRyuk(ctx, cli, image, socket, host, e.Session, labels)
		if err != nil {
			_ = cli.Close()
			return nil, err
		}
		e.ryuk = r
	}
	return e, nil
}

// Labels returns testdock's labels for a new resource, merged over extra.
func (e *Engine) Labels(extra map[string]string) map[string]string {
	l := make(map[string]string, len(extra)+3)
	for k, v := range extra {
		l[k] = v
	}
	l[LabelSession] = e.Session
	l[LabelOwner] = Owner()
	return l
}
