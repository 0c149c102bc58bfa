package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// config is the behaviour of serve mode, as set by flags and TESTSERVER_*
// variables. defaultConfig serves nothing and waits for a signal.
type config struct {
	logs         []logLine // -log and -stderr-log, in the order given
	tcp          []listenSpec
	http         []listenSpec
	greeting     string
	healthPath   string
	healthStatus int
	healthyAfter time.Duration
	exit         *exitSpec
	ignoreTerm   bool
	exitOnSignal map[string]bool // canonical names, e.g. "SIGUSR1"
	allocs       []allocSpec
	stdinEcho    bool
}

// defaultConfig returns the configuration used when no flag is given.
func defaultConfig() config {
	return config{healthPath: "/health", healthStatus: 200, exitOnSignal: map[string]bool{}}
}

// envPrefix starts the variable that stands in for a flag not given.
const envPrefix = "TESTSERVER_"

// envName returns the variable read for flag name: "healthy-after" is read
// from TESTSERVER_HEALTHY_AFTER.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// newFlagSet returns the serve flags bound to cfg and the names of the
// repeatable ones, whose variables hold a ";"-separated list. Every flag's
// error names the expected form.
func newFlagSet(cfg *config) (*flag.FlagSet, map[string]bool) {
	fs := flag.NewFlagSet("testserver serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	repeatable := map[string]bool{}
	multi := func(name, usage string, set func(string) error) {
		repeatable[name] = true
		fs.Func(name, usage+" (repeatable)", set)
	}
	multi("log", "`DELAY=TEXT`: write TEXT+\"\\n\" to stdout DELAY after start", func(s string) error {
		return appendParsed(&cfg.logs, s, func(s string) (logLine, error) { return parseLogLine(s, false) })
	})
	multi("stderr-log", "`DELAY=TEXT`: write TEXT+\"\\n\" to stderr DELAY after start", func(s string) error {
		return appendParsed(&cfg.logs, s, func(s string) (logLine, error) { return parseLogLine(s, true) })
	})
	multi("tcp", "`[ADDR:]PORT[@DELAY]`: after DELAY listen on TCP PORT (on every interface, or ADDR) and echo lines; port 0 picks one", func(s string) error {
		return appendParsed(&cfg.tcp, s, parseListen)
	})
	multi("http", "`PORT[@DELAY]`: after DELAY serve HTTP on PORT; port 0 picks one", func(s string) error {
		return appendParsed(&cfg.http, s, parseListen)
	})
	multi("alloc", "`SIZE@DELAY`: after DELAY allocate SIZE bytes (e.g. 256MiB) and touch every page", func(s string) error {
		return appendParsed(&cfg.allocs, s, parseAlloc)
	})
	multi("exit-on-signal", "`NAME[,NAME]`: exit 0 on these signals, e.g. SIGUSR1", func(s string) error {
		for name := range strings.SplitSeq(s, ",") {
			n, err := parseSignalName(name)
			if err != nil {
				return err
			}
			cfg.exitOnSignal[n] = true
		}
		return nil
	})
	fs.Func("exit", "`CODE@DELAY`: exit with CODE after DELAY", func(s string) error {
		e, err := parseExit(s)
		if err == nil {
			cfg.exit = &e
		}
		return err
	})
	fs.Func("greeting", "`TEXT`: write TEXT+\"\\n\" first on each TCP connection", func(s string) error {
		cfg.greeting = s
		return nil
	})
	fs.Func("health-path", "`PATH` of the HTTP health endpoint (default /health)", func(s string) error {
		if !strings.HasPrefix(s, "/") {
			return errors.New("expected a PATH starting with /")
		}
		cfg.healthPath = s
		return nil
	})
	fs.Func("health-status", "`STATUS` the health endpoint answers once healthy (default 200)", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 100 || n > 599 {
			return errors.New("expected an HTTP STATUS, 100-599")
		}
		cfg.healthStatus = n
		return nil
	})
	fs.Func("healthy-after", "`DURATION`: the health endpoint answers 503 until this long after start (default 0)", func(s string) error {
		d, err := parseDelay(s)
		if err != nil {
			return fmt.Errorf("%v: expected a DURATION, e.g. 2s", err)
		}
		cfg.healthyAfter = d
		return nil
	})
	boolFlag := func(name, usage string, p *bool) {
		fs.BoolFunc(name, usage, func(s string) error {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return errors.New("expected true or false")
			}
			*p = b
			return nil
		})
	}
	boolFlag("ignore-sigterm", "log and ignore SIGTERM and SIGINT instead of exiting", &cfg.ignoreTerm)
	boolFlag("stdin-echo", "write \"stdin: LINE\" to stdout for each line read from stdin", &cfg.stdinEcho)
	return fs, repeatable
}

// appendParsed parses s and appends the result to list.
func appendParsed[T any](list *[]T, s string, parse func(string) (T, error)) error {
	v, err := parse(s)
	if err != nil {
		return err
	}
	*list = append(*list, v)
	return nil
}

// parseConfig parses serve-mode args; a flag not given is read from its
// TESTSERVER_* variable through getenv when that is not empty. The error
// names the flag (and variable) and the expected form.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	cfg := defaultConfig()
	fs, repeatable := newFlagSet(&cfg)
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q: serve takes only flags", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		v := getenv(envName(f.Name))
		if given[f.Name] || v == "" {
			return
		}
		values := []string{v}
		if repeatable[f.Name] {
			values = strings.Split(v, ";")
		}
		for _, v := range values {
			if v == "" {
				continue
			}
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("invalid value %q in %s for flag -%s: %v", v, envName(f.Name), f.Name, err))
				return
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return config{}, err
	}
	return cfg, nil
}

// usage writes the command summary and the serve flags to w.
func usage(w io.Writer) {
	cfg := defaultConfig()
	fs, _ := newFlagSet(&cfg)
	fs.SetOutput(w)
	fmt.Fprint(w, `usage: testserver [serve] [flags]
       testserver probe URL | echo [-stdout S] [-stderr S] [-code N] | cat PATH
       testserver write PATH CONTENT | ls PATH | env | id | info | sleep DURATION | exit N

serve flags (each also read from TESTSERVER_<NAME> when not given;
repeatable flags take a ";"-separated list there):
`)
	fs.PrintDefaults()
}
