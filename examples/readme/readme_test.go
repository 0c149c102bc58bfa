// Package readme holds the README's snippets as tests, so that they compile
// and pass; TestREADMEShowsTheseSnippets checks that README.md shows them
// verbatim.
package readme

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/testdock/testdock/fixture"
	"github.com/testdock/testdock/modules/postgres"
	"github.com/testdock/testdock/wait"
)

// README:begin fixture
func TestAPI(t *testing.T) {
	t.Parallel()
	c := fixture.Start(t, fixture.Spec{
		Image: "nginx:1.27",
		Ports: []string{"80/tcp"}, // published on 127.0.0.1 only
		Files: []fixture.File{{Path: "/usr/share/nginx/html/index.html", Content: "hello"}},
		Wait:  wait.ForHTTP("/").OnPort("80/tcp"),
	})
	resp, err := http.Get("http://" + c.Endpoint("80/tcp") + "/") // "127.0.0.1:49153"
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if body, _ := io.ReadAll(resp.Body); string(body) != "hello" {
		t.Fatalf("GET /: %q", body)
	}
}

// README:end

// README:begin postgres
var pg = postgres.Shared(postgres.WithMigrations(migrate)) // one server for this package

func TestMain(m *testing.M) { fixture.Main(m) } // removes shared fixtures after the tests

func TestOrders(t *testing.T) {
	t.Parallel()
	db := pg.Get(t).NewDatabase(t).DB(t) // a database of its own, cloned from the migrated template
	if _, err := db.Exec(`INSERT INTO orders (item) VALUES ('book')`); err != nil {
		t.Fatal(err)
	}
}

func migrate(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)`)
	return err
}

// README:end

func TestREADMEShowsTheseSnippets(t *testing.T) {
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile(`(?s)// README:begin (\w+)\n(.*?)\n// README:end`).FindAllSubmatch(src, -1)
	if len(blocks) != 2 {
		t.Fatalf("found %d snippets in readme_test.go", len(blocks))
	}
	for _, b := range blocks {
		snippet := strings.TrimSpace(string(b[2]))
		if !strings.Contains(string(readme), "```go\n"+snippet+"\n```") {
			t.Errorf("README.md does not show the %s snippet as it is in readme_test.go:\n%s", b[1], snippet)
		}
	}
}
