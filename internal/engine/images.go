package engine

import (
	"fmt"
	"strings"
)

// LocalRegistry is the registry part of the images that the image kit
// builds on this machine (testdock.local/postgres:latest, ...).
const LocalRegistry = "testdock.local"

// NeverPulled reports whether image is one that no registry serves
// (LocalRegistry's): asking the daemon to pull it could only fail, after a
// name lookup sent off this machine.
func NeverPulled(image string) bool {
	return strings.HasPrefix(image, LocalRegistry+"/")
}

// ImageMap rewrites image references without code changes: a per-image
// substitute (TESTDOCK_IMAGES) or a registry prefix for a mirror
// (TESTDOCK_IMAGE_PREFIX).
type ImageMap struct {
	subst  map[string]string
	prefix string
}

// ParseImageMap parses TESTDOCK_IMAGES ("from=to,from=to") and a prefix.
//
// A "from" with a tag ("postgres:17-alpine") matches that reference only; a
// "from" without one ("postgres") matches every tag of that repository.
func ParseImageMap(spec, prefix string) (ImageMap, error) {
	m := ImageMap{subst: map[string]string{}, prefix: strings.TrimSuffix(prefix, "/")}
	for _, item := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		from, to, ok := strings.Cut(item, "=")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !ok || from == "" || to == "" {
			return ImageMap{}, fmt.Errorf("TESTDOCK_IMAGES: %q is not of the form from=to (e.g. postgres:17-alpine=testdock.local/postgres:latest)", item)
		}
		m.subst[from] = to
	}
	return m, nil
}

// Map returns the image to run for ref, and whether it was rewritten.
func (m ImageMap) Map(ref string) (string, bool) {
	if to, ok := m.subst[ref]; ok {
		return to, true
	}
	if repo := repository(ref); repo != ref {
		if to, ok := m.subst[repo]; ok {
			return to, true
		}
	}
	if m.prefix != "" && !hasRegistry(ref) {
		return m.prefix + "/" + ref, true
	}
	return ref, false
}

// repository strips the tag or digest from ref.
func repository(ref string) string {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	slash := strings.LastIndexByte(ref, '/')
	if i := strings.LastIndexByte(ref, ':'); i > slash {
		ref = ref[:i]
	}
	return ref
}

// hasRegistry reports whether ref names a registry host, as in
// "quay.io/x/y" or "localhost:5000/y".
func hasRegistry(ref string) bool {
	first, _, ok := strings.Cut(ref, "/")
	if !ok {
		return false
	}
	return strings.ContainsAny(first, ".:") || first == "localhost"
}
