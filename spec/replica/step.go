package replica

import "github.com/distsys/distsys/spec"

type out = spec.Out[Msg]

// Step applies one input to a replica. It takes s by value; its arrays are
// copied with it, so the caller's state is untouched.
func (p *Protocol) Step(s State, in spec.Input[Msg]) (State, []spec.Output[Msg]) {
	switch in.Kind {
	case spec.Request:
		if in.Msg.Kind == Put || in.Msg.Kind == Remove {
			return p.write(s, in.Msg.Kind == Remove)
		}
	case spec.Fire:
		if in.Timer == retry {
			return p.resend(s)
		}
	case spec.Receive:
		if in.Msg.Kind == Sync {
			s = p.merge(s, in.Msg)
			if in.Msg.Pull {
				return s, out{spec.SendTo(in.From, p.syncOf(s))}
			}
			return s, nil
		}
	case spec.Recover:
		// A restart round of anti-entropy: the resends were lost with the
		// crash, and the peers' stores may have been sent while the
		// replica was down. Send the store, and ask for theirs.
		return s, p.sendAll(s, nil, true)
	}
	return s, nil
}

// write makes the replica's next write, a put or a remove, and sends the
// store to every peer, to be resent up to Retries times. A replica makes
// at most Params.Writes of its own writes (the workload issues no more):
// a request beyond them is ignored, so that write ids stay distinct and a
// store within its bound.
func (p *Protocol) write(s State, tomb bool) (State, out) {
	if int(s.Seq) >= p.p.Writes[s.ID] {
		return s, nil
	}
	s.Seq++
	v := Version{W: WriteID(s.ID, int(s.Seq)), Tomb: tomb}
	switch p.p.Store {
	case Naive:
		// Delete removes the key.
		if tomb {
			s = s.setVersions(nil)
		} else {
			s = s.setVersions([]Version{v})
		}
	case LWW, Physical:
		s.Clock++
		v.TS = p.stamp(s)
		if tomb && p.mutant == noTombstone {
			s = s.setVersions(nil)
		} else {
			// Under Physical a skewed clock can make even the replica's
			// own write older than the one it holds: it is discarded.
			s = p.keepNewer(s, v)
		}
	case MV:
		// The new version dominates every sibling: it was written
		// knowing them all.
		for _, u := range s.Sibs[:s.NSibs] {
			for i := range v.VC {
				v.VC[i] = max(v.VC[i], u.VC[i])
			}
		}
		v.VC[s.ID]++
		s = s.setVersions([]Version{v})
	}
	o := p.sendAll(s, out{wrote(v)}, false)
	s.Left = uint8(p.p.Retries)
	if s.Left > 0 {
		o.SetTimer(retry)
	}
	return s, o
}

// stamp is the timestamp a write gets at s's clock: the Lamport clock
// (LWW), or the physical clock, which reads real time plus the replica's
// offset (Physical).
func (p *Protocol) stamp(s State) uint8 { return s.Clock + p.offset(s.ID) }

// resend sends the store again, as it is now: a version keeps the
// timestamp it was written with (it is restamped under restamp-retry).
func (p *Protocol) resend(s State) (State, out) {
	if s.Left == 0 {
		return s, nil
	}
	s.Left--
	if p.mutant == restampRetry && s.NSibs == 1 && Writer(s.Sibs[0].W) == s.ID {
		s.Clock++
		s.Sibs[0].TS = p.stamp(s)
	}
	o := p.sendAll(s, nil, false)
	if s.Left > 0 {
		o.SetTimer(retry)
	}
	return s, o
}

// syncOf returns the Sync message carrying s's store (and, under LWW and
// Physical, its clock).
func (p *Protocol) syncOf(s State) Msg {
	m := Msg{Kind: Sync, Sibs: s.Sibs, NSibs: s.NSibs}
	if p.p.Store == LWW || p.p.Store == Physical {
		m.Clock = s.Clock
	}
	return m
}

// sendAll appends a Sync of s's store to every peer to o, asking for
// theirs if pull is set.
func (p *Protocol) sendAll(s State, o out, pull bool) out {
	m := p.syncOf(s)
	m.Pull = pull
	for i := range p.p.N {
		if spec.NodeID(i) != s.ID {
			o.Send(spec.NodeID(i), m)
		}
	}
	return o
}

// merge reconciles s with a peer's store: Naive adopts it (it cannot tell
// a lost put from a lost remove), LWW and Physical keep the newer version
// and advance the clock, MV keeps the maximal versions of both.
func (p *Protocol) merge(s State, m Msg) State {
	switch p.p.Store {
	case Naive:
		return s.setVersions(m.Versions())
	case LWW, Physical:
		s.Clock = max(s.Clock, m.Clock)
		for _, v := range m.Sibs[:m.NSibs] {
			s = p.keepNewer(s, v)
		}
		return s
	}
	return p.keepMaximal(s, m.Versions())
}
