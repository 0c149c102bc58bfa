package imagekit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// imageInfo is what the kit needs to know of an image.
type imageInfo struct {
	ID     string
	Labels map[string]string
	Size   int64
	Config containerConfig
	Layers []string // diff IDs, lowest first
	Arch   string
	OS     string
}

// buildRequest is one docker build.
type buildRequest struct {
	Context    io.Reader // tar stream
	Dockerfile string    // path inside Context
	Tags       []string
	Labels     map[string]string
	BuildArgs  map[string]string
	NoCache    bool
	Output     io.Writer // build output
}

// engine is the part of Docker the kit uses; a fake serves unit tests.
type engine interface {
	// Inspect returns the image's info; found is false when it does not
	// exist.
	Inspect(ctx context.Context, ref string) (info imageInfo, found bool, err error)
	// Build runs a build and returns the new image's ID.
	Build(ctx context.Context, req buildRequest) (string, error)
	// Import creates ref from a root file system tar stream with Dockerfile
	// changes (LABEL, ENV, CMD) and returns its ID.
	Import(ctx context.Context, rootfs io.Reader, ref string, changes []string, out io.Writer) (string, error)
	// Tag adds ref to the image src.
	Tag(ctx context.Context, src, ref string) error
	// Load loads a docker save archive.
	Load(ctx context.Context, archive io.Reader, out io.Writer) error
	// Facts reports on paths in image's file system (see factsScript).
	Facts(ctx context.Context, image string, paths []string) (fsFacts, error)
	// Prune removes images this build replaced (IDs, newest last) and
	// base tags other than keep and latest (unless keep is ""). An image
	// that a container or another image still uses stays. It returns how
	// many images it removed.
	Prune(ctx context.Context, replaced []string, keep string) int
}

// dockerCLI runs the docker command line client. Builds use the classic
// builder (DOCKER_BUILDKIT=0): it works with any engine and needs no buildx
// plugin, which Debian's docker.io does not ship.
type dockerCLI struct {
	bin string
}

func (d dockerCLI) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, d.bin, args...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	return cmd
}

func (d dockerCLI) Inspect(ctx context.Context, ref string) (imageInfo, bool, error) {
	var stdout, stderr bytes.Buffer
	cmd := d.command(ctx, "image", "inspect", ref)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(strings.ToLower(msg), "no such image") {
			return imageInfo{}, false, nil
		}
		return imageInfo{}, false, fmt.Errorf("docker image inspect %s: %v: %s", ref, err, msg)
	}
	var out []struct {
		ID           string `json:"Id"`
		Size         int64
		Architecture string
		Os           string
		Config       *containerConfig
		RootFS       struct{ Layers []string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out) != 1 {
		return imageInfo{}, false, fmt.Errorf("docker image inspect %s: unexpected output (%v)", ref, err)
	}
	i := out[0]
	info := imageInfo{ID: i.ID, Size: i.Size, Layers: i.RootFS.Layers, Arch: i.Architecture, OS: i.Os}
	if i.Config != nil {
		info.Config = *i.Config
		info.Labels = i.Config.Labels
	}
	return info, true, nil
}

func (d dockerCLI) Build(ctx context.Context, req buildRequest) (string, error) {
	args := []string{"build", "--rm", "--force-rm", "-f", req.Dockerfile}
	if req.NoCache {
		args = append(args, "--no-cache")
	}
	for _, t := range req.Tags {
		args = append(args, "-t", t)
	}
	for _, k := range sortedKeys(req.Labels) {
		args = append(args, "--label", k+"="+req.Labels[k])
	}
	for _, k := range sortedKeys(req.BuildArgs) {
		args = append(args, "--build-arg", k+"="+req.BuildArgs[k])
	}
	args = append(args, "-")
	cmd := d.command(ctx, args...)
	cmd.Stdin = req.Context
	cmd.Stdout, cmd.Stderr = req.Output, req.Output
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("docker %s: %w", strings.Join(args, " "), err)
	}
	info, found, err := d.Inspect(ctx, req.Tags[0])
	if err != nil {
		return "", err
	}
	if !found {
		return "", fmt.Errorf("docker build succeeded but %s does not exist", req.Tags[0])
	}
	return info.ID, nil
}

func (d dockerCLI) Import(ctx context.Context, rootfs io.Reader, ref string, changes []string, out io.Writer) (string, error) {
	args := []string{"import"}
	for _, c := range changes {
		args = append(args, "--change", c)
	}
	args = append(args, "-", ref)
	var stdout bytes.Buffer
	cmd := d.command(ctx, args...)
	cmd.Stdin = rootfs
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&stdout, out), out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("docker import %s: %w", ref, err)
	}
	id := strings.TrimSpace(stdout.String())
	if id == "" {
		return "", errors.New("docker import printed no image ID")
	}
	return id, nil
}

func (d dockerCLI) Tag(ctx context.Context, src, ref string) error {
	out, err := d.command(ctx, "tag", src, ref).CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker tag %s %s: %v: %s", src, ref, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func (d dockerCLI) Load(ctx context.Context, archive io.Reader, out io.Writer) error {
	cmd := d.command(ctx, "load")
	cmd.Stdin = archive
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, io.MultiWriter(out, &stderr)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("docker load: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func (d dockerCLI) Facts(ctx context.Context, image string, paths []string) (fsFacts, error) {
	args := []string{"run", "--rm", "--network", "none", "--label", LabelKit + ".build=1",
		"--entrypoint", "/bin/sh", "--user", "0", image, "-c", factsScript, "sh"}
	var stdout, stderr bytes.Buffer
	cmd := d.command(ctx, append(args, paths...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fsFacts{}, fmt.Errorf("reading the file system of %s: %v: %s", image, err, strings.TrimSpace(stderr.String()))
	}
	f, err := parseFacts(stdout.String())
	if err != nil {
		return fsFacts{}, fmt.Errorf("reading the file system of %s: %v", image, err)
	}
	return f, nil
}

func (d dockerCLI) Prune(ctx context.Context, replaced []string, keep string) int {
	removed := 0
	rmi := func(ref string) {
		// without --force: refused while a container or a child image
		// uses it
		if d.command(ctx, "rmi", ref).Run() == nil {
			removed++
		}
	}
	if keep != "" {
		out, _ := d.command(ctx, "images", "--format", "{{.Repository}}:{{.Tag}}", BaseRepository).Output()
		for _, ref := range strings.Fields(string(out)) {
			if ref != keep && ref != BaseRepository+":latest" {
				rmi(ref)
			}
		}
	}
	for i := len(replaced) - 1; i >= 0; i-- {
		// only if it lost its tags: never an image still in use by name
		out, err := d.command(ctx, "image", "inspect", "--format", "{{len .RepoTags}}", replaced[i]).Output()
		if err == nil && strings.TrimSpace(string(out)) == "0" {
			rmi(replaced[i])
		}
	}
	return removed
}
