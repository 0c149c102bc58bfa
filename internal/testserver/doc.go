// Testserver is a static program that testdock's own tests run as a
// container (PID 1 of a FROM scratch image, as /testserver) to prove from
// inside that container settings took effect, and that the readiness tests
// use as a controllable service. Arguments (and TESTSERVER_* variables) set
// its behaviour:
//
//	testserver -log 1s=ready -http 8080@2s -healthy-after 3s
//	docker exec C /testserver probe http://127.0.0.1:8080/health
//
// # Subcommands
//
// argv[1] names a subcommand; with no arguments, or when argv[1] starts
// with "-", the program runs serve mode. Usage errors exit 2.
//
//	serve [flags]            serve mode (below)
//	probe URL                GET URL (2s timeout): exit 0 on 2xx, else reason on stderr, exit 1
//	echo [-stdout S] [-stderr S] [-code N]
//	                         write S+"\n" to stdout / stderr (each only if given), exit N (default 0)
//	cat PATH                 file to stdout; error on stderr, exit 1
//	write PATH CONTENT       create/truncate PATH (0644) with CONTENT (no newline added); error: exit 1
//	ls PATH                  "NAME SIZE MODE" per entry, e.g. "data 4096 drwxr-xr-x" (PATH itself if a file)
//	env                      NAME=VALUE per line
//	id                       "uid=N gid=N groups=A,B" (groups from getgroups, may be empty)
//	info                     the /info report as JSON
//	sleep DURATION           sleep (Go duration), exit 0
//	exit N                   exit N (0-255)
//	help                     usage
//
// # Serve mode
//
// Every delay is a Go duration ("0", "500ms", "2s") counted from process
// start, which main takes first thing. A flag not given is read from
// TESTSERVER_<NAME> (upper case, "-" as "_", e.g. TESTSERVER_HEALTHY_AFTER);
// repeatable flags take a ";"-separated list there. Bad flags or variables
// print the flag, the bad value and the expected form on stderr and exit 2.
// With no flags serve mode serves nothing and waits for a signal.
//
//	-log DELAY=TEXT          write TEXT+"\n" to stdout after DELAY (repeatable)
//	-stderr-log DELAY=TEXT   the same to stderr (repeatable); all lines with equal delays keep their order
//	-tcp PORT[@DELAY]        listen on 0.0.0.0:PORT after DELAY (repeatable); each connection gets the
//	                         greeting, then every line received is echoed back
//	-greeting TEXT           TEXT+"\n" written first on each TCP connection (default none)
//	-http PORT[@DELAY]       serve HTTP (endpoints below) on 0.0.0.0:PORT after DELAY (repeatable)
//	-health-path PATH        health endpoint (default /health)
//	-health-status N         its status once healthy (default 200), body is the status text
//	-healthy-after DURATION  before this, the health endpoint answers 503 "starting\n" (default 0)
//	-exit CODE@DELAY         exit CODE after DELAY ("CODE" alone: at once), after every -log and
//	                         -stderr-log line due no later than DELAY was written
//	-ignore-sigterm          on SIGTERM/SIGINT log "ignoring SIGTERM" (or SIGINT) and go on
//	-exit-on-signal NAME[,NAME]
//	                         these signals exit 0 too, e.g. SIGUSR1 or USR1 (repeatable)
//	-alloc SIZE@DELAY        allocate SIZE after DELAY and touch every page, then log
//	                         "testserver: allocated N bytes"; SIZE is bytes or K/M/G, KiB/MiB/GiB
//	                         (binary) or KB/MB/GB (decimal), e.g. 256MiB (repeatable)
//	-stdin-echo              write "stdin: LINE" for each stdin line, "testserver: stdin closed" at EOF
//
// Port 0 picks a free port. Whenever a listener opens, stdout gets
// "testserver: listening tcp PORT" or "testserver: listening http PORT"
// with the actual port. A failed listen is reported on stderr and exits 1.
//
// Signals: SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 and SIGQUIT are each
// recorded and logged to stdout as "signal: NAME". Then a signal listed in
// -exit-on-signal logs "got NAME" and exits 0; SIGTERM and SIGINT log
// "got NAME" and exit 0, or with -ignore-sigterm log "ignoring NAME" and go
// on; other signals are only logged.
//
// # HTTP endpoints
//
//	/           200 "testserver\n"
//	/health     the -health-path (see above)
//	/info       JSON Info (below)
//	/file?path=P  the file's content; 404 missing, 403 unreadable, 400 no path or a directory
//	/exit?code=N  200 "exiting N\n", connection closed, then exit N; 400 for a bad code
//	/ready      JSON Ready: {"started_at_ns": N, "events": [Event...]}, where each Event is
//	            {"kind":"log","text":T,"stream":"stdout"|"stderr","at":NS} per -log/-stderr-log line,
//	            {"kind":"tcp"|"http","port":P,"at":NS} per listener opened,
//	            {"kind":"health","status":S,"at":NS} the first time health answered 2xx;
//	            at is Unix nanoseconds taken right after the write or listen returned
//	/signals    JSON list of signal names received so far, e.g. ["SIGHUP"]
//	/echo       JSON Echo {"method","path","query","host","headers":{K:[V]},"body"}
//	other       404
//
// # The /info report
//
// Fields of Info, all snake_case; values that cannot be read are zero:
//
//	env {NAME: VALUE}, args [..], pid, ppid, uid, gid, groups [int] (getgroups),
//	username (from /etc/passwd, "" without), hostname, cwd, hosts (/etc/hosts content),
//	mounts [{mount_point, root, fs_type, source, options [..], super_options [..], read_only}]
//	    (from /proc/self/mountinfo; read_only is "ro" in the per-mount options),
//	root_read_only (creating a file in / failed with EROFS, or "/" is mounted ro),
//	root_write_error ("" if creating a file in / worked),
//	cgroup_version (1, 2, 0 unknown),
//	memory_limit_bytes (-1 unlimited, 0 unreadable),
//	cpu_quota (CPUs, e.g. 1.5; 0 unlimited), cpu_weight (v2), cpu_shares (v1),
//	pids_limit (-1 unlimited, 0 unreadable),
//	capabilities {effective, permitted, bounding (hex as in /proc/self/status),
//	    effective_names, bounding_names (e.g. "CAP_NET_ADMIN")},
//	no_new_privs, seccomp (0 off, 1 strict, 2 filter),
//	apparmor (/proc/self/attr/current, e.g. "docker-default (enforce)"),
//	stdin_tty, stdout_tty (ioctl TCGETS),
//	stdin_open (fd 0 is not /dev/null: true with docker run -i, and with -t),
//	ulimits {nofile|nproc|core|stack|memlock: {soft, hard}} (-1 unlimited; the nofile
//	    soft limit is the one set at exec, e.g. by --ulimit, not the one Go raises it to),
//	started_at (RFC 3339 time)
package main
