package imagekit

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// file is one input of an image: a file of its build context, or a file
// that only goes into its hash (the test server's Go source).
type file struct {
	name string // slash-separated, relative to the context root
	mode int64  // 0o755 or 0o644
	data []byte
}

// readDir returns the regular files under dir in fsys, sorted by name and
// named relative to dir. Shell scripts (*.sh) get mode 0755, everything else
// 0644: embedded files carry no mode. skip, when not nil, leaves out files
// it returns true for.
func readDir(fsys fs.FS, dir string, skip func(name string) bool) ([]file, error) {
	var files []file
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel := strings.TrimPrefix(p, dir+"/")
		if skip != nil && skip(rel) {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files = append(files, file{name: rel, mode: modeOf(rel), data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortFiles(files)
	return files, nil
}

func modeOf(name string) int64 {
	if path.Ext(name) == ".sh" {
		return 0o755
	}
	return 0o644
}

func sortFiles(files []file) {
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
}

// builderVersion is part of the hash of every image the kit's Dockerfile
// evaluator builds (not the base's): bump it when a change to the evaluator
// changes the images it makes, so that existing ones are rebuilt.
const builderVersion = "2"

// hasher builds an input hash from named values. Each value is written
// with its length, so that no two different lists of values give the same
// byte stream.
type hasher struct{ b bytes.Buffer }

func newHasher(kind string) *hasher {
	h := &hasher{}
	h.add("testdock.kit/v1")
	h.add(kind)
	return h
}

func (h *hasher) add(values ...string) {
	for _, v := range values {
		h.bytes([]byte(v))
	}
}

func (h *hasher) bytes(b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	h.b.Write(n[:])
	h.b.Write(b)
}

func (h *hasher) files(files []file) {
	h.add(fmt.Sprint(len(files)))
	for _, f := range files {
		h.add(f.name, fmt.Sprintf("%o", f.mode))
		h.bytes(f.data)
	}
}

// sum returns the hex SHA-256 of everything added.
func (h *hasher) sum() string {
	s := sha256.Sum256(h.b.Bytes())
	return hex.EncodeToString(s[:])
}

// contextTar writes files as a tar stream: a docker build context. Times
// are fixed, so equal files give an equal stream.
func contextTar(w io.Writer, files []file) error {
	tw := tar.NewWriter(w)
	epoch := time.Unix(0, 0).UTC()
	dirs := map[string]bool{}
	for _, f := range files {
		for d := path.Dir(f.name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	var dirNames []string
	for d := range dirs {
		dirNames = append(dirNames, d)
	}
	sort.Strings(dirNames)
	for _, d := range dirNames {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755, ModTime: epoch}); err != nil {
			return err
		}
	}
	for _, f := range files {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: epoch}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	return tw.Close()
}
