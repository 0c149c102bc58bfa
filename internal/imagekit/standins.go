package imagekit

import "strings"

// Local image references the kit builds.
const (
	// Registry is the registry part of every kit image: a name no registry
	// answers to, so nothing is ever pulled for it.
	Registry = "testdock.local"
	// TestServerImage is the test server (internal/testserver) as PID 1 of
	// an empty image.
	TestServerImage = Registry + "/testserver:latest"
	// TestServerHealthcheckImage is TestServerImage with a HEALTHCHECK that
	// probes http://127.0.0.1:8080/health every second.
	TestServerHealthcheckImage = Registry + "/testserver:healthcheck"
	// BaseRepository is the repository of the Debian base the stand-ins
	// are built from; its tag is a prefix of the base's input hash, and
	// "latest" names the most recent build.
	BaseRepository = Registry + "/debian-base"
)

// Labels on the kit's images.
const (
	// LabelKit marks every image the kit builds ("1").
	LabelKit = "testdock.kit"
	// LabelHash is the hash of an image's inputs: the build skips an image
	// whose label matches.
	LabelHash = "testdock.kit.hash"
	// LabelParent is the image ID of the kit image it was built from (the
	// base for stand-ins), so a rebuilt parent rebuilds its children.
	LabelParent = "testdock.kit.parent"
	// LabelStandsInFor lists the official images a stand-in replaces,
	// comma-separated.
	LabelStandsInFor = "org.testdock.stands-in-for"
)

// StandIn is a local image that keeps the contract of official images:
// the same environment variables, ports, data paths, entrypoint behaviour
// and server defaults, built offline from Debian packages.
type StandIn struct {
	// Name is the stand-in's folder in images/ and its name for
	// "images build -only", e.g. "postgres".
	Name string
	// Official lists the images it stands in for, e.g. "mariadb:11" and
	// "mysql:8.4".
	Official []string
	// Tag is the local image, e.g. "testdock.local/postgres:latest".
	Tag string
}

// StandIns returns the stand-ins the kit builds, in build order. The slice
// is new on each call: callers may change it.
func StandIns() []StandIn {
	s := func(name string, official ...string) StandIn {
		return StandIn{Name: name, Official: official, Tag: Registry + "/" + name + ":latest"}
	}
	return []StandIn{
		s("postgres", "postgres:17-alpine"),
		s("mariadb", "mariadb:11", "mysql:8.4"),
		s("rabbitmq", "rabbitmq:3-management"),
		s("nginx", "nginx:1.27"),
		s("redis", "redis:7"),
		s("mosquitto", "eclipse-mosquitto:2"),
		s("nats", "nats:2"),
		s("memcached", "memcached:1.6"),
		s("etcd", "gcr.io/etcd-development/etcd:v3.5.17", "quay.io/coreos/etcd:v3.5.17"),
	}
}

// Mapping returns "official=local" for every official image a stand-in
// replaces, in the order of StandIns: the form TESTDOCK_IMAGES takes.
func Mapping() []string {
	var lines []string
	for _, s := range StandIns() {
		for _, o := range s.Official {
			lines = append(lines, o+"="+s.Tag)
		}
	}
	return lines
}

// Names returns every name "images build -only" accepts: "testserver",
// "base" and each stand-in's Name.
func Names() []string {
	names := []string{"testserver", "base"}
	for _, s := range StandIns() {
		names = append(names, s.Name)
	}
	return names
}

func standsInFor(s StandIn) string { return strings.Join(s.Official, ",") }
