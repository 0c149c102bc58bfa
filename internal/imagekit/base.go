package imagekit

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// baseRecipe is what the base image is made of: the package list and the
// scripts in images/base, each stand-in's prepare.sh, and the package
// sources.
type baseRecipe struct {
	packages []string
	setup    []byte // images/base/setup.sh, run on the host before packages install ($1 = root)
	// customize runs in the root after the packages installed:
	// images/base/customize.sh, then each images/<stand-in>/prepare.sh.
	customize []byte
	sources   []aptSource
	files     []file // images/base and the prepare.sh files, for the hash
}

func loadBaseRecipe(fsys fs.FS, sources []aptSource) (baseRecipe, error) {
	files, err := readDir(fsys, "base", nil)
	if err != nil {
		return baseRecipe{}, err
	}
	r := baseRecipe{sources: sources}
	var prepare bytes.Buffer
	for _, s := range StandIns() {
		data, err := fs.ReadFile(fsys, s.Name+"/prepare.sh")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return baseRecipe{}, err
		}
		r.files = append(r.files, file{name: s.Name + "/prepare.sh", mode: 0o755, data: data})
		// A shell of its own, so that its set -e holds and its failure
		// fails the build.
		delim := "TESTDOCK_PREPARE_" + strings.ToUpper(s.Name)
		fmt.Fprintf(&prepare, "\necho 'testdock: %s/prepare.sh'\n/bin/sh -eu <<'%s'\n%s\n%s\n", s.Name, delim, data, delim)
	}
	for _, f := range files {
		f.name = "base/" + f.name
		r.files = append(r.files, f)
	}
	sortFiles(r.files)
	for _, f := range files {
		switch f.name {
		case "packages":
			sc := bufio.NewScanner(bytes.NewReader(f.data))
			for sc.Scan() {
				line, _, _ := strings.Cut(sc.Text(), "#")
				if line = strings.TrimSpace(line); line != "" {
					r.packages = append(r.packages, line)
				}
			}
		case "setup.sh":
			r.setup = f.data
		case "customize.sh":
			r.customize = append(append([]byte(nil), f.data...), prepare.Bytes()...)
		}
	}
	if len(r.packages) == 0 || r.customize == nil || r.setup == nil {
		return baseRecipe{}, errors.New("images/base needs packages, setup.sh and customize.sh")
	}
	return r, nil
}

// hash covers the files and the suites, not the mirror: the same packages
// from another mirror make the same base.
func (r baseRecipe) hash() string {
	h := newHasher("base")
	h.add("variant=minbase", "recommends=no")
	for _, s := range r.sources {
		h.add("suite=" + s.Suite)
	}
	h.files(r.files)
	return h.sum()
}

// imageChanges are applied to the imported root file system.
func (r baseRecipe) imageChanges() []string {
	return []string{
		"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"ENV LANG=C.UTF-8",
		`CMD ["bash"]`,
	}
}

// rootfsTool writes the base's root file system as a tar stream to w, with
// its own progress and errors on log.
type rootfsTool func(ctx context.Context, r baseRecipe, w io.Writer, log io.Writer) error

// pickRootfsTool chooses how to make the base: mmdebstrap streams the root
// file system straight into "docker import" and is about twice as fast as
// debootstrap, which needs a directory and a tar. When mmdebstrap is
// missing and we are root, it is installed with apt-get first; when that
// fails, debootstrap is used.
func pickRootfsTool(ctx context.Context, want string, say func(string)) (rootfsTool, string, error) {
	switch want {
	case "":
	case "mmdebstrap", "debootstrap":
		if _, err := exec.LookPath(want); err != nil {
			return nil, "", fmt.Errorf("%s is not installed (apt-get install %s)", want, want)
		}
		if want == "mmdebstrap" {
			return mmdebstrap, want, nil
		}
		return debootstrap, want, nil
	default:
		return nil, "", fmt.Errorf("unknown bootstrap tool %q: want mmdebstrap or debootstrap", want)
	}
	if _, err := exec.LookPath("mmdebstrap"); err == nil {
		return mmdebstrap, "mmdebstrap", nil
	}
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("apt-get"); err == nil {
			say("mmdebstrap not found: apt-get install mmdebstrap")
			cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "--no-install-recommends", "mmdebstrap")
			cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			out, err := cmd.CombinedOutput()
			if _, lerr := exec.LookPath("mmdebstrap"); err == nil && lerr == nil {
				return mmdebstrap, "mmdebstrap", nil
			}
			say("could not install mmdebstrap (" + lastLine(out) + "); falling back to debootstrap")
		}
		if _, err := exec.LookPath("debootstrap"); err == nil {
			return debootstrap, "debootstrap", nil
		}
	}
	return nil, "", errors.New("building the Debian base needs mmdebstrap (or debootstrap) and root: " +
		"run as root with mmdebstrap installed (apt-get install mmdebstrap)")
}

// mmdebstrap builds the root file system with mmdebstrap and streams it
// to w. Services cannot start while packages install: mmdebstrap puts a
// policy-rc.d in place.
func mmdebstrap(ctx context.Context, r baseRecipe, w io.Writer, log io.Writer) error {
	dir, err := os.MkdirTemp("", "testdock-base-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	setup := filepath.Join(dir, "setup.sh")
	customize := filepath.Join(dir, "customize.sh")
	if err := os.WriteFile(setup, r.setup, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(customize, r.customize, 0o755); err != nil {
		return err
	}
	args := []string{
		"--variant=minbase",
		"--format=tar",
		"--aptopt=Apt::Install-Recommends \"false\"",
		// no fsync per file: the root file system is thrown away on failure
		"--dpkgopt=force-unsafe-io",
		// customize.sh empties /run itself, before prepare.sh files add
		// the folders services keep their sockets in.
		"--skip=cleanup/run",
		"--include=" + strings.Join(r.packages, ","),
		"--setup-hook=/bin/sh " + shellQuote(setup) + ` "$1"`,
		"--customize-hook=chroot \"$1\" /bin/sh -s < " + shellQuote(customize),
		Suite, "-",
	}
	for _, s := range r.sources {
		args = append(args, s.line())
	}
	cmd := exec.CommandContext(ctx, "mmdebstrap", args...)
	gentleCancel(cmd)
	cmd.Stdout, cmd.Stderr = w, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("mmdebstrap: %w", err)
	}
	return nil
}

// debootstrap builds the root file system in a temporary directory with
// debootstrap (from the main suite only: it takes one), then writes it as
// a tar stream to w.
func debootstrap(ctx context.Context, r baseRecipe, w io.Writer, log io.Writer) error {
	dir, err := os.MkdirTemp("", "testdock-base-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	root := filepath.Join(dir, "root")
	run := func(name string, stdin io.Reader, args ...string) error {
		cmd := exec.CommandContext(ctx, name, args...)
		gentleCancel(cmd)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, log, log
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	// setup.sh only needs the directory to exist.
	if err := run("/bin/sh", bytes.NewReader(r.setup), "-s", root); err != nil {
		return err
	}
	if err := run("debootstrap", nil, "--variant=minbase", "--include="+strings.Join(r.packages, ","),
		Suite, root, r.sources[0].URI); err != nil {
		return err
	}
	if err := run("chroot", bytes.NewReader(r.customize), root, "/bin/sh", "-s"); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "tar", "--numeric-owner", "-C", root, "-cf", "-", ".")
	cmd.Stdout, cmd.Stderr = w, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tar: %w", err)
	}
	return nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
