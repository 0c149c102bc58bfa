package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Resource is a container, network or volume that carries testdock's
// session label.
type Resource struct {
	// Kind is "container", "network" or "volume".
	Kind string
	// ID is the resource's ID (a volume's name).
	ID string
	// Name is its name, or the image for a container.
	Name string
	// Session and Owner are its testdock.session and testdock.owner labels.
	Session, Owner string
	// OwnerAlive reports whether the owner process still runs (owners on
	// other hosts count as alive).
	OwnerAlive bool
	// Created is when it was made, where the engine says.
	Created time.Time
}

// Resources lists everything on the engine that carries testdock.session,
// containers first, so that removing in order works.
func (e *Engine) Resources(ctx context.Context) ([]Resource, error) {
	f := make(client.Filters).Add("label", LabelSession)
	var rs []Resource
	add := func(kind, id, name string, labels map[string]string, created time.Time) {
		rs = append(rs, Resource{Kind: kind, ID: id, Name: name, Session: labels[LabelSession], Owner: labels[LabelOwner], OwnerAlive: OwnerAlive(labels[LabelOwner]), Created: created})
	}
	cl, err := e.Client.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	for _, c := range cl.Items {
		add("container", c.ID, c.Image, c.Labels, time.Unix(c.Created, 0))
	}
	nl, err := e.Client.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	for _, n := range nl.Items {
		add("network", n.ID, n.Name, n.Labels, n.Created)
	}
	vl, err := e.Client.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list volumes: %w", err)
	}
	for _, v := range vl.Items {
		created, _ := time.Parse(time.RFC3339, v.CreatedAt)
		add("volume", v.Name, v.Name, v.Labels, created)
	}
	return rs, nil
}

// Remove force-removes a resource (a container with its volumes). A
// resource already gone, or being removed, is fine.
func (e *Engine) Remove(ctx context.Context, r Resource) error {
	var err error
	switch r.Kind {
	case "container":
		_, err = e.Client.ContainerRemove(ctx, r.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	case "network":
		_, err = e.Client.NetworkRemove(ctx, r.ID, client.NetworkRemoveOptions{})
	case "volume":
		_, err = e.Client.VolumeRemove(ctx, r.ID, client.VolumeRemoveOptions{Force: true})
	default:
		return fmt.Errorf("unknown resource kind %q", r.Kind)
	}
	if err != nil && !cerrdefs.IsNotFound(err) && !cerrdefs.IsConflict(err) {
		return fmt.Errorf("remove %s %.12s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// autoSweepMinAge is how old a dead owner's resource must be for the
// sweep that every process makes when it connects: a younger one may be
// what another process (testdock ps or prune, a test of the sweep) is
// looking at right now, while a killed run's leftovers are older by the
// time a later run looks.
const autoSweepMinAge = 10 * time.Second

// Sweep removes the containers, networks and volumes that carry
// testdock.session and whose owner process ran on this host and is dead:
// what a test killed by -timeout, a signal or kill -9 could not remove.
// It never touches a resource without our labels, nor one whose owner
// runs or lives on another host.
func (e *Engine) Sweep(ctx context.Context) error { return e.sweep(ctx, 0) }

// sweep is Sweep of the resources at least minAge old (by the engine's
// creation time; those of unknown age count as old).
func (e *Engine) sweep(ctx context.Context, minAge time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	rs, err := e.Resources(ctx)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	var errs []error
	for _, r := range rs {
		if r.Owner == "" || r.OwnerAlive {
			continue
		}
		if minAge > 0 && !r.Created.IsZero() && time.Since(r.Created) < minAge {
			continue
		}
		if err := e.Remove(ctx, r); err != nil {
			errs = append(errs, fmt.Errorf("sweep: %w", err))
		}
	}
	return errors.Join(errs...)
}
