package imagekit

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestHostSources(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "sources.list.d"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "sources.list.d", "debian.sources"), []byte(`Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian/
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`), 0o644))
	must(os.WriteFile(filepath.Join(dir, "sources.list.d", "other.list"), []byte(
		"deb [signed-by=/k.gpg arch=amd64] https://packages.example/apt cloud-sdk-bookworm main\n"), 0o644))
	got := hostSources(dir)
	want := []aptSource{
		{"http://mirror.example/debian", "bookworm"},
		{"http://mirror.example/debian", "bookworm-updates"},
		{"http://mirror.example/debian-security", "bookworm-security"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("hostSources = %v, want %v", got, want)
	}
}

func TestHostSourcesOneLineAndFallback(t *testing.T) {
	dir := t.TempDir()
	if got := hostSources(dir); !slices.Equal(got, defaultSources) {
		t.Errorf("no apt config: %v, want the defaults", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "sources.list"), []byte(
		"# deb http://old.example/debian bookworm main\ndeb [trusted=yes] http://one.example/debian bookworm main non-free\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := hostSources(dir)
	if !slices.Equal(got, []aptSource{{"http://one.example/debian", "bookworm"}}) {
		t.Errorf("one-line sources.list: %v", got)
	}
}
