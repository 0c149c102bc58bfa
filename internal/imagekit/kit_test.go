package imagekit

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// allImages is what a build from nothing makes.
func allImages() []string {
	out := []string{TestServerImage, TestServerHealthcheckImage, "base"}
	for _, s := range StandIns() {
		out = append(out, s.Tag)
	}
	return out
}

// normalize names the base "base" whatever its hash tag.
func normalize(built []string) []string {
	out := append([]string(nil), built...)
	for i, b := range out {
		if strings.HasPrefix(b, BaseRepository+":") {
			out[i] = "base"
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestBuildThenRebuildIsUpToDate(t *testing.T) {
	fx := newKitFixture(t)
	if err := fx.run(t, Options{}); err != nil {
		t.Fatal(err)
	}
	built := normalize(fx.eng.takeBuilt())
	if !sameSet(built, allImages()) {
		t.Fatalf("first build made %v, want %v", built, allImages())
	}
	// the test server, its variant and the base (in any order) before the
	// stand-ins
	if !sameSet(built[:3], []string{TestServerImage, TestServerHealthcheckImage, "base"}) {
		t.Errorf("build order %v: want the test server, its variant and the base first", built)
	}
	if !strings.Contains(fx.progress.String(), "images: 12 built, 0 up to date") {
		t.Errorf("progress lacks the summary:\n%s", fx.progress.String())
	}

	if err := fx.run(t, Options{}); err != nil {
		t.Fatal(err)
	}
	if b := fx.eng.takeBuilt(); len(b) != 0 {
		t.Errorf("second build made %v, want nothing", b)
	}
	for _, name := range []string{"testserver", "testserver:healthcheck", "base", "postgres", "etcd"} {
		if !strings.Contains(fx.progress.String(), name+": up to date") {
			t.Errorf("progress lacks %q:\n%s", name+": up to date", fx.progress.String())
		}
	}
}

func TestChangedInputRebuildsWhatDependsOnIt(t *testing.T) {
	standIns := func() []string {
		var out []string
		for _, s := range StandIns() {
			out = append(out, s.Tag)
		}
		return out
	}
	tests := []struct {
		name   string
		change func(fx *kitFixture)
		want   []string
	}{
		{
			name:   "stand-in entrypoint",
			change: func(fx *kitFixture) { edit(fx.files, "redis/docker-entrypoint.sh") },
			want:   []string{Registry + "/redis:latest"},
		},
		{
			name:   "stand-in config file",
			change: func(fx *kitFixture) { edit(fx.files, "nginx/default.conf") },
			want:   []string{Registry + "/nginx:latest"},
		},
		{
			name:   "package list",
			change: func(fx *kitFixture) { edit(fx.files, "base/packages") },
			want:   append([]string{"base"}, standIns()...),
		},
		{
			name:   "a prepare.sh runs in the base",
			change: func(fx *kitFixture) { edit(fx.files, "postgres/prepare.sh") },
			want:   append([]string{"base"}, standIns()...),
		},
		{
			name:   "test server source",
			change: func(fx *kitFixture) { edit(fx.tsSource, "main.go") },
			want:   []string{TestServerImage, TestServerHealthcheckImage},
		},
		{
			name:   "test server test file",
			change: func(fx *kitFixture) { fx.tsSource["main_test.go"] = &fstest.MapFile{Data: []byte("package main\n")} },
			want:   nil,
		},
		{
			name:   "health check Dockerfile",
			change: func(fx *kitFixture) { edit(fx.files, "testserver/healthcheck.Dockerfile") },
			want:   []string{TestServerHealthcheckImage},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newKitFixture(t)
			if err := fx.run(t, Options{}); err != nil {
				t.Fatal(err)
			}
			fx.eng.takeBuilt()
			tt.change(fx)
			if err := fx.run(t, Options{}); err != nil {
				t.Fatal(err)
			}
			if got := normalize(fx.eng.takeBuilt()); !sameSet(got, tt.want) {
				t.Errorf("rebuilt %v, want %v", got, tt.want)
			}
		})
	}
}

// edit appends a comment line to a file.
func edit(fsys fstest.MapFS, name string) {
	f := fsys[name]
	f.Data = append(append([]byte(nil), f.Data...), "\n# changed\n"...)
}

func TestRebuiltParentRebuildsChildren(t *testing.T) {
	fx := newKitFixture(t)
	if err := fx.run(t, Options{}); err != nil {
		t.Fatal(err)
	}
	fx.eng.takeBuilt()
	// The base is forced alone; its children have the same inputs but
	// were built from the old base.
	if err := fx.run(t, Options{Only: []string{"base"}, Force: true}); err != nil {
		t.Fatal(err)
	}
	if got := normalize(fx.eng.takeBuilt()); !slices.Equal(got, []string{"base"}) {
		t.Fatalf("forced base build made %v", got)
	}
	if err := fx.run(t, Options{}); err != nil {
		t.Fatal(err)
	}
	if got := fx.eng.takeBuilt(); len(got) != len(StandIns()) {
		t.Errorf("after a new base, rebuilt %v, want every stand-in", got)
	}
}

func TestOnlyAndForce(t *testing.T) {
	fx := newKitFixture(t)
	if err := fx.run(t, Options{Only: []string{"redis"}}); err != nil {
		t.Fatal(err)
	}
	if got := normalize(fx.eng.takeBuilt()); !slices.Equal(got, []string{"base", Registry + "/redis:latest"}) {
		t.Errorf("-only redis from nothing made %v, want the base and redis", got)
	}
	if err := fx.run(t, Options{Only: []string{"redis", " memcached"}, Force: true}); err != nil {
		t.Fatal(err)
	}
	if got := fx.eng.takeBuilt(); !sameSet(got, []string{Registry + "/redis:latest", Registry + "/memcached:latest"}) {
		t.Errorf("-only redis,memcached -force made %v, want just those two", got)
	}
	if !strings.Contains(fx.progress.String(), "base: up to date") {
		t.Errorf("a forced stand-in rebuilt the base:\n%s", fx.progress.String())
	}

	err := fx.run(t, Options{Only: []string{"postgress"}})
	if err == nil || !strings.Contains(err.Error(), `unknown image "postgress"`) || !strings.Contains(err.Error(), "postgres") {
		t.Errorf("unknown -only name: got %v, want an error listing the names", err)
	}
}

func TestFailureNamesImageStepAndOutput(t *testing.T) {
	fx := newKitFixture(t)
	fx.eng.failLoad = Registry + "/postgres:latest"
	err := fx.run(t, Options{})
	var se *StepError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a *StepError", err)
	}
	if se.Image != "postgres" || !strings.Contains(se.Step, "build") {
		t.Errorf("error names image %q, step %q; want postgres and the build", se.Image, se.Step)
	}
	for _, want := range []string{"postgres: build", "exit status 1", "no space left on device"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// the others still got built
	if got := fx.eng.takeBuilt(); len(got) != len(allImages())-1 {
		t.Errorf("built %d images around the failure, want %d", len(got), len(allImages())-1)
	}
	if !strings.Contains(fx.progress.String(), "1 failed") {
		t.Errorf("summary does not count the failure:\n%s", fx.progress.String())
	}
}

func TestHashTakesEveryInputIntoAccount(t *testing.T) {
	base := []file{{name: "Dockerfile", mode: 0o644, data: []byte("FROM x\n")}, {name: "run.sh", mode: 0o755, data: []byte("#!/bin/sh\n")}}
	sum := func(extra []string, files []file) string {
		h := newHasher("test")
		h.add(extra...)
		h.files(files)
		return h.sum()
	}
	ref := sum([]string{"a"}, base)
	if sum([]string{"a"}, base) != ref {
		t.Fatal("hash is not stable")
	}
	variants := map[string]string{
		"other value":        sum([]string{"b"}, base),
		"values regrouped":   sum([]string{"a", ""}, base),
		"file content":       sum([]string{"a"}, []file{base[0], {name: "run.sh", mode: 0o755, data: []byte("#!/bin/bash\n")}}),
		"file mode":          sum([]string{"a"}, []file{base[0], {name: "run.sh", mode: 0o644, data: base[1].data}}),
		"file name":          sum([]string{"a"}, []file{base[0], {name: "run2.sh", mode: 0o755, data: base[1].data}}),
		"bytes across files": sum([]string{"a"}, []file{{name: "Dockerfile", mode: 0o644, data: []byte("FROM x\n#")}, {name: "run.sh", mode: 0o755, data: []byte("!/bin/sh\n")}}),
		"file missing":       sum([]string{"a"}, base[:1]),
	}
	for name, h := range variants {
		if h == ref {
			t.Errorf("%s: hash unchanged", name)
		}
	}
}

func TestReadDirIsSortedWithModes(t *testing.T) {
	fsys := fstest.MapFS{
		"x/b.conf":          {Data: []byte("b")},
		"x/a/entrypoint.sh": {Data: []byte("a")},
		"x/Dockerfile":      {Data: []byte("d")},
	}
	files, err := readDir(fsys, "x", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.name+" "+map[int64]string{0o755: "755", 0o644: "644"}[f.mode])
	}
	want := []string{"Dockerfile 644", "a/entrypoint.sh 755", "b.conf 644"}
	if !slices.Equal(got, want) {
		t.Errorf("readDir = %v, want %v", got, want)
	}
}

func TestStandInsTable(t *testing.T) {
	fx := newKitFixture(t)
	seen := map[string]bool{}
	for _, s := range StandIns() {
		if _, ok := fx.files[s.Name+"/Dockerfile"]; !ok {
			t.Errorf("%s: no images/%s/Dockerfile", s.Name, s.Name)
		}
		if s.Tag != Registry+"/"+s.Name+":latest" || len(s.Official) == 0 {
			t.Errorf("%s: bad entry %+v", s.Name, s)
		}
		for _, o := range s.Official {
			if seen[o] {
				t.Errorf("%s stands in twice", o)
			}
			seen[o] = true
		}
	}
	lines := Mapping()
	for _, want := range []string{
		"postgres:17-alpine=testdock.local/postgres:latest",
		"mysql:8.4=testdock.local/mariadb:latest",
		"gcr.io/etcd-development/etcd:v3.5.17=testdock.local/etcd:latest",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("Mapping() lacks %q: %v", want, lines)
		}
	}
}

func TestStandInImageConfig(t *testing.T) {
	fx := newKitFixture(t)
	if err := fx.run(t, Options{}); err != nil {
		t.Fatal(err)
	}
	pg, _, _ := fx.eng.Inspect(t.Context(), Registry+"/postgres:latest")
	c := pg.Config
	if !slices.Equal(c.Entrypoint, []string{"docker-entrypoint.sh"}) || !slices.Equal(c.Cmd, []string{"postgres"}) {
		t.Errorf("postgres entrypoint %q cmd %q", c.Entrypoint, c.Cmd)
	}
	if !slices.Contains(c.Env, "PGDATA=/var/lib/postgresql/data") || !slices.Contains(c.Env, "LANG=en_US.utf8") {
		t.Errorf("postgres env %q", c.Env)
	}
	if _, ok := c.ExposedPorts["5432/tcp"]; !ok || c.StopSignal != "SIGINT" {
		t.Errorf("postgres ports %v stop signal %q", c.ExposedPorts, c.StopSignal)
	}
	if _, ok := c.Volumes["/var/lib/postgresql/data"]; !ok {
		t.Errorf("postgres volumes %v", c.Volumes)
	}
	for k, v := range map[string]string{LabelKit: "1", LabelStandsInFor: "postgres:17-alpine"} {
		if pg.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, pg.Labels[k], v)
		}
	}
	if len(pg.Layers) != 2 {
		t.Errorf("postgres has %d layers, want the base's and its own", len(pg.Layers))
	}

	hc, _, _ := fx.eng.Inspect(t.Context(), TestServerHealthcheckImage)
	ts, _, _ := fx.eng.Inspect(t.Context(), TestServerImage)
	want := healthConfig{Test: []string{"CMD", "/testserver", "probe", "http://127.0.0.1:8080/health"}, Interval: 1e9, Timeout: 1e9, Retries: 1}
	if hc.Config.Healthcheck == nil || !slices.Equal(hc.Config.Healthcheck.Test, want.Test) ||
		hc.Config.Healthcheck.Interval != want.Interval || hc.Config.Healthcheck.Timeout != want.Timeout ||
		hc.Config.Healthcheck.Retries != 1 || hc.Config.Healthcheck.StartPeriod != 0 {
		t.Errorf("healthcheck %+v, want %+v", hc.Config.Healthcheck, want)
	}
	if !slices.Equal(hc.Layers, ts.Layers) || !slices.Equal(hc.Config.Entrypoint, []string{"/testserver"}) {
		t.Errorf("healthcheck variant: layers %v entrypoint %v; want the test server's", hc.Layers, hc.Config.Entrypoint)
	}

	// etcd: no entrypoint, the official command
	et, _, _ := fx.eng.Inspect(t.Context(), Registry+"/etcd:latest")
	if len(et.Config.Entrypoint) != 0 || !slices.Equal(et.Config.Cmd, []string{"/usr/local/bin/etcd"}) || et.Config.WorkingDir != "/var/lib/etcd" {
		t.Errorf("etcd entrypoint %q cmd %q workdir %q", et.Config.Entrypoint, et.Config.Cmd, et.Config.WorkingDir)
	}
}

// A layer's folder entries must carry the parent's owner and mode: they
// replace the parent's folder in the merged file system.
func TestLayerKeepsParentFolders(t *testing.T) {
	fx := newKitFixture(t)
	if err := fx.run(t, Options{Only: []string{"mosquitto"}}); err != nil {
		t.Fatal(err)
	}
	hdrs := layerHeaders(t, fx.eng.archives[Registry+"/mosquitto:latest"])
	conf, dir := hdrs["mosquitto/config/mosquitto.conf"], hdrs["mosquitto/config/"]
	if conf == nil || dir == nil || hdrs["mosquitto/"] == nil {
		t.Fatalf("layer entries %v", keys(hdrs))
	}
	if conf.Uid != 107 || conf.Gid != 110 || conf.Mode != 0o644 {
		t.Errorf("mosquitto.conf uid %d gid %d mode %o; want 107 110 644 (COPY --chown)", conf.Uid, conf.Gid, conf.Mode)
	}
	if dir.Uid != 107 || dir.Mode != 0o755 {
		t.Errorf("/mosquitto/config uid %d mode %o; want the parent's 107 755", dir.Uid, dir.Mode)
	}
	ep := hdrs["docker-entrypoint.sh"]
	if ep == nil || ep.Mode != 0o755 || ep.Uid != 0 {
		t.Errorf("docker-entrypoint.sh: %+v, want root 755", ep)
	}
}

func layerHeaders(t *testing.T, archive []byte) map[string]*tar.Header {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(archive))
	var layer []byte
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(hdr.Name, "/layer.tar") {
			layer, _ = io.ReadAll(tr)
		}
	}
	out := map[string]*tar.Header{}
	lr := tar.NewReader(bytes.NewReader(layer))
	for {
		hdr, err := lr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out[hdr.Name] = hdr
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
