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
}

// Resources lists everything on the engine that carries testdock.session,
// containers first, so that removing in order works.
func (e *Engine) Resources(ctx context.Context) ([]Resource, error) {
	f := make(client.Filters).Add("label", LabelSession)
	var rs []Resource
	add := func(kind, id, name string, labels map[string]string) {
		rs = append(rs, Resource{Kind: kind, ID: id, Name: name, Session: labels[LabelSession], Owner: labels[LabelOwner], OwnerAlive: OwnerAlive(labels[LabelOwner])})
	}
	cl, err := e.Client.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	for _, c := range cl.Items {
		add("container", c.ID, c.Image, c.Labels)
	}
	nl, err := e.Client.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	for _, n := range nl.Items {
		add("network", n.ID, n.Name, n.Labels)
	}
	vl, err := e.Client.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list volumes: %w", err)
	}
	for _, v := range vl.Items {
		add("volume", v.Name, v.Name, v.Labels)
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

// Sweep removes the containers, networks and volumes that carry
// testdock.session and whose owner process ran on this host and is dead:
// what a test killed by -timeout, a signal or kill -9 could not remove.
// It never touches a resource without our labels, nor one whose owner
// runs or lives on another host.
func (e *Engine) Sweep(ctx context.Context) error {
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
		if err := e.Remove(ctx, r); err != nil {
			errs = append(errs, fmt.Errorf("sweep: %w", err))
		}
	}
	return errors.Join(errs...)
}
