package imagekit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/testdock/testdock/images"
)

// Options configure Build. The zero value builds every image that is
// missing or out of date, two at a time, from the module in the current
// directory and the host's Debian mirror.
type Options struct {
	// Only limits the build to these names (see Names): "testserver",
	// "base", or a stand-in such as "postgres". A stand-in needs the base:
	// it is built too when missing or out of date. Empty means all.
	Only []string
	// Force rebuilds the selected images even when they are up to date,
	// without the build cache.
	Force bool
	// Parallel is how many stand-ins build at once; 0 means 2.
	Parallel int
	// RepoDir is the root of the testdock module, where internal/testserver
	// is built; empty means the module containing the working directory.
	RepoDir string
	// Mirror is the Debian mirror for the base, e.g.
	// "http://deb.debian.org/debian"; empty means the one the host's apt
	// configuration names for bookworm (falling back to deb.debian.org).
	Mirror string
	// Progress receives one line per step ("postgres: built in 3.2s");
	// nil discards them.
	Progress io.Writer
	// Verbose copies every build's full output to Progress as well.
	Verbose bool
	// Docker is the docker CLI to run; empty means "docker" from PATH.
	Docker string
	// Classic builds the Dockerfiles with docker build instead of the
	// kit's own evaluator: slower (a commit per step), for comparison.
	Classic bool
	// Bootstrap picks the tool that makes the base's root file system:
	// "mmdebstrap", "debootstrap", or "" for mmdebstrap when it is
	// installed (or apt-get can install it), else debootstrap.
	Bootstrap string
}

// StepError is a failed step of an image's build.
type StepError struct {
	Image  string // "postgres", "base", "testserver"
	Step   string // "go build", "build (Dockerfile, docker load)", "root file system", "docker import", ...
	Err    error
	Output string // the last lines of the step's output
}

func (e *StepError) Error() string {
	msg := fmt.Sprintf("%s: %s: %v", e.Image, e.Step, e.Err)
	if e.Output != "" {
		msg += "\n--- last lines of output ---\n" + e.Output
	}
	return msg
}

func (e *StepError) Unwrap() error { return e.Err }

// Build builds the kit's images that are missing or out of date: the test
// server (seconds) while the Debian base (a few minutes, once) builds, then
// the stand-ins, Options.Parallel at a time. An image is up to date
// when it exists and its testdock.kit.hash label equals the hash of its
// inputs (and its testdock.kit.parent label names the current base). It
// returns every failure, each a *StepError, joined; images that do not
// depend on a failed one are still built.
func Build(ctx context.Context, opts Options) error {
	if opts.Docker == "" {
		opts.Docker = "docker"
	}
	k := &kit{
		eng:      dockerCLI{bin: opts.Docker},
		files:    images.FS,
		opts:     opts,
		progress: opts.Progress,
	}
	if k.progress == nil {
		k.progress = io.Discard
	}
	needTestserver, needBase, _, err := selection(opts.Only)
	if err != nil {
		return err
	}
	if needTestserver {
		repo := opts.RepoDir
		if repo == "" {
			if repo, err = findModuleRoot(); err != nil {
				return err
			}
		}
		goVersion, err := goEnv(ctx, repo, "GOVERSION")
		if err != nil {
			return err
		}
		k.testserver = &testserverSource{
			src:       os.DirFS(filepath.Join(repo, "internal", "testserver")),
			goVersion: goVersion,
			build:     goBuilder(repo),
		}
	}
	if needBase {
		if opts.Mirror != "" {
			k.sources = []aptSource{{URI: strings.TrimSuffix(opts.Mirror, "/"), Suite: Suite}}
		} else {
			k.sources = hostSources("/etc/apt")
		}
		k.rootfs = func(ctx context.Context, r baseRecipe, w, log io.Writer) error {
			tool, name, err := pickRootfsTool(ctx, opts.Bootstrap, func(s string) { k.say("base", s) })
			if err != nil {
				return err
			}
			k.say("base", name+" "+Suite+" (this takes a few minutes)...")
			return tool(ctx, r, w, log)
		}
	}
	return k.run(ctx)
}

// selection resolves Options.Only.
func selection(only []string) (testserver, base bool, standIns map[string]bool, err error) {
	standIns = map[string]bool{}
	if len(only) == 0 {
		for _, s := range StandIns() {
			standIns[s.Name] = true
		}
		return true, true, standIns, nil
	}
	known := map[string]bool{}
	for _, n := range Names() {
		known[n] = true
	}
	for _, n := range only {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
		case !known[n]:
			return false, false, nil, fmt.Errorf("unknown image %q: want one of %s", n, strings.Join(Names(), ", "))
		case n == "testserver":
			testserver = true
		case n == "base":
			base = true
		default:
			standIns[n] = true
			base = true
		}
	}
	return testserver, base, standIns, nil
}

// testserverSource is what the test server image is made from.
type testserverSource struct {
	src       fs.FS  // internal/testserver
	goVersion string // of the toolchain that builds it
	// build compiles the test server into a static linux binary at out.
	build func(ctx context.Context, out string, log io.Writer) error
}

// kit is one run of Build.
type kit struct {
	eng        engine
	files      fs.FS // images.FS
	opts       Options
	progress   io.Writer
	testserver *testserverSource // nil: not selected
	sources    []aptSource
	rootfs     func(ctx context.Context, r baseRecipe, w, log io.Writer) error

	mu       sync.Mutex // guards progress lines and replaced
	replaced []string   // IDs of images this run replaced, oldest first
}

// replacing notes that ref, if it exists now, is about to be replaced.
func (k *kit) replacing(ctx context.Context, ref string) {
	if info, found, err := k.eng.Inspect(ctx, ref); err == nil && found {
		k.mu.Lock()
		k.replaced = append(k.replaced, info.ID)
		k.mu.Unlock()
	}
}

func (k *kit) say(image, msg string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	fmt.Fprintf(k.progress, "%s: %s\n", image, msg)
}

// run builds the selection: the test server and the base at once, then
// the stand-ins.
func (k *kit) run(ctx context.Context) error {
	start := time.Now()
	wantTS, wantBase, standIns, err := selection(k.opts.Only)
	if err != nil {
		return err
	}
	forced := func(name string) bool {
		if !k.opts.Force {
			return false
		}
		if len(k.opts.Only) == 0 {
			return true
		}
		for _, n := range k.opts.Only {
			if strings.TrimSpace(n) == name {
				return true
			}
		}
		return false
	}
	var errs []error
	var built, upToDate int
	count := func(didBuild bool) {
		if didBuild {
			built++
		} else {
			upToDate++
		}
	}

	// The test server (seconds) builds while the base (minutes, mostly
	// downloading and unpacking) does, so it is usable early.
	var tsBuilt, hcBuilt bool
	var tsErr error
	var tsDone sync.WaitGroup
	if wantTS {
		tsDone.Add(1)
		go func() {
			defer tsDone.Done()
			tsBuilt, hcBuilt, tsErr = k.buildTestserver(ctx, forced("testserver"))
		}()
	}
	var base *imageInfo
	var baseHash string
	var baseErr error
	baseBuilt := false
	if wantBase {
		var info imageInfo
		info, baseHash, baseBuilt, baseErr = k.buildBase(ctx, forced("base"))
		if baseErr == nil {
			base = &info
		}
	}
	tsDone.Wait()
	if wantTS {
		if tsErr != nil {
			errs = append(errs, tsErr)
		} else {
			count(tsBuilt)
			count(hcBuilt)
		}
	}
	if wantBase {
		if baseErr != nil {
			errs = append(errs, baseErr)
		} else {
			count(baseBuilt)
		}
	}

	var todo []StandIn
	for _, s := range StandIns() {
		if standIns[s.Name] {
			todo = append(todo, s)
		}
	}
	if base == nil && len(todo) > 0 {
		if wantBase {
			k.say("images", fmt.Sprintf("skipping %d stand-ins: the base failed", len(todo)))
		}
		todo = nil
	}
	parallel := k.opts.Parallel
	if parallel <= 0 {
		parallel = 2
	}
	type result struct {
		built bool
		err   error
	}
	results := make([]result, len(todo))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, s := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] = result{err: &StepError{Image: s.Name, Step: "wait", Err: ctx.Err()}}
				return
			}
			defer func() { <-sem }()
			didBuild, err := k.buildStandIn(ctx, s, *base, baseHash, forced(s.Name))
			results[i] = result{didBuild, err}
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
		} else {
			count(r.built)
		}
	}

	if built > 0 {
		// Rebuilt images leave their old versions behind, untagged.
		keep := ""
		if baseHash != "" {
			keep = BaseRepository + ":" + baseHash[:12]
		}
		k.mu.Lock()
		replaced := k.replaced
		k.mu.Unlock()
		if n := k.eng.Prune(ctx, replaced, keep); n > 0 {
			k.say("images", fmt.Sprintf("removed %d replaced kit images", n))
		}
	}
	summary := fmt.Sprintf("%d built, %d up to date in %s", built, upToDate, since(start))
	if len(errs) > 0 {
		summary += fmt.Sprintf(", %d failed", len(errs))
	}
	k.say("images", summary)
	return errors.Join(errs...)
}

// upToDate reports whether ref exists with the given hash (and parent).
func (k *kit) upToDate(ctx context.Context, ref, hash, parent string) (bool, error) {
	info, found, err := k.eng.Inspect(ctx, ref)
	if err != nil || !found {
		return false, err
	}
	return info.Labels[LabelHash] == hash && info.Labels[LabelParent] == parent, nil
}

func (k *kit) buildTestserver(ctx context.Context, force bool) (builtMain, builtHC bool, err error) {
	ts := k.testserver
	src, err := readDir(ts.src, ".", func(name string) bool { return strings.HasSuffix(name, "_test.go") })
	if err != nil {
		return false, false, &StepError{Image: "testserver", Step: "read source", Err: err}
	}
	ctxFiles, err := readDir(k.files, "testserver", nil)
	if err != nil {
		return false, false, &StepError{Image: "testserver", Step: "read images/testserver", Err: err}
	}
	var dockerfile, hcDockerfile []file
	for _, f := range ctxFiles {
		switch f.name {
		case "Dockerfile":
			dockerfile = append(dockerfile, f)
		case "healthcheck.Dockerfile":
			hcDockerfile = append(hcDockerfile, f)
		}
	}
	h := newHasher("testserver")
	h.add("builder=" + builderVersion)
	h.add(ts.goVersion, "linux/"+runtime.GOARCH, "CGO_ENABLED=0", "-trimpath")
	h.files(src)
	h.files(dockerfile)
	hash := h.sum()

	ok, err := k.upToDate(ctx, TestServerImage, hash, "")
	if err != nil {
		return false, false, &StepError{Image: "testserver", Step: "inspect", Err: err}
	}
	if ok && !force {
		k.say("testserver", "up to date")
	} else {
		start := time.Now()
		k.say("testserver", "go build...")
		k.replacing(ctx, TestServerImage)
		out := k.newOutput()
		dir, err := os.MkdirTemp("", "testdock-testserver-")
		if err != nil {
			return false, false, &StepError{Image: "testserver", Step: "go build", Err: err}
		}
		defer os.RemoveAll(dir)
		bin := filepath.Join(dir, "testserver")
		if err := ts.build(ctx, bin, out); err != nil {
			return false, false, &StepError{Image: "testserver", Step: "go build", Err: err, Output: out.tail()}
		}
		data, err := os.ReadFile(bin)
		if err != nil {
			return false, false, &StepError{Image: "testserver", Step: "go build", Err: err}
		}
		files := append([]file{{name: "testserver", mode: 0o755, data: data}}, dockerfile...)
		sortFiles(files)
		if _, err := k.buildImage(ctx, files, "Dockerfile", []string{TestServerImage}, hash, "", nil, nil, force, out); err != nil {
			return false, false, &StepError{Image: "testserver", Step: k.buildStep(), Err: err, Output: out.tail()}
		}
		k.say("testserver", "built in "+since(start))
		builtMain = true
	}

	info, found, err := k.eng.Inspect(ctx, TestServerImage)
	if err != nil || !found {
		if err == nil {
			err = errors.New(TestServerImage + " is missing")
		}
		return builtMain, false, &StepError{Image: "testserver:healthcheck", Step: "inspect", Err: err}
	}
	h = newHasher("testserver:healthcheck")
	h.add("builder=" + builderVersion)
	h.add(hash)
	h.files(hcDockerfile)
	hcHash := h.sum()
	ok, err = k.upToDate(ctx, TestServerHealthcheckImage, hcHash, info.ID)
	if err != nil {
		return builtMain, false, &StepError{Image: "testserver:healthcheck", Step: "inspect", Err: err}
	}
	if ok && !force {
		k.say("testserver:healthcheck", "up to date")
		return builtMain, false, nil
	}
	start := time.Now()
	out := k.newOutput()
	k.replacing(ctx, TestServerHealthcheckImage)
	args := map[string]string{"BASE": TestServerImage}
	if _, err := k.buildImage(ctx, hcDockerfile, "healthcheck.Dockerfile", []string{TestServerHealthcheckImage}, hcHash, info.ID, nil, args, force, out); err != nil {
		return builtMain, false, &StepError{Image: "testserver:healthcheck", Step: k.buildStep(), Err: err, Output: out.tail()}
	}
	k.say("testserver:healthcheck", "built in "+since(start))
	return builtMain, true, nil
}

// buildBase makes sure the base for the current recipe exists, and
// returns it with its input hash.
func (k *kit) buildBase(ctx context.Context, force bool) (imageInfo, string, bool, error) {
	fail := func(step string, err error, out string) (imageInfo, string, bool, error) {
		return imageInfo{}, "", false, &StepError{Image: "base", Step: step, Err: err, Output: out}
	}
	r, err := loadBaseRecipe(k.files, k.sources)
	if err != nil {
		return fail("read images/base", err, "")
	}
	hash := r.hash()
	ref := BaseRepository + ":" + hash[:12]
	info, found, err := k.eng.Inspect(ctx, ref)
	if err != nil {
		return fail("inspect", err, "")
	}
	if found && info.Labels[LabelHash] == hash && !force {
		k.say("base", "up to date ("+ref+")")
		return info, hash, false, nil
	}
	start := time.Now()
	out := k.newOutput()
	k.replacing(ctx, ref)
	pr, pw := io.Pipe()
	rootfsErr := make(chan error, 1)
	go func() {
		err := k.rootfs(ctx, r, pw, out)
		pw.CloseWithError(err)
		rootfsErr <- err
	}()
	changes := append(r.imageChanges(), "LABEL "+LabelKit+"=1", "LABEL "+LabelHash+"="+hash)
	_, importErr := k.eng.Import(ctx, pr, ref, changes, out)
	pr.CloseWithError(errors.New("docker import ended")) // unblock the writer if import failed early
	if err := <-rootfsErr; err != nil {
		return fail("root file system", err, out.tail())
	}
	if importErr != nil {
		return fail("docker import", importErr, out.tail())
	}
	if err := k.eng.Tag(ctx, ref, BaseRepository+":latest"); err != nil {
		return fail("docker tag", err, "")
	}
	info, found, err = k.eng.Inspect(ctx, ref)
	if err != nil || !found {
		if err == nil {
			err = errors.New(ref + " is missing after import")
		}
		return fail("inspect", err, "")
	}
	k.say("base", fmt.Sprintf("built in %s (%s, %s)", since(start), ref, sizeString(info.Size)))
	return info, hash, true, nil
}

func (k *kit) buildStandIn(ctx context.Context, s StandIn, base imageInfo, baseHash string, force bool) (bool, error) {
	files, err := readDir(k.files, s.Name, nil)
	if err != nil {
		return false, &StepError{Image: s.Name, Step: "read images/" + s.Name, Err: err}
	}
	h := newHasher("stand-in")
	h.add("builder=" + builderVersion)
	h.add(s.Name, baseHash, standsInFor(s))
	h.files(files)
	hash := h.sum()
	ok, err := k.upToDate(ctx, s.Tag, hash, base.ID)
	if err != nil {
		return false, &StepError{Image: s.Name, Step: "inspect", Err: err}
	}
	if ok && !force {
		k.say(s.Name, "up to date")
		return false, nil
	}
	start := time.Now()
	k.say(s.Name, "building...")
	k.replacing(ctx, s.Tag)
	out := k.newOutput()
	labels := map[string]string{LabelStandsInFor: standsInFor(s)}
	args := map[string]string{"BASE": BaseRepository + ":" + baseHash[:12]}
	if _, err := k.buildImage(ctx, files, "Dockerfile", []string{s.Tag}, hash, base.ID, labels, args, force, out); err != nil {
		return false, &StepError{Image: s.Name, Step: k.buildStep(), Err: err, Output: out.tail()}
	}
	size := ""
	if info, found, err := k.eng.Inspect(ctx, s.Tag); err == nil && found {
		size = " (" + sizeString(info.Size) + ")"
	}
	k.say(s.Name, "built in "+since(start)+size)
	return true, nil
}

// buildStep names the build step in errors.
func (k *kit) buildStep() string {
	if k.opts.Classic {
		return "docker build"
	}
	return "build (Dockerfile, docker load)"
}

// buildImage builds the Dockerfile among files with the kit's labels:
// with the kit's evaluator (fastBuild), or docker build when Classic.
func (k *kit) buildImage(ctx context.Context, files []file, dockerfile string, tags []string, hash, parent string,
	labels, args map[string]string, noCache bool, out io.Writer) (string, error) {
	all := map[string]string{LabelKit: "1", LabelHash: hash}
	if parent != "" {
		all[LabelParent] = parent
	}
	for key, v := range labels {
		all[key] = v
	}
	if !k.opts.Classic {
		return k.fastBuild(ctx, files, dockerfile, tags, all, args, out)
	}
	var buf bytes.Buffer
	if err := contextTar(&buf, files); err != nil {
		return "", err
	}
	return k.eng.Build(ctx, buildRequest{
		Context: &buf, Dockerfile: dockerfile, Tags: tags, Labels: all, BuildArgs: args,
		NoCache: noCache, Output: out,
	})
}

// newOutput returns where a step writes its output: kept for the error
// message, and copied to Progress when Verbose.
func (k *kit) newOutput() *tailBuffer {
	t := &tailBuffer{max: 64 << 10}
	if k.opts.Verbose {
		t.copyTo = &lockedWriter{mu: &k.mu, w: k.progress}
	}
	return t
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu     sync.Mutex
	max    int
	buf    []byte
	copyTo io.Writer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	if t.copyTo != nil {
		_, _ = t.copyTo.Write(p)
	}
	return len(p), nil
}

// tail returns the last 30 lines written.
func (t *tailBuffer) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimRight(string(t.buf), "\n"), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// goBuilder compiles internal/testserver of the module at repo.
func goBuilder(repo string) func(ctx context.Context, out string, log io.Writer) error {
	return func(ctx context.Context, out string, log io.Writer) error {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, "./internal/testserver")
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
		cmd.Stdout, cmd.Stderr = log, log
		return cmd.Run()
	}
}

func goEnv(ctx context.Context, dir, name string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", name)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// modulePath is the testdock module, whose root holds internal/testserver.
const modulePath = "github.com/testdock/testdock"

// findModuleRoot walks up from the working directory to the go.mod of the
// testdock module.
func findModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if f := strings.Fields(line); len(f) == 2 && f[0] == "module" && f[1] == modulePath {
					return dir, nil
				}
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the " + modulePath + " module: run from the repository (it builds internal/testserver)")
		}
		dir = parent
	}
}

func since(t time.Time) string {
	d := time.Since(t)
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

func sizeString(n int64) string {
	return fmt.Sprintf("%.0f MB", float64(n)/1e6)
}
