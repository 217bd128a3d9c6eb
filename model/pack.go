package model

import (
	"encoding/binary"
	"fmt"

	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/spec"
)

// Compact worlds. A World is a graph of Go values (node states, message
// slices, ghost history); the checker's frontier holds millions of them.
// Pack turns a world into a short pointer-free list of numbers: each node
// state, packet and ghost event is interned once per model and named by
// its id, and the rest (flags, timers, budgets, cursors, ghost clocks) is
// written out as varints. Unpack builds the world back. A world's node
// states and packets remember their ids, so packing a successor interns
// only what its step changed.
//
// Layout, all unsigned varints unless said otherwise:
//
//	per node: state id, up | crashed<<1, timers, forged, cursor,
//	          then, with happens-before on, its vector clock
//	packets in flight: count, then each packet's id
//	drops, dups, crashes, stable
//	history: count, then each event's id
//	history hash and fingerprint: 8 bytes each, little-endian

// interned holds a model's intern tables.
type interned[S, M any] struct {
	states  interner[nodeValue[S]]
	packets interner[packet[M]]
	events  interner[spec.Event[M]]
}

type nodeValue[S any] struct {
	state S
	h     uint64
}

func (m *Model[S, M]) tables() *interned[S, M] {
	m.internOnce.Do(func() { m.intern = new(interned[S, M]) })
	return m.intern
}

// Pack appends w's compact encoding to dst. With Unpack it makes the
// model an explore.Packer: worlds wait in the frontier as these bytes.
func (m *Model[S, M]) Pack(dst []byte, w *World[S, M]) []byte {
	t := m.tables()
	bp := m.buf()
	defer m.scratch.Put(bp)
	for i := range w.nodes {
		nd := w.nodes[i]
		if nd.sid == 0 {
			key := m.proto.AppendState((*bp)[:0], nd.state)
			*bp = key
			st, h := nd.state, nd.h
			nd.sid = t.states.id(h, key, func(uint32) nodeValue[S] { return nodeValue[S]{st, h} })
		}
		dst = binary.AppendUvarint(dst, uint64(nd.sid))
		dst = binary.AppendUvarint(dst, b2u(nd.up)|b2u(nd.crashed)<<1)
		dst = binary.AppendUvarint(dst, nd.timers)
		dst = binary.AppendUvarint(dst, nd.forged)
		dst = binary.AppendUvarint(dst, uint64(w.cursor[i]))
		if m.hb {
			for _, v := range nd.clock {
				dst = binary.AppendUvarint(dst, uint64(v))
			}
		}
	}
	dst = binary.AppendUvarint(dst, uint64(len(w.net)))
	for i := range w.net {
		p := w.net[i]
		if p.pid == 0 {
			key := m.encodePacket((*bp)[:0], p)
			*bp = key
			v := *p
			p.pid = t.packets.id(p.h, key, func(id uint32) packet[M] { v.pid = id; return v })
		}
		dst = binary.AppendUvarint(dst, uint64(p.pid))
	}
	dst = binary.AppendUvarint(dst, uint64(w.drops))
	dst = binary.AppendUvarint(dst, uint64(w.dups))
	dst = binary.AppendUvarint(dst, uint64(w.crash))
	dst = binary.AppendUvarint(dst, b2u(w.stable))
	dst = binary.AppendUvarint(dst, uint64(len(w.hist)))
	if len(w.hids) < len(w.hist) {
		hids := w.hids[:len(w.hids):len(w.hids)]
		for i := len(w.hids); i < len(w.hist); i++ {
			ev := w.hist[i]
			key := m.encodeEvent((*bp)[:0], &ev)
			*bp = key
			hids = append(hids, t.events.id(explore.Hash64(key), key, func(uint32) spec.Event[M] { return ev }))
		}
		w.hids = hids
	}
	for _, id := range w.hids {
		dst = binary.AppendUvarint(dst, uint64(id))
	}
	dst = binary.LittleEndian.AppendUint64(dst, w.histH)
	dst = binary.LittleEndian.AppendUint64(dst, w.fp)
	return dst
}

// Unpack builds back the world Pack encoded in b.
func (m *Model[S, M]) Unpack(b []byte) *World[S, M] {
	w, rest := m.unpack(b)
	if len(rest) != 0 {
		panic(fmt.Sprintf("model: Unpack of a world that Pack did not write (%d bytes left over)", len(rest)))
	}
	return w
}

// unpack reads a packed world from the front of b and returns the bytes
// after it.
func (m *Model[S, M]) unpack(b []byte) (*World[S, M], []byte) {
	t := m.tables()
	r := reader{b: b}
	w := &World[S, M]{nodes: newNodes[S](m.n), cursor: make([]uint8, m.n)}
	var clocks []uint32
	if m.hb {
		clocks = make([]uint32, m.n*m.n)
	}
	for i := range w.nodes {
		nd := w.nodes[i]
		nd.sid = uint32(r.uint())
		v := t.states.get(nd.sid)
		nd.state, nd.h = v.state, v.h
		flags := r.uint()
		nd.up, nd.crashed = flags&1 != 0, flags&2 != 0
		nd.timers = r.uint()
		nd.forged = r.uint()
		w.cursor[i] = uint8(r.uint())
		if m.hb {
			c := spec.VClock(clocks[i*m.n : (i+1)*m.n : (i+1)*m.n])
			for j := range c {
				c[j] = uint32(r.uint())
			}
			nd.clock = c
		}
	}
	if n := int(r.uint()); n > 0 {
		w.net = make([]*packet[M], n)
		for i := range w.net {
			w.net[i] = t.packets.get(uint32(r.uint()))
		}
	}
	w.drops = uint8(r.uint())
	w.dups = uint8(r.uint())
	w.crash = uint8(r.uint())
	w.stable = r.uint() != 0
	if n := int(r.uint()); n > 0 {
		w.hist = make([]spec.Event[M], n)
		w.hids = make([]uint32, n)
		for i := range w.hist {
			w.hids[i] = uint32(r.uint())
			w.hist[i] = *t.events.get(w.hids[i])
			w.hist[i].Seq = i
		}
	}
	w.histH = r.fixed()
	w.fp = r.fixed()
	if r.err != nil {
		panic(fmt.Sprintf("model: Unpack of a world that Pack did not write (%d bytes)", len(b)))
	}
	return w, r.b
}

// MemBytes estimates the memory of the model's intern tables, which grow
// with the search: explore counts it against the memory budget.
func (m *Model[S, M]) MemBytes() int64 {
	if m.intern == nil {
		return 0
	}
	t := m.intern
	return t.states.bytes.Load() + t.packets.bytes.Load() + t.events.bytes.Load()
}

// encodeEvent is an event's identity in the history, its position aside
// (that is where it stands in the list).
func (m *Model[S, M]) encodeEvent(b []byte, e *spec.Event[M]) []byte {
	b = spec.AppendUint(b, uint64(e.Node))
	b = m.proto.AppendMsg(b, e.Obs)
	if m.hb {
		b = e.Clock.Append(b)
	}
	return b
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = fmt.Errorf("bad varint")
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) fixed() uint64 {
	if len(r.b) < 8 {
		r.err = fmt.Errorf("short")
		r.b = nil
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

var (
	_ explore.Packer[*World[int, int]] = (*Model[int, int])(nil)
	_ explore.MemReporter              = (*Model[int, int])(nil)
)
