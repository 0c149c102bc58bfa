package nginx

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHostModeProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		goos, host string
		problem    string // "" when host mode works
	}{
		{"linux", "127.0.0.1", ""},
		{"linux", "localhost", ""},
		{"linux", "::1", ""},
		{"darwin", "127.0.0.1", "this Linux machine (this is darwin)"},
		{"linux", "172.17.0.1", "reached at 172.17.0.1, another machine"},
		{"linux", "docker.example", "reached at docker.example"},
	} {
		err := hostModeProblem(tc.goos, tc.host)
		if tc.problem == "" {
			assert.NoError(t, err, "%s %s", tc.goos, tc.host)
			continue
		}
		if assert.Error(t, err, "%s %s", tc.goos, tc.host) {
			assert.Contains(t, err.Error(), tc.problem)
		}
	}
}

func TestProxyConfListensOnLoopbackOnly(t *testing.T) {
	t.Parallel()
	conf := fmt.Sprintf(proxyConf, 40001, 40002)
	listens := regexp.MustCompile(`(?m)^\s*listen\s+([^;]*);`).FindAllStringSubmatch(conf, -1)
	if assert.Len(t, listens, 1) {
		assert.Equal(t, "127.0.0.1:40001", listens[0][1])
	}
	assert.Contains(t, conf, "proxy_pass http://127.0.0.1:40002;")
	assert.NotContains(t, conf, "include /etc/nginx/conf.d", "the image's default server on port 80 must not be loaded")
}

func TestFreeLoopbackPort(t *testing.T) {
	t.Parallel()
	p, err := freeLoopbackPort()
	if assert.NoError(t, err) {
		assert.Greater(t, p, 0)
	}
}
