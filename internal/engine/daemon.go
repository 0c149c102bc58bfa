package engine

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Location is where the Docker daemon was found.
type Location struct {
	// Host is the daemon's address: "unix:///var/run/docker.sock",
	// "tcp://127.0.0.1:2375", "ssh://user@host".
	Host string
	// Source says where Host came from: "DOCKER_HOST", "docker context
	// NAME", "~/.testcontainers.properties", "default socket".
	Source string
	// Looked lists every place that was consulted, in order, with what it
	// held; it goes into the error when no daemon answers.
	Looked []string
}

// system is the part of the machine that daemon lookup reads; tests fake it.
type system struct {
	exists   func(path string) bool
	readFile func(path string) ([]byte, error)
}

var realSystem = system{
	exists: func(p string) bool {
		_, err := os.Stat(p)
		return err == nil
	},
	readFile: os.ReadFile,
}

// Locate decides which daemon to talk to, in the order the docker CLI and
// testcontainers-go use: DOCKER_HOST, the current docker context, the
// docker.host of ~/.testcontainers.properties, then the well-known sockets.
func Locate(cfg Config) Location {
	return locate(cfg, realSystem)
}

func locate(cfg Config, sys system) Location {
	var loc Location
	if cfg.DockerHost != "" {
		loc.Host, loc.Source = cfg.DockerHost, "DOCKER_HOST"
		loc.Looked = append(loc.Looked, "DOCKER_HOST="+cfg.DockerHost)
		return loc
	}
	loc.Looked = append(loc.Looked, "DOCKER_HOST (unset)")

	name, from := cfg.DockerContext, "DOCKER_CONTEXT"
	if name == "" && cfg.DockerConfigDir != "" {
		from = filepath.Join(cfg.DockerConfigDir, "config.json")
		if b, err := sys.readFile(from); err == nil {
			var dc struct {
				CurrentContext string `json:"currentContext"`
			}
			if json.Unmarshal(b, &dc) == nil {
				name = dc.CurrentContext
			}
		}
	}
	if name != "" && name != "default" {
		sum := sha256.Sum256([]byte(name))
		meta := filepath.Join(cfg.DockerConfigDir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
		if h := contextHost(sys, meta); h != "" {
			loc.Host, loc.Source = h, "docker context "+name
			loc.Looked = append(loc.Looked, fmt.Sprintf("docker context %q (from %s): %s", name, from, h))
			return loc
		}
		loc.Looked = append(loc.Looked, fmt.Sprintf("docker context %q (from %s): no docker endpoint in %s", name, from, meta))
	} else {
		loc.Looked = append(loc.Looked, "docker context (default)")
	}

	if cfg.Home != "" {
		props := filepath.Join(cfg.Home, ".testcontainers.properties")
		if h := propertiesHost(sys, props); h != "" {
			loc.Host, loc.Source = h, "~/.testcontainers.properties"
			loc.Looked = append(loc.Looked, props+": docker.host="+h)
			return loc
		}
		loc.Looked = append(loc.Looked, props+" (no docker.host)")
	}

	sockets := []string{"/var/run/docker.sock"}
	if cfg.XDGRuntimeDir != "" {
		sockets = append(sockets, filepath.Join(cfg.XDGRuntimeDir, "docker.sock"))
	}
	if cfg.Home != "" {
		sockets = append(sockets,
			filepath.Join(cfg.Home, ".docker", "run", "docker.sock"),
			filepath.Join(cfg.Home, ".docker", "desktop", "docker.sock"),
			filepath.Join(cfg.Home, ".colima", "default", "docker.sock"),
			filepath.Join(cfg.Home, ".rd", "docker.sock"))
	}
	for _, s := range sockets {
		if sys.exists(s) {
			loc.Host, loc.Source = "unix://"+s, "default socket"
			loc.Looked = append(loc.Looked, s)
			return loc
		}
		loc.Looked = append(loc.Looked, s+" (missing)")
	}
	loc.Host, loc.Source = "unix:///var/run/docker.sock", "default"
	return loc
}

func contextHost(sys system, meta string) string {
	b, err := sys.readFile(meta)
	if err != nil {
		return ""
	}
	var m struct {
		Endpoints map[string]struct {
			Host string `json:"Host"`
		} `json:"Endpoints"`
	}
	if json.Unmarshal(b, &m) != nil {
		return ""
	}
	return m.Endpoints["docker"].Host
}

func propertiesHost(sys system, path string) string {
	b, err := sys.readFile(path)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if ok && strings.TrimSpace(k) == "docker.host" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
