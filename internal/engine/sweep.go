package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Sweep removes the containers, networks and volumes that carry
// testdock.session and whose owner process ran on this host and is dead:
// what a test killed by -timeout, a signal or kill -9 could not remove.
// It never touches a resource without our labels, nor one whose owner
// runs or lives on another host.
func (e *Engine) Sweep(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	f := make(client.Filters).Add("label", LabelSession).Add("label", LabelOwner)
	cl, err := e.Client.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return fmt.Errorf("sweep: list containers: %w", err)
	}
	var errs []error
	for _, c := range cl.Items {
		if OwnerAlive(c.Labels[LabelOwner]) {
			continue
		}
		if _, err := e.Client.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !cerrdefs.IsNotFound(err) && !cerrdefs.IsConflict(err) {
			errs = append(errs, fmt.Errorf("sweep: remove container %.12s: %w", c.ID, err))
		}
	}
	nl, err := e.Client.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return fmt.Errorf("sweep: list networks: %w", err)
	}
	for _, n := range nl.Items {
		if OwnerAlive(n.Labels[LabelOwner]) {
			continue
		}
		if _, err := e.Client.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) && !cerrdefs.IsConflict(err) {
			errs = append(errs, fmt.Errorf("sweep: remove network %s: %w", n.Name, err))
		}
	}
	vl, err := e.Client.VolumeList(ctx, client.VolumeListOptions{Filters: f})
	if err != nil {
		return fmt.Errorf("sweep: list volumes: %w", err)
	}
	for _, v := range vl.Items {
		if OwnerAlive(v.Labels[LabelOwner]) {
			continue
		}
		if _, err := e.Client.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true}); err != nil && !cerrdefs.IsNotFound(err) && !cerrdefs.IsConflict(err) {
			errs = append(errs, fmt.Errorf("sweep: remove volume %s: %w", v.Name, err))
		}
	}
	return errors.Join(errs...)
}
