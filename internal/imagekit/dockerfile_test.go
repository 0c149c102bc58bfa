package imagekit

import (
	"slices"
	"strings"
	"testing"
)

func TestShellWords(t *testing.T) {
	vars := map[string]string{"A": "x y", "EMPTY": ""}
	lookup := func(n string) (string, bool) { v, ok := vars[n]; return v, ok }
	tests := []struct {
		in   string
		want []string
	}{
		{`a  b`, []string{"a", "b"}},
		{`K="v w" L='$A' M=$A`, []string{"K=v w", "L=$A", "M=x y"}},
		{`"${A}!" ${EMPTY:-d} ${A:+set} ${NONE:+set}x`, []string{"x y!", "d", "set", "x"}},
		{`a\ b "q\"q" \$A`, []string{"a b", `q"q`, "$A"}},
		{`PATH=/usr/bin:$PATH`, []string{"PATH=/usr/bin:"}},
	}
	for _, tt := range tests {
		got, err := shellWords(tt.in, lookup)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("shellWords(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := shellWords(`"open`, lookup); err == nil {
		t.Error("unterminated quote: no error")
	}
}

func TestEvalDockerfile(t *testing.T) {
	df := `# comment
ARG BASE=img:1
FROM ${BASE}
ENV A=1 \
    # a comment inside a continuation
    B="two words"
ENV PATH=/opt/bin:$PATH
LABEL x=y
WORKDIR /tmp
WORKDIR /srv
WORKDIR sub
WORKDIR ..
COPY --chown=app:app a.conf b.conf conf/
COPY run.sh /usr/local/bin/
EXPOSE 80 53/udp
VOLUME ["/data"]
USER app
STOPSIGNAL SIGQUIT
ENTRYPOINT ["run.sh"]
HEALTHCHECK --interval=2s --retries=3 CMD curl -f http://localhost/
`
	ins, err := parseDockerfile([]byte(df))
	if err != nil {
		t.Fatal(err)
	}
	r, err := evalDockerfile(ins, map[string]string{"BASE": "img:2"})
	if err != nil {
		t.Fatal(err)
	}
	if r.from != "img:2" {
		t.Errorf("from = %q, want the build arg", r.from)
	}
	parent := containerConfig{Env: []string{"PATH=/usr/bin", "A=0"}, Cmd: []string{"bash"}}
	c, err := r.apply(parent)
	if err != nil {
		t.Fatal(err)
	}
	wantEnv := []string{"PATH=/opt/bin:/usr/bin", "A=1", "B=two words"}
	if !slices.Equal(c.Env, wantEnv) {
		t.Errorf("env %q, want %q", c.Env, wantEnv)
	}
	if c.Cmd != nil {
		t.Errorf("cmd %q: an ENTRYPOINT must clear the parent's CMD", c.Cmd)
	}
	if c.WorkingDir != "/srv" || c.User != "app" || c.StopSignal != "SIGQUIT" || c.Labels["x"] != "y" {
		t.Errorf("config %+v", c)
	}
	if _, ok := c.ExposedPorts["80/tcp"]; !ok {
		t.Errorf("ports %v", c.ExposedPorts)
	}
	if _, ok := c.ExposedPorts["53/udp"]; !ok {
		t.Errorf("ports %v", c.ExposedPorts)
	}
	if hc := c.Healthcheck; hc == nil || hc.Interval.String() != "2s" || hc.Retries != 3 || !slices.Equal(hc.Test, []string{"CMD-SHELL", "curl -f http://localhost/"}) {
		t.Errorf("healthcheck %+v", c.Healthcheck)
	}
	var dests []string
	for _, cp := range r.copies {
		dests = append(dests, cp.src+">"+cp.dest+":"+cp.chown)
	}
	want := []string{"a.conf>/srv/conf/:app:app", "b.conf>/srv/conf/:app:app", "run.sh>/usr/local/bin/:"}
	if !slices.Equal(dests, want) {
		t.Errorf("copies %q, want %q", dests, want)
	}
	if parent.Cmd[0] != "bash" || parent.Env[1] != "A=0" {
		t.Error("apply changed the parent's config")
	}
}

func TestEvalDockerfileRejects(t *testing.T) {
	for _, df := range []string{
		"FROM x\nRUN apt-get update\n",
		"ENV A=1\nFROM x\n",
		"FROM x\nFROM y\n",
		"FROM x\nCOPY *.sh /\n",
		"FROM x\nADD a /\n",
		"FROM x\nCOPY a b c\n",
	} {
		ins, err := parseDockerfile([]byte(df))
		if err == nil {
			_, err = evalDockerfile(ins, nil)
		}
		if err == nil {
			t.Errorf("%q: no error", df)
		}
	}
	ins, _ := parseDockerfile([]byte("FROM x\nRUN true\n"))
	if _, err := evalDockerfile(ins, nil); err == nil || !strings.Contains(err.Error(), "prepare.sh") {
		t.Errorf("RUN: error %v should point to prepare.sh", err)
	}
}

// Every Dockerfile of the kit evaluates: no RUN, nothing unsupported.
func TestKitDockerfilesEvaluate(t *testing.T) {
	fx := newKitFixture(t)
	for name, f := range fx.files {
		if !strings.HasSuffix(name, "Dockerfile") {
			continue
		}
		ins, err := parseDockerfile(f.Data)
		if err == nil {
			_, err = evalDockerfile(ins, map[string]string{"BASE": "parent"})
		}
		if err != nil {
			t.Errorf("images/%s: %v", name, err)
		}
	}
}
