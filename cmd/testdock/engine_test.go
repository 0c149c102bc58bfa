package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/testdock/testdock/internal/engine"
	"github.com/testdock/testdock/internal/engine/enginetest"
	"github.com/testdock/testdock/internal/imagekit"
)

func TestPsAndPrune(t *testing.T) {
	enginetest.SweepLock(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e, err := engine.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	mk := func(owner string) string {
		res, err := e.Client.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &container.Config{
			Image:  imagekit.TestServerImage,
			Labels: map[string]string{engine.LabelSession: "cli-test", engine.LabelOwner: owner},
		}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_, _ = e.Client.ContainerRemove(context.Background(), res.ID, client.ContainerRemoveOptions{Force: true})
		})
		return res.ID
	}
	dead, alive := mk(host+":999999999:1"), mk(engine.Owner())

	var out, errs bytes.Buffer
	if code := run(ctx, []string{"ps"}, &out, &errs); code != 0 {
		t.Fatalf("ps: exit %d: %s", code, errs.String())
	}
	for _, id := range []string{dead, alive} {
		if !strings.Contains(out.String(), id[:12]) {
			t.Errorf("ps does not list %.12s:\n%s", id, out.String())
		}
	}

	out.Reset()
	if code := run(ctx, []string{"prune"}, &out, &errs); code != 0 {
		t.Fatalf("prune: exit %d: %s", code, errs.String())
	}
	if !strings.Contains(out.String(), "removed container "+dead[:12]) {
		t.Errorf("prune did not report removing the dead owner's container:\n%s", out.String())
	}
	if _, err := e.Client.ContainerInspect(ctx, dead, client.ContainerInspectOptions{}); err == nil {
		t.Error("the dead owner's container is still there")
	}
	if _, err := e.Client.ContainerInspect(ctx, alive, client.ContainerInspectOptions{}); err != nil {
		t.Errorf("prune without -all removed a live owner's container: %v", err)
	}
}

func TestDoctor(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"doctor"}, &out, &errs); code != 0 {
		t.Fatalf("doctor: exit %d: %s", code, errs.String())
	}
	for _, want := range []string{"daemon:", "ports on:    127.0.0.1", imagekit.TestServerImage} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out.String())
		}
	}
}
