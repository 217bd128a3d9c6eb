package impl

import (
	"errors"
	"fmt"

	"github.com/distsys/distsys/spec"
)

// Transport carries messages from the nodes of this process to nodes that
// run in other processes (Config.Local). The driver hands it each message
// for a remote node, on the sending node's goroutine, after the sending
// step's persisted state is durable; what happens to the message then —
// delivered, delayed, lost with a broken connection — is the transport's
// network, as the simulated network's faults are its own. Messages from
// other processes come in through Cluster.Deliver. TCP is one.
type Transport[M any] interface {
	// Send carries m from local node from to remote node to; tag names
	// the step that sent it (with Config.Record or OnEvent), for the
	// receiving process's record. It must not block for long: a transport
	// queues, and may drop.
	Send(from, to spec.NodeID, m M, tag Tag)
}

// Tag names the step of this process that sent a message: its Seq and
// the index of the send among its outputs (zero when not recording).
type Tag struct {
	Seq  uint64
	Send int32
}

// Origin names the step of another process that sent a message: that
// process's incarnation (a number it draws when it starts), and its Tag.
type Origin struct {
	Incarnation uint64
	Tag
}

// ErrRemote: the node runs in another process (Config.Local).
var ErrRemote = errors.New("node runs in another process")

// validateLocal checks Local and Transport.
func (c *Config[S, M]) validateLocal() error {
	if c.Local == nil {
		if c.Transport != nil {
			return errors.New("impl: Config.Transport is set but Local is not: every node would run here and nothing would use it")
		}
		return nil
	}
	n := c.Protocol.Nodes()
	seen := make([]bool, n)
	for _, id := range c.Local {
		if id < 0 || int(id) >= n {
			return fmt.Errorf("impl: Config.Local names node %d of %d", id, n)
		}
		if seen[id] {
			return fmt.Errorf("impl: Config.Local names node %d twice", id)
		}
		seen[id] = true
	}
	switch {
	case len(c.Local) == 0:
		return errors.New("impl: Config.Local is empty: no node would run here")
	case len(c.Local) < n && c.Transport == nil:
		return fmt.Errorf("impl: %d of %d nodes run elsewhere (Config.Local) but Config.Transport is nil", n-len(c.Local), n)
	case c.Simulate && len(c.Local) < n:
		return errors.New("impl: a simulated cluster runs every node in one process (Config.Local with Simulate)")
	}
	return nil
}

// Deliver hands a message that remote node from sent to local node to —
// by the step o names, in another process — the transport's way in. A message for a node that is down is lost, as on the
// simulated network; a message naming nodes that do not fit (from local,
// to remote, either out of range) is refused with an error, and nothing
// happens.
func (c *Cluster[S, M]) Deliver(from, to spec.NodeID, m M, o Origin) error {
	switch {
	case from < 0 || int(from) >= c.n || to < 0 || int(to) >= c.n:
		return fmt.Errorf("impl: message from node %d to node %d of %d", from, to, c.n)
	case !c.nodes[from].remote:
		return fmt.Errorf("impl: message from node %d, which runs in this process, came in from outside", from)
	case c.nodes[to].remote:
		return fmt.Errorf("impl: message for node %d: %w", to, ErrRemote)
	}
	e := envelope[M]{from: from, msg: m, cause: o.Seq, send: o.Send, origin: o.Incarnation}
	c.work.Add(1)
	if !c.nodes[to].inbox.push(e) {
		c.lost(to, e)
		c.work.Add(-1)
	}
	return nil
}
