package imagekit

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// The kit's Dockerfiles are plain Dockerfiles (docker build accepts them),
// but the kit evaluates them itself: a docker build commits every step, and
// on engines whose storage driver has no native diff (fuse-overlayfs) each
// commit walks the whole 500 MB base, about 5 s a step. The kit instead
// writes the one layer the COPY steps make and the image config, and loads
// them with docker load, which reuses the base's layer: well under a second
// per image.
//
// Supported: one FROM (an image or scratch), ARG, ENV, LABEL, COPY (files
// and folders of the context, optional --chown), WORKDIR, USER, VOLUME,
// EXPOSE, ENTRYPOINT, CMD, STOPSIGNAL, HEALTHCHECK. RUN is not: work a
// stand-in needs done in its file system goes into its prepare.sh, which
// runs while the base is built.

// instruction is one Dockerfile instruction.
type instruction struct {
	cmd  string // upper case: "FROM", "COPY", ...
	args string // the rest, continuation lines joined
	line int    // 1-based line of its start
}

func (in instruction) String() string { return in.cmd + " " + in.args }

// parseDockerfile splits a Dockerfile into instructions: comments and
// blank lines dropped, lines ending in a backslash joined with the next.
func parseDockerfile(data []byte) ([]instruction, error) {
	var out []instruction
	var cur strings.Builder
	start := 0
	continuing := false
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && continuing) {
			continue
		}
		if trimmed == "" {
			continue
		}
		if !continuing {
			start = i + 1
			cur.Reset()
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`))
			continuing = true
			continue
		}
		cur.WriteString(line)
		continuing = false
		text := strings.TrimSpace(cur.String())
		cmd, args, _ := strings.Cut(text, " ")
		out = append(out, instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args), line: start})
	}
	if continuing {
		return nil, errors.New("the Dockerfile ends with a continuation line")
	}
	return out, nil
}

// healthConfig is the image config's Healthcheck.
type healthConfig struct {
	Test        []string      `json:"Test,omitempty"`
	Interval    time.Duration `json:"Interval,omitempty"`
	Timeout     time.Duration `json:"Timeout,omitempty"`
	StartPeriod time.Duration `json:"StartPeriod,omitempty"`
	Retries     int           `json:"Retries,omitempty"`
}

// containerConfig is the part of an image's config a Dockerfile sets.
type containerConfig struct {
	User         string              `json:"User,omitempty"`
	ExposedPorts map[string]struct{} `json:"ExposedPorts,omitempty"`
	Env          []string            `json:"Env,omitempty"`
	Cmd          []string            `json:"Cmd,omitempty"`
	Healthcheck  *healthConfig       `json:"Healthcheck,omitempty"`
	Volumes      map[string]struct{} `json:"Volumes,omitempty"`
	WorkingDir   string              `json:"WorkingDir,omitempty"`
	Entrypoint   []string            `json:"Entrypoint,omitempty"`
	Labels       map[string]string   `json:"Labels,omitempty"`
	StopSignal   string              `json:"StopSignal,omitempty"`
}

// copyOp is one source of a COPY instruction.
type copyOp struct {
	src   string // path in the context, "" or "." for all of it
	dest  string // absolute; a folder when it ends in "/"
	chown string // "user:group", "" for root
	line  int
}

// recipe is an evaluated Dockerfile: its parent, the files it copies and
// the config it sets on top of the parent's.
type recipe struct {
	from     string // image reference, or "scratch"
	steps    []instruction
	copies   []copyOp
	workdirs []string // WORKDIRs, absolute, created when missing
	// apply sets the instructions' config on top of the parent's.
	apply func(parent containerConfig) (containerConfig, error)
}

// evalDockerfile evaluates instructions with build args.
func evalDockerfile(ins []instruction, buildArgs map[string]string) (*recipe, error) {
	r := &recipe{}
	args := map[string]string{}
	// config changes are replayed on the parent's config in apply, since
	// ENV may refer to variables the parent sets.
	var changes []func(c *containerConfig, vars map[string]string) error
	declared := map[string]bool{}
	fromSeen := false
	workdir := "/"
	for _, in := range ins {
		fail := func(format string, a ...any) error {
			return fmt.Errorf("the Dockerfile's line %d (%s): %s", in.line, in.cmd, fmt.Sprintf(format, a...))
		}
		lookupArgs := func(name string) (string, bool) { v, ok := args[name]; return v, ok }
		if !fromSeen && in.cmd != "ARG" && in.cmd != "FROM" {
			return nil, fail("only ARG may come before FROM")
		}
		switch in.cmd {
		case "ARG":
			w, err := shellWords(in.args, lookupArgs)
			if err != nil || len(w) != 1 {
				return nil, fail("want ARG NAME[=DEFAULT]")
			}
			name, def, hasDef := strings.Cut(w[0], "=")
			declared[name] = true
			if v, ok := buildArgs[name]; ok {
				args[name] = v
			} else if hasDef {
				args[name] = def
			} else {
				args[name] = ""
			}
		case "FROM":
			if fromSeen {
				return nil, fail("one FROM only: the kit builds single-stage Dockerfiles")
			}
			fromSeen = true
			w, err := shellWords(in.args, lookupArgs)
			if err != nil || len(w) != 1 || w[0] == "" {
				return nil, fail("want FROM IMAGE (got %q)", in.args)
			}
			r.from = w[0]
			// ARGs before FROM are only for FROM.
			args, declared = map[string]string{}, map[string]bool{}
		case "ENV", "LABEL":
			cmd, raw := in.cmd, in.args
			changes = append(changes, func(c *containerConfig, vars map[string]string) error {
				pairs, err := keyValues(raw, func(n string) (string, bool) { v, ok := vars[n]; return v, ok })
				if err != nil {
					return fail("%v", err)
				}
				for _, kv := range pairs {
					if cmd == "ENV" {
						c.Env = setEnv(c.Env, kv[0], kv[1])
						vars[kv[0]] = kv[1]
					} else {
						if c.Labels == nil {
							c.Labels = map[string]string{}
						}
						c.Labels[kv[0]] = kv[1]
					}
				}
				return nil
			})
		case "COPY":
			rest := in.args
			chown := ""
			for strings.HasPrefix(rest, "--") {
				flag, after, _ := strings.Cut(rest, " ")
				rest = strings.TrimSpace(after)
				switch {
				case strings.HasPrefix(flag, "--chown="):
					chown = strings.TrimPrefix(flag, "--chown=")
				default:
					return nil, fail("unsupported flag %s", flag)
				}
			}
			var w []string
			if strings.HasPrefix(rest, "[") {
				if err := json.Unmarshal([]byte(rest), &w); err != nil {
					return nil, fail("bad JSON form: %v", err)
				}
			} else {
				var err error
				if w, err = shellWords(rest, lookupArgs); err != nil {
					return nil, fail("%v", err)
				}
			}
			if len(w) < 2 {
				return nil, fail("want COPY SRC... DEST")
			}
			dest := w[len(w)-1]
			srcs := w[:len(w)-1]
			if !path.IsAbs(dest) {
				dir := strings.HasSuffix(dest, "/")
				dest = path.Join(workdir, dest)
				if dir && dest != "/" {
					dest += "/"
				}
			}
			if len(srcs) > 1 && !strings.HasSuffix(dest, "/") {
				return nil, fail("with several sources the destination must end in /")
			}
			for _, s := range srcs {
				if strings.ContainsAny(s, "*?[") {
					return nil, fail("wildcards are not supported: name the files")
				}
				r.copies = append(r.copies, copyOp{src: path.Clean(strings.TrimPrefix(s, "/")), dest: dest, chown: chown, line: in.line})
			}
		case "WORKDIR":
			raw := in.args
			w, err := shellWords(raw, lookupArgs)
			if err != nil || len(w) != 1 {
				return nil, fail("want WORKDIR PATH")
			}
			if path.IsAbs(w[0]) {
				workdir = path.Clean(w[0])
			} else {
				workdir = path.Join(workdir, w[0])
			}
			r.workdirs = append(r.workdirs, workdir)
			dir := workdir
			changes = append(changes, func(c *containerConfig, _ map[string]string) error {
				c.WorkingDir = dir
				return nil
			})
		case "USER", "STOPSIGNAL":
			w, err := shellWords(in.args, lookupArgs)
			if err != nil || len(w) != 1 {
				return nil, fail("want one value")
			}
			cmd, v := in.cmd, w[0]
			changes = append(changes, func(c *containerConfig, _ map[string]string) error {
				if cmd == "USER" {
					c.User = v
				} else {
					c.StopSignal = v
				}
				return nil
			})
		case "EXPOSE":
			w, err := shellWords(in.args, lookupArgs)
			if err != nil || len(w) == 0 {
				return nil, fail("want EXPOSE PORT[/PROTO]...")
			}
			var ports []string
			for _, p := range w {
				if !strings.Contains(p, "/") {
					p += "/tcp"
				}
				ports = append(ports, strings.ToLower(p))
			}
			changes = append(changes, func(c *containerConfig, _ map[string]string) error {
				if c.ExposedPorts == nil {
					c.ExposedPorts = map[string]struct{}{}
				}
				for _, p := range ports {
					c.ExposedPorts[p] = struct{}{}
				}
				return nil
			})
		case "VOLUME":
			var vols []string
			if strings.HasPrefix(in.args, "[") {
				if err := json.Unmarshal([]byte(in.args), &vols); err != nil {
					return nil, fail("bad JSON form: %v", err)
				}
			} else {
				var err error
				if vols, err = shellWords(in.args, lookupArgs); err != nil {
					return nil, fail("%v", err)
				}
			}
			changes = append(changes, func(c *containerConfig, _ map[string]string) error {
				if c.Volumes == nil {
					c.Volumes = map[string]struct{}{}
				}
				for _, v := range vols {
					c.Volumes[v] = struct{}{}
				}
				return nil
			})
		case "ENTRYPOINT", "CMD":
			cmdline, err := execForm(in.args)
			if err != nil {
				return nil, fail("%v", err)
			}
			if in.cmd == "CMD" {
				changes = append(changes, func(c *containerConfig, _ map[string]string) error {
					c.Cmd = cmdline
					return nil
				})
				continue
			}
			changes = append(changes, func(c *containerConfig, _ map[string]string) error {
				c.Entrypoint = cmdline
				return nil
			})
		case "HEALTHCHECK":
			hc, err := parseHealthcheck(in.args)
			if err != nil {
				return nil, fail("%v", err)
			}
			changes = append(changes, func(c *containerConfig, _ map[string]string) error {
				c.Healthcheck = hc
				return nil
			})
		case "RUN":
			return nil, fail("RUN is not supported by the kit's builder: put the command in the image's prepare.sh, which runs while the base is built")
		default:
			return nil, fail("unsupported instruction")
		}
		if in.cmd != "ARG" || fromSeen {
			r.steps = append(r.steps, in)
		}
	}
	if !fromSeen {
		return nil, errors.New("the Dockerfile has no FROM")
	}
	// As in docker build: an ENTRYPOINT clears the parent's CMD unless this
	// Dockerfile sets CMD too.
	setsEntrypoint, setsCmd := false, false
	for _, in := range r.steps {
		setsEntrypoint = setsEntrypoint || in.cmd == "ENTRYPOINT"
		setsCmd = setsCmd || in.cmd == "CMD"
	}
	r.apply = func(parent containerConfig) (containerConfig, error) {
		c := cloneConfig(parent)
		if setsEntrypoint && !setsCmd {
			c.Cmd = nil
		}
		vars := map[string]string{}
		for _, kv := range c.Env {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
		for k, v := range args {
			if _, ok := vars[k]; !ok {
				vars[k] = v
			}
		}
		for _, ch := range changes {
			if err := ch(&c, vars); err != nil {
				return containerConfig{}, err
			}
		}
		return c, nil
	}
	// Validate ENV and LABEL now, against an empty parent.
	if _, err := r.apply(containerConfig{}); err != nil {
		return nil, err
	}
	return r, nil
}

// execForm parses the argument of CMD or ENTRYPOINT: a JSON array, or a
// shell command run with /bin/sh -c.
func execForm(s string) ([]string, error) {
	if strings.HasPrefix(s, "[") {
		var w []string
		if err := json.Unmarshal([]byte(s), &w); err != nil {
			return nil, fmt.Errorf("bad JSON form: %v", err)
		}
		return w, nil
	}
	if s == "" {
		return nil, errors.New("empty command")
	}
	return []string{"/bin/sh", "-c", s}, nil
}

func parseHealthcheck(s string) (*healthConfig, error) {
	hc := &healthConfig{}
	for strings.HasPrefix(s, "--") {
		flag, rest, _ := strings.Cut(s, " ")
		s = strings.TrimSpace(rest)
		name, val, ok := strings.Cut(strings.TrimPrefix(flag, "--"), "=")
		if !ok {
			return nil, fmt.Errorf("flag %s needs a value", flag)
		}
		if name == "retries" {
			if _, err := fmt.Sscanf(val, "%d", &hc.Retries); err != nil || hc.Retries < 0 {
				return nil, fmt.Errorf("bad --retries %q", val)
			}
			continue
		}
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("bad --%s %q", name, val)
		}
		switch name {
		case "interval":
			hc.Interval = d
		case "timeout":
			hc.Timeout = d
		case "start-period":
			hc.StartPeriod = d
		default:
			return nil, fmt.Errorf("unsupported flag %s", flag)
		}
	}
	kind, rest, _ := strings.Cut(s, " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToUpper(kind) {
	case "NONE":
		return &healthConfig{Test: []string{"NONE"}}, nil
	case "CMD":
		if strings.HasPrefix(rest, "[") {
			var w []string
			if err := json.Unmarshal([]byte(rest), &w); err != nil {
				return nil, fmt.Errorf("bad JSON form: %v", err)
			}
			hc.Test = append([]string{"CMD"}, w...)
		} else {
			hc.Test = []string{"CMD-SHELL", rest}
		}
		return hc, nil
	}
	return nil, errors.New("want HEALTHCHECK [OPTIONS] CMD command, or NONE")
}

// keyValues parses "K=V K2=V2" (words with quotes and $VARs).
func keyValues(s string, lookup func(string) (string, bool)) ([][2]string, error) {
	w, err := shellWords(s, lookup)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	if len(w) >= 2 && !strings.Contains(w[0], "=") {
		// the old "ENV KEY value with spaces" form
		return [][2]string{{w[0], strings.Join(w[1:], " ")}}, nil
	}
	for _, kv := range w {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not KEY=VALUE", kv)
		}
		out = append(out, [2]string{k, v})
	}
	return out, nil
}

// shellWords splits s into words like the Dockerfile shell lexer does:
// whitespace separates words; '...' is literal; "..." and unquoted text
// expand $NAME, ${NAME}, ${NAME:-default} and ${NAME:+alternative}; a
// backslash escapes the next character.
func shellWords(s string, lookup func(string) (string, bool)) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	expand := func(i int) (string, int, error) {
		// s[i] == '$'
		if i+1 >= len(s) {
			return "$", i + 1, nil
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return "", 0, errors.New("missing } in " + s)
			}
			expr := s[i+2 : i+end]
			next := i + end + 1
			name, mod, word := expr, "", ""
			if j := strings.Index(expr, ":"); j >= 0 && j+1 < len(expr) {
				name, mod, word = expr[:j], expr[j:j+2], expr[j+2:]
			}
			v, ok := lookup(name)
			switch mod {
			case ":-":
				if !ok || v == "" {
					v = word
				}
			case ":+":
				if ok && v != "" {
					v = word
				} else {
					v = ""
				}
			case "":
			default:
				return "", 0, fmt.Errorf("unsupported expansion ${%s}", expr)
			}
			return v, next, nil
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			return "$", i + 1, nil
		}
		v, _ := lookup(s[i+1 : j])
		return v, j, nil
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
			i++
		case c == '\\' && i+1 < len(s):
			cur.WriteByte(s[i+1])
			inWord = true
			i += 2
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated ' in " + s)
			}
			cur.WriteString(s[i+1 : i+1+end])
			inWord = true
			i += end + 2
		case c == '"':
			inWord = true
			i++
			for {
				if i >= len(s) {
					return nil, errors.New(`unterminated " in ` + s)
				}
				if s[i] == '"' {
					i++
					break
				}
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`, s[i+1]) >= 0 {
					cur.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '$' {
					v, next, err := expand(i)
					if err != nil {
						return nil, err
					}
					cur.WriteString(v)
					i = next
					continue
				}
				cur.WriteByte(s[i])
				i++
			}
		case c == '$':
			v, next, err := expand(i)
			if err != nil {
				return nil, err
			}
			cur.WriteString(v)
			inWord = true
			i = next
		default:
			cur.WriteByte(c)
			inWord = true
			i++
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func setEnv(env []string, key, val string) []string {
	for i, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			out := append([]string(nil), env...)
			out[i] = key + "=" + val
			return out
		}
	}
	return append(append([]string(nil), env...), key+"="+val)
}

func cloneConfig(c containerConfig) containerConfig {
	out := c
	out.Env = append([]string(nil), c.Env...)
	out.Cmd = append([]string(nil), c.Cmd...)
	out.Entrypoint = append([]string(nil), c.Entrypoint...)
	if len(c.Cmd) == 0 {
		out.Cmd = nil
	}
	if len(c.Entrypoint) == 0 {
		out.Entrypoint = nil
	}
	out.Labels = cloneMap(c.Labels)
	out.ExposedPorts = cloneSet(c.ExposedPorts)
	out.Volumes = cloneSet(c.Volumes)
	if c.Healthcheck != nil {
		hc := *c.Healthcheck
		hc.Test = append([]string(nil), hc.Test...)
		out.Healthcheck = &hc
	}
	return out
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneSet(m map[string]struct{}) map[string]struct{} {
	if m == nil {
		return nil
	}
	out := make(map[string]struct{}, len(m))
	for k := range m {
		out[k] = struct{}{}
	}
	return out
}
