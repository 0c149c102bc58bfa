package imagekit

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Suite is the Debian release the base is built from.
const Suite = "bookworm"

// aptSource is one "deb URI SUITE main" line for the base's package
// sources.
type aptSource struct {
	URI   string
	Suite string
}

func (s aptSource) line() string { return "deb " + s.URI + " " + s.Suite + " main" }

// defaultSources are used when the host names no mirror for Suite.
var defaultSources = []aptSource{
	{"http://deb.debian.org/debian", Suite},
	{"http://deb.debian.org/debian", Suite + "-updates"},
	{"http://deb.debian.org/debian-security", Suite + "-security"},
}

// hostSources reads the host's apt configuration (/etc/apt/sources.list
// and /etc/apt/sources.list.d/*.list and *.sources) and returns the
// sources it configures for Suite, Suite-updates and Suite-security, in
// that order, so that the base comes from the mirror the host already
// reaches. Without a source for Suite itself it returns defaultSources.
func hostSources(etcApt string) []aptSource {
	var found []aptSource
	if b, err := os.ReadFile(filepath.Join(etcApt, "sources.list")); err == nil {
		found = append(found, parseOneLine(string(b))...)
	}
	lists, _ := filepath.Glob(filepath.Join(etcApt, "sources.list.d", "*.list"))
	deb822, _ := filepath.Glob(filepath.Join(etcApt, "sources.list.d", "*.sources"))
	sort.Strings(lists)
	sort.Strings(deb822)
	for _, p := range lists {
		if b, err := os.ReadFile(p); err == nil {
			found = append(found, parseOneLine(string(b))...)
		}
	}
	for _, p := range deb822 {
		if b, err := os.ReadFile(p); err == nil {
			found = append(found, parseDeb822(string(b))...)
		}
	}
	return pickSources(found)
}

// pickSources keeps the first source of each of Suite, Suite-updates and
// Suite-security.
func pickSources(all []aptSource) []aptSource {
	var picked []aptSource
	for _, suite := range []string{Suite, Suite + "-updates", Suite + "-security"} {
		for _, s := range all {
			if s.Suite == suite {
				picked = append(picked, s)
				break
			}
		}
	}
	if len(picked) == 0 || picked[0].Suite != Suite {
		return defaultSources
	}
	return picked
}

// parseOneLine reads the one-line format: "deb [options] URI SUITE COMP...".
func parseOneLine(text string) []aptSource {
	var out []aptSource
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "deb" {
			continue
		}
		f = f[1:]
		if strings.HasPrefix(f[0], "[") {
			for len(f) > 0 && !strings.HasSuffix(f[0], "]") {
				f = f[1:]
			}
			if len(f) > 0 {
				f = f[1:]
			}
		}
		if len(f) >= 2 && hasMain(f[2:]) && usableURI(f[0]) {
			out = append(out, aptSource{URI: strings.TrimSuffix(f[0], "/"), Suite: f[1]})
		}
	}
	return out
}

// parseDeb822 reads the deb822 format of *.sources files: stanzas of
// "Field: value" lines separated by blank lines.
func parseDeb822(text string) []aptSource {
	var out []aptSource
	flush := func(st map[string]string) {
		if st["enabled"] == "no" || !containsWord(st["types"], "deb") {
			return
		}
		if !hasMain(strings.Fields(st["components"])) {
			return
		}
		for _, uri := range strings.Fields(st["uris"]) {
			if !usableURI(uri) {
				continue
			}
			for _, suite := range strings.Fields(st["suites"]) {
				out = append(out, aptSource{URI: strings.TrimSuffix(uri, "/"), Suite: suite})
			}
		}
	}
	st := map[string]string{}
	last := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.TrimSpace(line) == "":
			flush(st)
			st, last = map[string]string{}, ""
		case line[0] == ' ' || line[0] == '\t':
			if last != "" {
				st[last] += " " + strings.TrimSpace(line)
			}
		default:
			k, v, ok := strings.Cut(line, ":")
			if ok {
				last = strings.ToLower(strings.TrimSpace(k))
				st[last] = strings.TrimSpace(v)
			}
		}
	}
	flush(st)
	return out
}

func hasMain(components []string) bool {
	for _, c := range components {
		if c == "main" {
			return true
		}
	}
	return false
}

func containsWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}

// usableURI accepts the transports mmdebstrap and debootstrap handle
// without extra apt methods.
func usableURI(uri string) bool {
	return strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "https://") || strings.HasPrefix(uri, "file:/")
}
