package imagekit

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestTestServerImages(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	c := start(t, runSpec{image: TestServerImage, ports: []string{"8080"}, args: []string{"-http", "8080"}})
	url := "http://" + c.endpoint("8080") + "/"
	c.waitFor(ctx, "GET /", want200(url, "", ""))
	if _, body, err := httpGet(ctx, url, "", ""); err != nil || body != "testserver\n" {
		t.Errorf("GET / = %q, %v; want \"testserver\\n\"", body, err)
	}

	hc := start(t, runSpec{image: TestServerHealthcheckImage, args: []string{"-http", "8080", "-healthy-after", "1s"}})
	hc.waitFor(ctx, "health status healthy", func(ctx context.Context) error {
		out, err := docker(ctx, nil, "inspect", "--format", "{{.State.Health.Status}}", hc.id)
		if err != nil {
			return err
		}
		if s := strings.TrimSpace(out); s != "healthy" {
			return fmt.Errorf("health status %s", s)
		}
		return nil
	})
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	image := Registry + "/postgres:latest"

	t.Run("contract", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		c := start(t, runSpec{
			image: image,
			env:   []string{"POSTGRES_PASSWORD=s3cret", "POSTGRES_USER=tduser", "POSTGRES_DB=tddb"},
			ports: []string{"5432"},
			tmpfs: []string{"/var/lib/postgresql/data"},
			files: map[string]string{
				"/docker-entrypoint-initdb.d/01-schema.sql": "CREATE TABLE greeting (t text); INSERT INTO greeting VALUES ('hello');",
				"/docker-entrypoint-initdb.d/02-more.sh":    "#!/bin/sh\nset -e\npsql -v ON_ERROR_STOP=1 --username \"$POSTGRES_USER\" --dbname \"$POSTGRES_DB\" -c \"INSERT INTO greeting VALUES ('from sh')\"\n",
			},
			args: []string{"postgres", "-c", "fsync=off", "-c", "max_connections=200"},
		})
		addr := c.endpoint("5432")
		// The temporary init server listens on its socket only: TCP
		// answers once the real server runs.
		c.waitFor(ctx, "SSLRequest on "+addr, func(ctx context.Context) error {
			conn, r, err := dial(ctx, addr)
			if err != nil {
				return err
			}
			defer conn.Close()
			if _, err := conn.Write([]byte{0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f}); err != nil {
				return err
			}
			b, err := r.ReadByte()
			if err != nil {
				return err
			}
			if b != 'N' && b != 'S' {
				return fmt.Errorf("SSLRequest answered %q", b)
			}
			return nil
		})
		// "ready to accept connections" twice: the temporary server, then
		// the real one (which logs it just after it starts listening).
		c.waitFor(ctx, "the second \"ready to accept connections\"", func(context.Context) error {
			if n := strings.Count(c.logs(), "database system is ready to accept connections"); n != 2 {
				return fmt.Errorf("%d in the log", n)
			}
			return nil
		})
		if logs := c.logs(); !strings.Contains(logs, "PostgreSQL init process complete; ready for start up.") {
			t.Errorf("log lacks the init-complete line:\n%s", tail(logs, 40))
		}

		query := func(host, password, sql string) (string, error) {
			return c.exec(ctx, "psql", "-Atq", "-v", "ON_ERROR_STOP=1",
				fmt.Sprintf("postgresql://tduser:%s@%s:5432/tddb", password, host), "-c", sql)
		}
		out, err := query("127.0.0.1", "s3cret", "SELECT string_agg(t, ',' ORDER BY t) FROM greeting; SHOW max_connections; SHOW server_encoding; SHOW fsync; SELECT current_user")
		if err != nil {
			t.Fatal(err)
		}
		if want := "from sh,hello\n200\nUTF8\noff\ntduser\n"; out != want {
			t.Errorf("query over 127.0.0.1 = %q, want %q", out, want)
		}

		// Host connections use scram-sha-256: the container's own address
		// is a host connection that is not loopback.
		ip, err := c.exec(ctx, "hostname", "-i")
		if err != nil {
			t.Fatal(err)
		}
		ip = strings.Fields(ip)[0]
		if out, err := query(ip, "s3cret", "SELECT 1"); err != nil || out != "1\n" {
			t.Errorf("password login over %s: %q, %v", ip, out, err)
		}
		if out, err := query(ip, "wrong", "SELECT 1"); err == nil || !strings.Contains(out, "password authentication failed") {
			t.Errorf("wrong password over %s: %q, %v; want an authentication failure", ip, out, err)
		}
		// From the host the server asks for SCRAM-SHA-256.
		conn, r, err := dial(ctx, addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		params := "user\x00tduser\x00database\x00tddb\x00\x00"
		msg := binary.BigEndian.AppendUint32(nil, uint32(8+len(params)))
		msg = binary.BigEndian.AppendUint32(msg, 196608)
		if _, err := conn.Write(append(msg, params...)); err != nil {
			t.Fatal(err)
		}
		reply := make([]byte, 64)
		n, _ := io.ReadAtLeast(r, reply, 9)
		reply = reply[:n]
		if n < 9 || reply[0] != 'R' || binary.BigEndian.Uint32(reply[5:9]) != 10 || !bytes.Contains(reply, []byte("SCRAM-SHA-256")) {
			t.Errorf("startup from the host got %q, want AuthenticationSASL with SCRAM-SHA-256", reply)
		}
	})

	t.Run("password required", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		c := start(t, runSpec{image: image})
		if code := c.waitExit(ctx); code != "1" {
			t.Errorf("exit code %s, want 1", code)
		}
		if logs := c.logs(); !strings.Contains(logs, "Database is uninitialized and superuser password is not specified") ||
			!strings.Contains(logs, "POSTGRES_HOST_AUTH_METHOD=trust") {
			t.Errorf("log lacks the official message:\n%s", logs)
		}
	})

	t.Run("trust", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		c := start(t, runSpec{image: image, env: []string{"POSTGRES_HOST_AUTH_METHOD=trust"}})
		c.waitFor(ctx, "psql as postgres", func(ctx context.Context) error {
			out, err := c.exec(ctx, "psql", "-Atq", "-h", "127.0.0.1", "-U", "postgres", "-c", "SELECT current_database()")
			if err != nil {
				return err
			}
			if out != "postgres\n" {
				return fmt.Errorf("got %q", out)
			}
			return nil
		})
	})
}

func TestMariaDB(t *testing.T) {
	t.Parallel()
	image := Registry + "/mariadb:latest"
	for _, tt := range []struct {
		name string
		env  []string
		args []string
	}{
		{"mariadb contract", []string{"MARIADB_ROOT_PASSWORD=rootpw", "MARIADB_DATABASE=app_db", "MARIADB_USER=app", "MARIADB_PASSWORD=apppw"},
			[]string{"mariadbd", "--innodb-flush-log-at-trx-commit=0"}},
		{"mysql contract", []string{"MYSQL_ROOT_PASSWORD=rootpw", "MYSQL_DATABASE=app_db", "MYSQL_USER=app", "MYSQL_PASSWORD=apppw"},
			[]string{"mysqld", "--innodb-flush-log-at-trx-commit=0"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			c := start(t, runSpec{
				image: image, env: tt.env, ports: []string{"3306"}, args: tt.args,
				files: map[string]string{"/docker-entrypoint-initdb.d/init.sql": "CREATE TABLE app_db.seed (v varchar(10)); INSERT INTO app_db.seed VALUES ('seeded');"},
			})
			addr := c.endpoint("3306")
			// The temporary init server skips networking: the handshake
			// comes from the real server.
			c.waitFor(ctx, "MySQL handshake on "+addr, func(ctx context.Context) error {
				conn, r, err := dial(ctx, addr)
				if err != nil {
					return err
				}
				defer conn.Close()
				hdr := make([]byte, 5)
				if _, err := io.ReadFull(r, hdr); err != nil {
					return err
				}
				if hdr[4] != 10 {
					return fmt.Errorf("greeting protocol %d, want 10", hdr[4])
				}
				return nil
			})
			if logs := c.logs(); !strings.Contains(logs, "ready for connections") || !strings.Contains(logs, "init process done") {
				t.Errorf("log lacks \"ready for connections\" or the init lines:\n%s", tail(logs, 40))
			}
			sql := func(user, pass, q string) (string, error) {
				return c.exec(ctx, "mariadb", "-h127.0.0.1", "-P3306", "-u"+user, "-p"+pass, "-N", "-B", "-e", q)
			}
			out, err := sql("app", "apppw", "USE app_db; CREATE TABLE t (i int); INSERT INTO t VALUES (42); SELECT i FROM t; SELECT v FROM seed; SELECT @@innodb_flush_log_at_trx_commit")
			if err != nil {
				t.Fatal(err)
			}
			if want := "42\nseeded\n0\n"; out != want {
				t.Errorf("as app: %q, want %q", out, want)
			}
			out, err = sql("root", "rootpw", "SELECT COUNT(*) FROM mysql.user WHERE user='root' AND host='%'; SELECT COUNT(*) FROM mysql.user WHERE user='app' AND host='%'")
			if err != nil || out != "1\n1\n" {
				t.Errorf("root over TCP: %q, %v; want root@%% and app@%%", out, err)
			}
			if _, err := sql("app", "wrong", "SELECT 1"); err == nil {
				t.Error("a wrong password logged in")
			}
		})
	}

	t.Run("password option required", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		c := start(t, runSpec{image: image})
		if code := c.waitExit(ctx); code != "1" {
			t.Errorf("exit code %s, want 1", code)
		}
		if logs := c.logs(); !strings.Contains(logs, "password option is not specified") {
			t.Errorf("log lacks the official message:\n%s", logs)
		}
	})
}

// resp sends a RESP command and returns the first line of the reply, with
// the value of a bulk string appended after a newline.
func resp(conn io.Writer, r interface {
	ReadString(byte) (string, error)
}, args ...string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(conn, b.String()); err != nil {
		return "", err
	}
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.HasPrefix(line, "$") && line != "$-1" {
		v, err := r.ReadString('\n')
		return line + "\n" + strings.TrimRight(v, "\r\n"), err
	}
	return line, nil
}

func TestRedis(t *testing.T) {
	t.Parallel()
	image := Registry + "/redis:latest"
	ctx := testContext(t)

	c := start(t, runSpec{image: image, ports: []string{"6379"}, args: []string{"redis-server", "--requirepass", "x", "--databases", "64"}})
	addr := c.endpoint("6379")
	c.waitFor(ctx, "PING on "+addr, func(ctx context.Context) error {
		conn, r, err := dial(ctx, addr)
		if err != nil {
			return err
		}
		defer conn.Close()
		got, err := resp(conn, r, "PING")
		if err != nil {
			return err
		}
		if !strings.HasPrefix(got, "-NOAUTH") {
			return fmt.Errorf("PING without AUTH: %q, want -NOAUTH", got)
		}
		return nil
	})
	conn, r, err := dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, step := range []struct {
		args []string
		want string
	}{
		{[]string{"AUTH", "x"}, "+OK"},
		{[]string{"SELECT", "63"}, "+OK"},
		{[]string{"SET", "k", "v"}, "+OK"},
		{[]string{"GET", "k"}, "$1\nv"},
		{[]string{"CONFIG", "GET", "protected-mode"}, "*2"},
	} {
		got, err := resp(conn, r, step.args...)
		if err != nil || got != step.want {
			t.Fatalf("%v = %q, %v; want %q", step.args, got, err, step.want)
		}
	}

	// Without options: no password, reachable from outside the container
	// (protected mode is off like in the official image).
	d := start(t, runSpec{image: image, ports: []string{"6379"}})
	addr = d.endpoint("6379")
	d.waitFor(ctx, "PING on "+addr, func(ctx context.Context) error {
		conn, r, err := dial(ctx, addr)
		if err != nil {
			return err
		}
		defer conn.Close()
		got, err := resp(conn, r, "PING")
		if err != nil {
			return err
		}
		if got != "+PONG" {
			return fmt.Errorf("PING: %q, want +PONG", got)
		}
		return nil
	})
	if out, err := d.exec(ctx, "sh", "-c", "stat -c %U /proc/1; pwd"); err != nil || out != "redis\n/data\n" {
		t.Errorf("server user and working directory: %q, %v; want redis, /data", out, err)
	}
}

func TestRabbitMQ(t *testing.T) {
	t.Parallel()
	image := Registry + "/rabbitmq:latest"
	t.Run("default user from env", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		c := start(t, runSpec{
			image: image,
			env:   []string{"RABBITMQ_DEFAULT_USER=tduser", "RABBITMQ_DEFAULT_PASS=tdpass", "RABBITMQ_DEFAULT_VHOST=tdvhost"},
			ports: []string{"5672", "15672"},
		})
		c.waitFor(ctx, "\"Server startup complete\" on stdout", func(context.Context) error {
			if !strings.Contains(c.logs(), "Server startup complete") {
				return errNotYet
			}
			return nil
		})
		api := "http://" + c.endpoint("15672") + "/api/"
		c.waitFor(ctx, "management API", want200(api+"overview", "tduser", "tdpass"))
		_, body, err := httpGet(ctx, api+"vhosts", "tduser", "tdpass")
		if err != nil || !strings.Contains(body, `"name":"tdvhost"`) {
			t.Errorf("vhosts: %s, %v; want tdvhost", body, err)
		}
		if code, _, _ := httpGet(ctx, api+"overview", "tduser", "wrong"); code != http.StatusUnauthorized {
			t.Errorf("wrong password: %d, want 401", code)
		}
		addr := c.endpoint("5672")
		c.waitFor(ctx, "AMQP Connection.Start on "+addr, func(ctx context.Context) error {
			conn, r, err := dial(ctx, addr)
			if err != nil {
				return err
			}
			defer conn.Close()
			if _, err := conn.Write([]byte("AMQP\x00\x00\x09\x01")); err != nil {
				return err
			}
			frame := make([]byte, 11)
			if _, err := io.ReadFull(r, frame); err != nil {
				return err
			}
			// method frame on channel 0: class 10 (connection), method 10 (start)
			if frame[0] != 1 || frame[1] != 0 || frame[2] != 0 || binary.BigEndian.Uint16(frame[7:9]) != 10 || binary.BigEndian.Uint16(frame[9:11]) != 10 {
				return fmt.Errorf("first frame % x, want Connection.Start", frame)
			}
			return nil
		})
	})
	t.Run("guest from anywhere", func(t *testing.T) {
		t.Parallel()
		ctx := testContext(t)
		c := start(t, runSpec{image: image, ports: []string{"15672"}})
		c.waitFor(ctx, "management API as guest", want200("http://"+c.endpoint("15672")+"/api/overview", "guest", "guest"))
	})
}

// natsHandshake reads INFO, sends CONNECT and PING and returns INFO and
// the reply to PING.
func natsHandshake(ctx context.Context, addr, connect string) (info, reply string, err error) {
	conn, r, err := dial(ctx, addr)
	if err != nil {
		return "", "", err
	}
	defer conn.Close()
	if info, err = r.ReadString('\n'); err != nil {
		return "", "", err
	}
	if !strings.HasPrefix(info, "INFO ") {
		return info, "", fmt.Errorf("first line %q, want INFO", info)
	}
	if _, err := io.WriteString(conn, "CONNECT "+connect+"\r\nPING\r\n"); err != nil {
		return info, "", err
	}
	reply, err = r.ReadString('\n')
	return info, strings.TrimSpace(reply), err
}

func TestNATS(t *testing.T) {
	t.Parallel()
	image := Registry + "/nats:latest"
	ctx := testContext(t)

	c := start(t, runSpec{image: image, ports: []string{"4222", "8222"}})
	addr := c.endpoint("4222")
	c.waitFor(ctx, "PONG on "+addr, func(ctx context.Context) error {
		_, reply, err := natsHandshake(ctx, addr, `{"verbose":false}`)
		if err == nil && reply != "PONG" {
			err = fmt.Errorf("PING answered %q", reply)
		}
		return err
	})
	c.waitFor(ctx, "monitoring /varz", want200("http://"+c.endpoint("8222")+"/varz", "", ""))

	a := start(t, runSpec{image: image, ports: []string{"4222"}, args: []string{"-js", "--user", "u", "--pass", "p"}})
	addr = a.endpoint("4222")
	a.waitFor(ctx, "PONG with user and password on "+addr, func(ctx context.Context) error {
		info, reply, err := natsHandshake(ctx, addr, `{"verbose":false,"user":"u","pass":"p"}`)
		if err != nil {
			return err
		}
		if reply != "PONG" {
			return fmt.Errorf("PING answered %q", reply)
		}
		if !strings.Contains(info, `"auth_required":true`) || !strings.Contains(info, `"jetstream":true`) {
			return fmt.Errorf("INFO %s lacks auth_required and jetstream", info)
		}
		return nil
	})
	if _, reply, err := natsHandshake(ctx, addr, `{"verbose":false,"user":"u","pass":"nope"}`); err != nil || !strings.Contains(reply, "Authorization Violation") {
		t.Errorf("wrong password: %q, %v; want Authorization Violation", reply, err)
	}
}

// mqttConnect sends an MQTT 3.1.1 CONNECT and returns the CONNACK.
func mqttConnect(ctx context.Context, addr string) ([]byte, error) {
	conn, r, err := dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	packet := []byte{0x10, 16, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 4, 't', 'e', 's', 't'}
	if _, err := conn.Write(packet); err != nil {
		return nil, err
	}
	ack := make([]byte, 4)
	_, err = io.ReadFull(r, ack)
	return ack, err
}

func TestMosquitto(t *testing.T) {
	t.Parallel()
	image := Registry + "/mosquitto:latest"
	ctx := testContext(t)
	connack := func(addr string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			ack, err := mqttConnect(ctx, addr)
			if err != nil {
				return err
			}
			if !bytes.Equal(ack, []byte{0x20, 2, 0, 0}) {
				return fmt.Errorf("CONNACK % x, want 20 02 00 00", ack)
			}
			return nil
		}
	}

	// The default configuration, like the official one, listens on the
	// container's loopback only.
	def := start(t, runSpec{image: image})
	def.waitFor(ctx, "local only mode", func(ctx context.Context) error {
		if !strings.Contains(def.logs(), "Starting in local only mode") {
			return errNotYet
		}
		return nil
	})

	noAuth := start(t, runSpec{image: image, ports: []string{"1883"}, args: []string{"/usr/sbin/mosquitto", "-c", "/mosquitto-no-auth.conf"}})
	noAuth.waitFor(ctx, "CONNACK with /mosquitto-no-auth.conf", connack(noAuth.endpoint("1883")))

	custom := start(t, runSpec{
		image: image, ports: []string{"1883"},
		files: map[string]string{"/mosquitto/config/mosquitto.conf": "listener 1883\nallow_anonymous true\npersistence true\npersistence_location /mosquitto/data/\n"},
	})
	custom.waitFor(ctx, "CONNACK with a mounted config", connack(custom.endpoint("1883")))
	if out, err := custom.exec(ctx, "stat", "-c", "%U", "/mosquitto/data"); err != nil || out != "mosquitto\n" {
		t.Errorf("/mosquitto/data owner %q, %v; want mosquitto", out, err)
	}
}

func TestMemcached(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	c := start(t, runSpec{image: Registry + "/memcached:latest", ports: []string{"11211"}, args: []string{"-m", "64"}})
	addr := c.endpoint("11211")
	c.waitFor(ctx, "set and get on "+addr, func(ctx context.Context) error {
		conn, r, err := dial(ctx, addr)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := io.WriteString(conn, "set k 0 0 5\r\nhello\r\nget k\r\nstats settings\r\n"); err != nil {
			return err
		}
		var lines []string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return fmt.Errorf("after %q: %v", lines, err)
			}
			lines = append(lines, strings.TrimSpace(line))
			if len(lines) > 4 && lines[len(lines)-1] == "END" {
				break
			}
		}
		got := strings.Join(lines, "\n")
		for _, want := range []string{"STORED\nVALUE k 0 5\nhello\nEND", "STAT maxbytes 67108864"} {
			if !strings.Contains(got, want) {
				return fmt.Errorf("reply %q lacks %q", got, want)
			}
		}
		return nil
	})
	if out, err := c.exec(ctx, "stat", "-c", "%U", "/proc/1"); err != nil || out != "memcache\n" {
		t.Errorf("memcached runs as %q, %v; want memcache", out, err)
	}
}

func TestEtcd(t *testing.T) {
	t.Parallel()
	image := Registry + "/etcd:latest"
	ctx := testContext(t)
	roundTrip := func(c *container) {
		t.Helper()
		base := "http://" + c.endpoint("2379")
		c.waitFor(ctx, "GET /version", want200(base+"/version", "", ""))
		if _, body, err := httpGet(ctx, base+"/version", "", ""); err != nil || !strings.Contains(body, `"etcdserver"`) {
			t.Errorf("/version: %s, %v", body, err)
		}
		// foo=bar through the v3 JSON gateway, keys and values in base64
		if code, body, err := httpDo(ctx, http.MethodPost, base+"/v3/kv/put", "", "", `{"key":"Zm9v","value":"YmFy"}`); err != nil || code != 200 {
			t.Fatalf("put: %d %s %v", code, body, err)
		}
		if code, body, err := httpDo(ctx, http.MethodPost, base+"/v3/kv/range", "", "", `{"key":"Zm9v"}`); err != nil || code != 200 || !strings.Contains(body, `"value":"YmFy"`) {
			t.Errorf("range: %d %s %v", code, body, err)
		}
	}
	c := start(t, runSpec{image: image, ports: []string{"2379"}, args: []string{"/usr/local/bin/etcd",
		"--listen-client-urls", "http://0.0.0.0:2379", "--advertise-client-urls", "http://0.0.0.0:2379"}})
	roundTrip(c)
	if out, err := c.exec(ctx, "/usr/local/bin/etcdctl", "get", "foo", "--print-value-only"); err != nil || out != "bar\n" {
		t.Errorf("etcdctl get foo: %q, %v", out, err)
	}

	e := start(t, runSpec{image: image, ports: []string{"2379"},
		env: []string{"ETCD_LISTEN_CLIENT_URLS=http://0.0.0.0:2379", "ETCD_ADVERTISE_CLIENT_URLS=http://0.0.0.0:2379"}})
	roundTrip(e)
}

func TestNginx(t *testing.T) {
	t.Parallel()
	image := Registry + "/nginx:latest"
	ctx := testContext(t)
	c := start(t, runSpec{image: image, ports: []string{"80"}})
	url := "http://" + c.endpoint("80") + "/"
	c.waitFor(ctx, "GET /", want200(url, "", ""))
	if _, body, err := httpGet(ctx, url, "", ""); err != nil || !strings.Contains(body, "Welcome to nginx!") {
		t.Errorf("GET /: %q, %v", body, err)
	}
	c.waitFor(ctx, "the access log on stdout", func(context.Context) error {
		if !strings.Contains(c.logs(), `"GET / HTTP/1.1" 200`) {
			return errNotYet
		}
		return nil
	})

	tpl := start(t, runSpec{
		image: image, ports: []string{"8081"}, env: []string{"NGINX_PORT=8081"},
		files: map[string]string{"/etc/nginx/templates/port.conf.template": "server {\n  listen ${NGINX_PORT};\n  location / { return 200 \"template on $server_port\\n\"; }\n}\n"},
	})
	url = "http://" + tpl.endpoint("8081") + "/"
	tpl.waitFor(ctx, "GET / on the templated server", want200(url, "", ""))
	if _, body, err := httpGet(ctx, url, "", ""); err != nil || body != "template on 8081\n" {
		t.Errorf("templated server: %q, %v", body, err)
	}
}

// Every stand-in says what it stands in for.
func TestStandInLabels(t *testing.T) {
	t.Parallel()
	for _, s := range StandIns() {
		requireImage(t, s.Tag)
		out, err := docker(t.Context(), nil, "image", "inspect", "--format", `{{index .Config.Labels "`+LabelStandsInFor+`"}}`, s.Tag)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(out); got != strings.Join(s.Official, ",") {
			t.Errorf("%s: %s = %q, want %q", s.Tag, LabelStandsInFor, got, strings.Join(s.Official, ","))
		}
	}
}
