package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

type fakeFS map[string]string

func (f fakeFS) system() system {
	return system{
		exists: func(p string) bool { _, ok := f[p]; return ok },
		readFile: func(p string) ([]byte, error) {
			if s, ok := f[p]; ok {
				return []byte(s), nil
			}
			return nil, os.ErrNotExist
		},
	}
}

func metaPath(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "/home/u/.docker/contexts/meta/" + hex.EncodeToString(sum[:]) + "/meta.json"
}

func TestLocate(t *testing.T) {
	base := Config{Home: "/home/u", DockerConfigDir: "/home/u/.docker", XDGRuntimeDir: "/run/user/1000"}
	with := func(f func(*Config)) Config { c := base; f(&c); return c }
	cases := []struct {
		name       string
		cfg        Config
		fs         fakeFS
		host, from string
	}{
		{"DOCKER_HOST first", with(func(c *Config) { c.DockerHost = "tcp://127.0.0.1:2375" }),
			fakeFS{"/var/run/docker.sock": ""}, "tcp://127.0.0.1:2375", "DOCKER_HOST"},
		{"docker context from config.json", base,
			fakeFS{"/home/u/.docker/config.json": `{"currentContext":"colima"}`, metaPath("colima"): `{"Endpoints":{"docker":{"Host":"unix:///home/u/.colima/docker.sock"}}}`},
			"unix:///home/u/.colima/docker.sock", "docker context colima"},
		{"DOCKER_CONTEXT over config.json", with(func(c *Config) { c.DockerContext = "remote" }),
			fakeFS{"/home/u/.docker/config.json": `{"currentContext":"colima"}`, metaPath("remote"): `{"Endpoints":{"docker":{"Host":"ssh://me@box"}}}`},
			"ssh://me@box", "docker context remote"},
		{"default context falls through", base,
			fakeFS{"/home/u/.docker/config.json": `{"currentContext":"default"}`, "/var/run/docker.sock": ""},
			"unix:///var/run/docker.sock", "default socket"},
		{"testcontainers properties", base,
			fakeFS{"/home/u/.testcontainers.properties": "# comment\ndocker.host = tcp://127.0.0.1:2376\n", "/var/run/docker.sock": ""},
			"tcp://127.0.0.1:2376", "~/.testcontainers.properties"},
		{"rootless socket", base, fakeFS{"/run/user/1000/docker.sock": ""}, "unix:///run/user/1000/docker.sock", "default socket"},
		{"nothing found", base, fakeFS{}, "unix:///var/run/docker.sock", "default"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc := locate(tc.cfg, tc.fs.system())
			if loc.Host != tc.host || loc.Source != tc.from {
				t.Errorf("locate = %q from %q, want %q from %q\nlooked: %v", loc.Host, loc.Source, tc.host, tc.from, loc.Looked)
			}
			if len(loc.Looked) == 0 {
				t.Error("Looked is empty")
			}
		})
	}
	// When nothing is found, the error can tell every place looked at.
	loc := locate(base, fakeFS{}.system())
	all := strings.Join(loc.Looked, "; ")
	for _, want := range []string{"DOCKER_HOST (unset)", ".testcontainers.properties", "/var/run/docker.sock (missing)", "/run/user/1000/docker.sock (missing)"} {
		if !strings.Contains(all, want) {
			t.Errorf("Looked lacks %q: %s", want, all)
		}
	}
}
