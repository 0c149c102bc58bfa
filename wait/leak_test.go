package wait

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// No goroutine outlives a wait: each strategy, ready, timed out, and
// ended by a death, and the groups, leave nothing running when Wait
// returns. (TestMain checks the whole binary at its end; this checks
// right after the waits, so a goroutine that ends "soon" is caught too.)
func TestNoGoroutineOutlivesAWait(t *testing.T) {
	httpOK := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer httpOK.Close()
	addr := strings.TrimPrefix(httpOK.URL, "http://")
	greeter := echoServer(t, "hello", 0)
	ctx := context.Background()
	before := goleak.IgnoreCurrent()

	ready := fake{endpoint: addr, logs: "booting\nready\n"}
	for _, s := range []Strategy{
		ForLog("ready"),
		ForHTTP("/").OnPort("80"),
		ForPort("80").WithGreeting(HasPrefix("hello")),
		ForFunc(func(context.Context, Target) Result { return Ready() }),
		All(ForLog("ready"), ForHTTP("/").OnPort("80")),
		Any(ForLog("never"), ForHTTP("/").OnPort("80")),
	} {
		target := ready
		if strings.HasPrefix(s.(interface{ String() string }).String(), "port") {
			target.endpoint = greeter
		}
		if err := s.Wait(ctx, target); err != nil {
			t.Errorf("%v: %v", s, err)
		}
	}
	closed := fake{endpoint: closedPort(t), logs: "booting\n"}
	for _, s := range []Strategy{
		ForLog("ready").WithTimeout(30 * time.Millisecond),
		ForHTTP("/").OnPort("80").WithTimeout(30 * time.Millisecond),
		ForPort("80").WithTimeout(30 * time.Millisecond),
		All(ForLog("ready"), ForPort("80")).WithTimeout(30 * time.Millisecond),
	} {
		if err := s.Wait(ctx, closed); err == nil {
			t.Errorf("%v: ready on a closed port", s)
		}
	}
	dies := newExitEvents()
	close(dies.stop)
	if err := ForPort("80").Wait(ctx, dies); err == nil {
		t.Error("ready on a dead container")
	}
	goleak.VerifyNone(t, before)
}
