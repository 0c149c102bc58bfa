package imagekit

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/testdock/testdock/images"
)

// fakeEngine keeps images in memory: enough of Docker for the kit's
// decisions (what is up to date, what gets built) without a daemon.
type fakeEngine struct {
	mu       sync.Mutex
	images   map[string]imageInfo // by reference
	built    []string             // references made by Load, Import or Build, in order
	archives map[string][]byte    // last docker load archive by first tag
	failLoad string               // a tag whose load fails
	pruned   []string             // image IDs passed to Prune
	next     int
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{images: map[string]imageInfo{}, archives: map[string][]byte{}}
}

func (f *fakeEngine) Inspect(_ context.Context, ref string) (imageInfo, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	info, ok := f.images[ref]
	return info, ok, nil
}

func (f *fakeEngine) Build(context.Context, buildRequest) (string, error) {
	return "", errors.New("fakeEngine: classic builds are not faked")
}

func (f *fakeEngine) Import(_ context.Context, rootfs io.Reader, ref string, changes []string, _ io.Writer) (string, error) {
	if _, err := io.Copy(io.Discard, rootfs); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	info := imageInfo{ID: fmt.Sprintf("sha256:import%d", f.next), Labels: map[string]string{},
		Layers: []string{fmt.Sprintf("sha256:layer%d", f.next)}, Arch: "amd64", OS: "linux"}
	for _, c := range changes {
		if kv, ok := strings.CutPrefix(c, "LABEL "); ok {
			k, v, _ := strings.Cut(kv, "=")
			info.Labels[k] = v
		}
	}
	info.Config.Labels = info.Labels
	f.images[ref] = info
	f.built = append(f.built, ref)
	return info.ID, nil
}

func (f *fakeEngine) Tag(_ context.Context, src, ref string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	info, ok := f.images[src]
	if !ok {
		return fmt.Errorf("no image %s", src)
	}
	f.images[ref] = info
	return nil
}

func (f *fakeEngine) Load(_ context.Context, archive io.Reader, out io.Writer) error {
	data, err := io.ReadAll(archive)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(tr)
		files[hdr.Name] = b
	}
	var manifest []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil || len(manifest) != 1 {
		return fmt.Errorf("bad manifest: %v", err)
	}
	m := manifest[0]
	var img struct {
		Architecture, OS string
		Config           containerConfig
		RootFS           struct {
			DiffIDs []string `json:"diff_ids"`
		}
	}
	if err := json.Unmarshal(files[m.Config], &img); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if m.RepoTags[0] == f.failLoad {
		fmt.Fprintln(out, "open /var/lib/docker/tmp/x: no space left on device")
		return errors.New("docker load: exit status 1")
	}
	id := "sha256:" + strings.TrimSuffix(m.Config, ".json")
	for _, t := range m.RepoTags {
		f.images[t] = imageInfo{ID: id, Labels: img.Config.Labels, Config: img.Config, Layers: img.RootFS.DiffIDs, Arch: img.Architecture, OS: img.OS}
	}
	f.built = append(f.built, m.RepoTags[0])
	f.archives[m.RepoTags[0]] = data
	return nil
}

func (f *fakeEngine) Facts(_ context.Context, image string, paths []string) (fsFacts, error) {
	facts := fsFacts{
		entries: map[string]fsEntry{},
		users:   map[string][2]int{"rabbitmq": {108, 111}, "mosquitto": {107, 110}},
		groups:  map[string]int{"rabbitmq": 111, "mosquitto": 110},
	}
	for _, p := range paths {
		switch p {
		case "/mosquitto", "/mosquitto/config":
			facts.entries[p] = fsEntry{kind: 'd', mode: 0o755, uid: 107, gid: 110}
		case "/usr", "/usr/local", "/usr/local/bin", "/etc", "/var", "/var/lib", "/data":
			facts.entries[p] = fsEntry{kind: 'd', mode: 0o755}
		}
	}
	return facts, nil
}

func (f *fakeEngine) Prune(_ context.Context, replaced []string, _ string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pruned = append(f.pruned, replaced...)
	return len(replaced)
}

func (f *fakeEngine) takeBuilt() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.built
	f.built = nil
	return b
}

// kitFixture is a kit over a fake engine, with the repository's own image
// files (changeable per test) and a fake test server source.
type kitFixture struct {
	eng      *fakeEngine
	files    fstest.MapFS
	tsSource fstest.MapFS
	progress bytes.Buffer
}

func newKitFixture(t *testing.T) *kitFixture {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(images.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(images.FS, name)
		files[name] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return &kitFixture{
		eng:      newFakeEngine(),
		files:    files,
		tsSource: fstest.MapFS{"main.go": {Data: []byte("package main\n\nfunc main() {}\n")}},
	}
}

func (fx *kitFixture) run(t *testing.T, opts Options) error {
	t.Helper()
	fx.progress.Reset()
	opts.Progress = &fx.progress
	k := &kit{
		eng:      fx.eng,
		files:    fx.files,
		opts:     opts,
		progress: &fx.progress,
		testserver: &testserverSource{
			src:       fx.tsSource,
			goVersion: "go1.26.0",
			build: func(_ context.Context, out string, _ io.Writer) error {
				return os.WriteFile(out, []byte("#!fake binary\n"), 0o755)
			},
		},
		sources: defaultSources,
		rootfs: func(_ context.Context, _ baseRecipe, w, _ io.Writer) error {
			tw := tar.NewWriter(w)
			return tw.Close()
		},
	}
	return k.run(context.Background())
}
