package imagekit

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// fsEntry is what the parent image has at a path.
type fsEntry struct {
	kind     byte // 'd' folder, 'f' file, 'l' symlink, 'o' other, 0 missing
	mode     int64
	uid, gid int
}

// fsFacts are the parts of a parent image's file system a layer on top
// of it must agree with: the folders it writes into (a layer's folder
// entry replaces the parent's owner and mode) and the users and groups
// COPY --chown names.
type fsFacts struct {
	entries map[string]fsEntry // by absolute path
	users   map[string][2]int  // name: uid, primary gid
	groups  map[string]int     // name: gid
}

// layerEntry is one entry of the layer the kit writes.
type layerEntry struct {
	name     string // absolute path
	dir      bool
	mode     int64
	uid, gid int
	data     []byte
}

// fastBuild evaluates the Dockerfile among files and loads the image it
// describes; it returns the image ID.
func (k *kit) fastBuild(ctx context.Context, files []file, dockerfile string, tags []string, labels, buildArgs map[string]string, out io.Writer) (string, error) {
	var df []byte
	for _, f := range files {
		if f.name == dockerfile {
			df = f.data
		}
	}
	if df == nil {
		return "", fmt.Errorf("no %s in the build context", dockerfile)
	}
	ins, err := parseDockerfile(df)
	if err != nil {
		return "", err
	}
	r, err := evalDockerfile(ins, buildArgs)
	if err != nil {
		return "", err
	}

	parent := imageInfo{Arch: runtime.GOARCH, OS: "linux"}
	if r.from != "scratch" {
		info, found, err := k.eng.Inspect(ctx, r.from)
		if err != nil {
			return "", err
		}
		if !found {
			return "", fmt.Errorf("FROM %s: no such image (the kit builds it first; was it removed?)", r.from)
		}
		parent = info
	}

	// Resolve COPY sources to files and their destinations.
	type placed struct {
		f      file
		dest   string // absolute; for single files maybe an existing folder
		single bool   // a named file whose dest has no trailing slash
		chown  string
	}
	var todo []placed
	for _, c := range r.copies {
		var matched []placed
		for _, f := range files {
			switch {
			case f.name == c.src:
				if strings.HasSuffix(c.dest, "/") {
					matched = append(matched, placed{f: f, dest: c.dest + path.Base(f.name), chown: c.chown})
				} else {
					matched = append(matched, placed{f: f, dest: c.dest, single: true, chown: c.chown})
				}
			case c.src == "." || strings.HasPrefix(f.name, c.src+"/"):
				rel := f.name
				if c.src != "." {
					rel = strings.TrimPrefix(f.name, c.src+"/")
				}
				matched = append(matched, placed{f: f, dest: path.Join(c.dest, rel), chown: c.chown})
			}
		}
		if len(matched) == 0 {
			return "", fmt.Errorf("the Dockerfile's line %d: COPY %s: no such file in the build context", c.line, c.src)
		}
		todo = append(todo, matched...)
	}

	// Ask the parent about every folder the layer touches.
	want := map[string]bool{}
	for _, p := range todo {
		for d := path.Dir(p.dest); d != "/"; d = path.Dir(d) {
			want[d] = true
		}
		if p.single {
			want[p.dest] = true
		}
	}
	for _, w := range r.workdirs {
		for d := w; d != "/"; d = path.Dir(d) {
			want[d] = true
		}
	}
	facts := fsFacts{entries: map[string]fsEntry{}}
	if r.from != "scratch" && (len(want) > 0 || len(todo) > 0) {
		var paths []string
		for p := range want {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		if facts, err = k.eng.Facts(ctx, r.from, paths); err != nil {
			return "", err
		}
	}

	entries := map[string]layerEntry{}
	addDir := func(d string) error {
		if d == "/" {
			return nil
		}
		if _, ok := entries[d]; ok {
			return nil
		}
		e := facts.entries[d]
		switch e.kind {
		case 0:
			entries[d] = layerEntry{name: d, dir: true, mode: 0o755}
		case 'd':
			entries[d] = layerEntry{name: d, dir: true, mode: e.mode, uid: e.uid, gid: e.gid}
		default:
			return fmt.Errorf("%s is not a folder in %s (a symlink?): copy to the real path", d, r.from)
		}
		return nil
	}
	for _, p := range todo {
		dest := p.dest
		if p.single && facts.entries[dest].kind == 'd' {
			dest = path.Join(dest, path.Base(p.f.name))
		}
		uid, gid, err := facts.owner(p.chown)
		if err != nil {
			return "", err
		}
		for d := path.Dir(dest); d != "/"; d = path.Dir(d) {
			if err := addDir(d); err != nil {
				return "", err
			}
		}
		entries[dest] = layerEntry{name: dest, mode: p.f.mode, uid: uid, gid: gid, data: p.f.data}
	}
	for _, w := range r.workdirs {
		if facts.entries[w].kind == 'd' {
			continue
		}
		// A layer's folder entry, and each folder above it, replaces the
		// parent's: addDir copies their owner and mode.
		for d := w; d != "/"; d = path.Dir(d) {
			if err := addDir(d); err != nil {
				return "", err
			}
		}
	}

	cfg, err := r.apply(parent.Config)
	if err != nil {
		return "", err
	}
	if len(labels) > 0 && cfg.Labels == nil {
		cfg.Labels = map[string]string{}
	}
	for key, v := range labels {
		cfg.Labels[key] = v
	}

	var layer []byte
	diffIDs := append([]string(nil), parent.Layers...)
	if len(entries) > 0 {
		if layer, err = layerTar(entries); err != nil {
			return "", err
		}
		diffIDs = append(diffIDs, digest(layer))
	}
	now := time.Now().UTC()
	type history struct {
		Created    time.Time `json:"created"`
		CreatedBy  string    `json:"created_by,omitempty"`
		Comment    string    `json:"comment,omitempty"`
		EmptyLayer bool      `json:"empty_layer,omitempty"`
	}
	var hist []history
	for range parent.Layers {
		hist = append(hist, history{Created: now, Comment: "layer of " + r.from})
	}
	layerStep := -1
	for i, in := range r.steps {
		if in.cmd == "COPY" || in.cmd == "WORKDIR" {
			layerStep = i
		}
	}
	for i, in := range r.steps {
		hist = append(hist, history{Created: now, CreatedBy: in.String(), Comment: "testdock imagekit",
			EmptyLayer: !(layer != nil && i == layerStep)})
	}
	img := struct {
		Architecture string          `json:"architecture"`
		OS           string          `json:"os"`
		Created      time.Time       `json:"created"`
		Config       containerConfig `json:"config"`
		RootFS       struct {
			Type    string   `json:"type"`
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
		History []history `json:"history"`
	}{Architecture: parent.Arch, OS: parent.OS, Created: now, Config: cfg, History: hist}
	img.RootFS.Type = "layers"
	img.RootFS.DiffIDs = diffIDs
	config, err := json.Marshal(img)
	if err != nil {
		return "", err
	}
	id := digest(config)

	// A docker save archive. The parent's layers are listed but not
	// included: docker load reuses layers it already has.
	var layerPaths []string
	for _, d := range diffIDs {
		layerPaths = append(layerPaths, strings.TrimPrefix(d, "sha256:")+"/layer.tar")
	}
	manifest, err := json.Marshal([]map[string]any{{
		"Config":   strings.TrimPrefix(id, "sha256:") + ".json",
		"RepoTags": tags,
		"Layers":   layerPaths,
	}})
	if err != nil {
		return "", err
	}
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	add := func(name string, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: now}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	if err := add("manifest.json", manifest); err != nil {
		return "", err
	}
	if err := add(strings.TrimPrefix(id, "sha256:")+".json", config); err != nil {
		return "", err
	}
	if layer != nil {
		if err := add(layerPaths[len(layerPaths)-1], layer); err != nil {
			return "", err
		}
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	if err := k.eng.Load(ctx, &archive, out); err != nil {
		return "", err
	}
	return id, nil
}

// layerTar writes entries as a layer: folders before what they hold.
func layerTar(entries map[string]layerEntry) ([]byte, error) {
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	epoch := time.Unix(0, 0).UTC()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		e := entries[n]
		hdr := &tar.Header{Name: strings.TrimPrefix(n, "/"), Mode: e.mode, Uid: e.uid, Gid: e.gid, ModTime: epoch, Format: tar.FormatPAX}
		if e.dir {
			hdr.Typeflag, hdr.Name = tar.TypeDir, hdr.Name+"/"
		} else {
			hdr.Typeflag, hdr.Size = tar.TypeReg, int64(len(e.data))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if !e.dir {
			if _, err := tw.Write(e.data); err != nil {
				return nil, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// owner resolves COPY --chown=user[:group]; "" is root.
func (f fsFacts) owner(spec string) (uid, gid int, err error) {
	if spec == "" {
		return 0, 0, nil
	}
	user, group, hasGroup := strings.Cut(spec, ":")
	if n, err := strconv.Atoi(user); err == nil {
		uid, gid = n, n
	} else if u, ok := f.users[user]; ok {
		uid, gid = u[0], u[1]
	} else {
		return 0, 0, fmt.Errorf("COPY --chown=%s: no user %q in the parent image", spec, user)
	}
	if hasGroup {
		if n, err := strconv.Atoi(group); err == nil {
			gid = n
		} else if g, ok := f.groups[group]; ok {
			gid = g
		} else {
			return 0, 0, fmt.Errorf("COPY --chown=%s: no group %q in the parent image", spec, group)
		}
	}
	return uid, gid, nil
}

// factsScript prints, for each path argument, "KIND|MODE|UID|GID|PATH",
// then /etc/passwd and /etc/group after marker lines.
const factsScript = `for p in "$@"; do
	if [ -L "$p" ]; then echo "l|0|0|0|$p"
	elif [ -d "$p" ]; then echo "d|$(stat -c '%a|%u|%g' "$p")|$p"
	elif [ -f "$p" ]; then echo "f|$(stat -c '%a|%u|%g' "$p")|$p"
	elif [ -e "$p" ]; then echo "o|0|0|0|$p"
	fi
done
echo '#passwd'; cat /etc/passwd 2>/dev/null
echo '#group'; cat /etc/group 2>/dev/null
exit 0`

// parseFacts reads the output of factsScript.
func parseFacts(out string) (fsFacts, error) {
	f := fsFacts{entries: map[string]fsEntry{}, users: map[string][2]int{}, groups: map[string]int{}}
	section := ""
	for _, line := range strings.Split(out, "\n") {
		if line == "" {
			continue
		}
		if line == "#passwd" || line == "#group" {
			section = line
			continue
		}
		switch section {
		case "":
			parts := strings.SplitN(line, "|", 5)
			if len(parts) != 5 {
				return fsFacts{}, fmt.Errorf("unexpected line %q", line)
			}
			mode, err1 := strconv.ParseInt(parts[1], 8, 64)
			uid, err2 := strconv.Atoi(parts[2])
			gid, err3 := strconv.Atoi(parts[3])
			if err1 != nil || err2 != nil || err3 != nil {
				return fsFacts{}, fmt.Errorf("unexpected line %q", line)
			}
			f.entries[parts[4]] = fsEntry{kind: parts[0][0], mode: mode, uid: uid, gid: gid}
		case "#passwd":
			p := strings.Split(line, ":")
			if len(p) >= 4 {
				uid, err1 := strconv.Atoi(p[2])
				gid, err2 := strconv.Atoi(p[3])
				if err1 == nil && err2 == nil {
					f.users[p[0]] = [2]int{uid, gid}
				}
			}
		case "#group":
			p := strings.Split(line, ":")
			if len(p) >= 3 {
				if gid, err := strconv.Atoi(p[2]); err == nil {
					f.groups[p[0]] = gid
				}
			}
		}
	}
	return f, nil
}
