package model

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec"
)

// maxRenamings bounds the renamings a symmetric model tries per world.
const maxRenamings = 5040

// symmetry is what a model needs to name a world's orbit: the protocol's
// renaming functions and every renaming of its interchangeable nodes (the
// identity first).
type symmetry[S, M any] struct {
	sym   spec.Symmetric[S, M]
	perms [][]spec.NodeID
}

// newSymmetry checks the protocol's declaration against the model and
// lists the renamings.
func newSymmetry[S, M any](m *Model[S, M]) (*symmetry[S, M], error) {
	sym, ok := m.proto.(spec.Symmetric[S, M])
	if !ok {
		return nil, fmt.Errorf("model: symmetry asked, but the protocol declares no interchangeable nodes (spec.Symmetric)")
	}
	groups := sym.Interchangeable()
	if len(groups) == 0 {
		return nil, fmt.Errorf("model: symmetry asked, but no two nodes are interchangeable in this configuration")
	}
	seen := make([]bool, m.n)
	for _, g := range groups {
		if len(g) < 2 {
			return nil, fmt.Errorf("model: a group of interchangeable nodes needs two nodes or more, got %v", g)
		}
		for _, id := range g {
			if id < 0 || int(id) >= m.n || seen[id] {
				return nil, fmt.Errorf("model: interchangeable node %d out of range or in two groups", id)
			}
			seen[id] = true
		}
		// Interchangeable nodes must have the same workload.
		for _, id := range g[1:] {
			if !m.sameWork(g[0], id) {
				return nil, fmt.Errorf("model: nodes %d and %d are declared interchangeable but their workloads differ", g[0], id)
			}
		}
	}
	identity := make([]spec.NodeID, m.n)
	for i := range identity {
		identity[i] = spec.NodeID(i)
	}
	perms := [][]spec.NodeID{identity}
	for _, g := range groups {
		var next [][]spec.NodeID
		for _, base := range perms {
			for _, order := range permutationsOf(g) {
				p := slices.Clone(base)
				for k, id := range g {
					p[id] = order[k]
				}
				next = append(next, p)
				if len(next) > maxRenamings {
					return nil, fmt.Errorf("model: more than %d renamings of the interchangeable nodes", maxRenamings)
				}
			}
		}
		perms = next
	}
	return &symmetry[S, M]{sym: sym, perms: perms}, nil
}

func (m *Model[S, M]) sameWork(a, b spec.NodeID) bool {
	wa, wb := m.work[a], m.work[b]
	if len(wa) != len(wb) {
		return false
	}
	for k := range wa {
		if len(wa[k].Choices) != len(wb[k].Choices) {
			return false
		}
		for c := range wa[k].Choices {
			if !bytes.Equal(m.proto.AppendMsg(nil, wa[k].Choices[c]), m.proto.AppendMsg(nil, wb[k].Choices[c])) {
				return false
			}
		}
	}
	return true
}

// permutationsOf lists every ordering of ids.
func permutationsOf(ids []spec.NodeID) [][]spec.NodeID {
	if len(ids) <= 1 {
		return [][]spec.NodeID{slices.Clone(ids)}
	}
	var out [][]spec.NodeID
	for i := range ids {
		rest := append(slices.Clone(ids[:i]), ids[i+1:]...)
		for _, p := range permutationsOf(rest) {
			out = append(out, append([]spec.NodeID{ids[i]}, p...))
		}
	}
	return out
}

// orbitFingerprint is the least fingerprint of w under every renaming: the
// same for every world of the orbit, and (fingerprints being as good as
// the states they hash) different for different orbits.
func (m *Model[S, M]) orbitFingerprint(w *World[S, M]) uint64 {
	best := w.fp
	for _, p := range m.sym.perms[1:] {
		best = min(best, m.renamedFingerprint(w, p))
	}
	return best
}

// renamedFingerprint is the fingerprint seal would give w with its nodes
// renamed by p, computed the same way without building that world.
func (m *Model[S, M]) renamedFingerprint(w *World[S, M], p []spec.NodeID) uint64 {
	var invBuf [MaxNodes]spec.NodeID
	inv := invBuf[:len(p)]
	for i, j := range p {
		inv[j] = spec.NodeID(i)
	}
	sym := m.sym.sym
	h := uint64(len(w.nodes))
	for j := range w.nodes {
		nd := w.nodes[inv[j]]
		var timers uint64
		for t := 0; t < MaxTimers; t++ {
			if nd.timers&(1<<t) != 0 {
				timers |= 1 << checkTimer(sym.RenameTimer(spec.Timer(t), p))
			}
		}
		flags := timers<<2 | b2u(nd.up) | b2u(nd.crashed)<<1
		h = explore.Combine(h, m.hashState(sym.RenameState(nd.state, p)))
		h = explore.Combine(h, flags)
		if nd.forged != 0 {
			h = explore.Combine(h, nd.forged)
		}
		if m.hb {
			h = explore.Combine(h, m.hashClock(renameClock(nd.clock, p)))
		}
		h = explore.Combine(h, uint64(w.cursor[inv[j]]))
	}
	h = explore.Combine(h, uint64(len(w.net)))
	var netBuf [32]keyedPacket
	net := netBuf[:0]
	for i := range w.net {
		q := packet[M]{from: p[w.net[i].from], to: p[w.net[i].to], msg: sym.RenameMsg(w.net[i].msg, p), clock: renameClock(w.net[i].clock, p)}
		net = append(net, keyedPacket{from: q.from, to: q.to, seq: i, h: m.hashPacket(&q)})
	}
	slices.SortFunc(net, func(a, b keyedPacket) int {
		if m.cfg.Network == FIFO {
			if a.from != b.from {
				return int(a.from) - int(b.from)
			}
			if a.to != b.to {
				return int(a.to) - int(b.to)
			}
			return a.seq - b.seq // send order within a link
		}
		// By hash, as the unordered network is kept: packets with equal
		// hashes are equal (as equal as fingerprints make states).
		if a.h != b.h {
			if a.h < b.h {
				return -1
			}
			return 1
		}
		return 0
	})
	for _, k := range net {
		h = explore.Combine(h, k.h)
	}
	h = explore.Combine(h, uint64(w.drops)|uint64(w.dups)<<8|uint64(w.crash)<<16|uint64(b2u(w.stable))<<24)
	h = explore.Combine(h, m.renamedHistoryHash(w, p))
	return h
}

// keyedPacket is a renamed packet's place in the canonical order.
type keyedPacket struct {
	from, to spec.NodeID
	seq      int
	h        uint64
}

// renamedHistoryHash recomputes the running hash apply keeps of the ghost
// history, for the history with its nodes renamed by p.
func (m *Model[S, M]) renamedHistoryHash(w *World[S, M], p []spec.NodeID) uint64 {
	if len(w.hist) == 0 {
		return 0
	}
	sym := m.sym.sym
	var h uint64
	count := make([]int, len(w.nodes))
	for _, e := range w.hist {
		ev := spec.Event[M]{Node: p[e.Node], Obs: sym.RenameMsg(e.Obs, p), Clock: renameClock(e.Clock, p)}
		eh := m.hashEvent(&ev)
		switch {
		case m.ordered:
			h = explore.Combine(h, eh)
		case m.hb:
			h += explore.Mix64(eh)
		default:
			h += explore.Mix64(explore.Combine(uint64(count[ev.Node]), eh))
			count[ev.Node]++
		}
	}
	return h
}

// renameClock moves entry i of a vector clock to p[i].
func renameClock(c spec.VClock, p []spec.NodeID) spec.VClock {
	if c == nil {
		return nil
	}
	out := make(spec.VClock, len(c))
	for i, v := range c {
		out[p[i]] = v
	}
	return out
}
