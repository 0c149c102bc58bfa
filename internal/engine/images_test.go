package engine

import (
	"strings"
	"testing"
)

func TestImageMap(t *testing.T) {
	m, err := ParseImageMap("postgres:17-alpine=testdock.local/postgres:latest, redis=testdock.local/redis:latest", "mirror.example/hub/")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"postgres:17-alpine":          "testdock.local/postgres:latest",
		"postgres:16":                 "mirror.example/hub/postgres:16",
		"redis:7":                     "testdock.local/redis:latest",
		"redis":                       "testdock.local/redis:latest",
		"library/nginx:1.27":          "mirror.example/hub/library/nginx:1.27",
		"quay.io/coreos/etcd:v3.5":    "quay.io/coreos/etcd:v3.5",
		"localhost:5000/app:1":        "localhost:5000/app:1",
		"testdock.local/testserver:1": "testdock.local/testserver:1",
		"redis@sha256:abc":            "testdock.local/redis:latest",
	}
	for in, want := range cases {
		if got, _ := m.Map(in); got != want {
			t.Errorf("Map(%q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"postgres", "=x", "a="} {
		if _, err := ParseImageMap(bad, ""); err == nil {
			t.Errorf("ParseImageMap(%q): no error", bad)
		}
	}
}

func TestOwnerAlive(t *testing.T) {
	if !OwnerAlive(Owner()) {
		t.Errorf("this process (%s) is not alive", Owner())
	}
	host, pid, _ := cutOwner(Owner())
	if OwnerAlive(host + ":" + pid + ":1") {
		t.Error("a different start time means the pid was reused: dead")
	}
	if OwnerAlive(host + ":999999999:5") {
		t.Error("a pid that does not exist is dead")
	}
	if !OwnerAlive("another-host:1:1") {
		t.Error("owners on other hosts are not ours to judge")
	}
	if !OwnerAlive("garbage") {
		t.Error("an unreadable owner is left alone")
	}
}

func cutOwner(o string) (host, pid, start string) {
	parts := strings.SplitN(o, ":", 3)
	return parts[0], parts[1], parts[2]
}
