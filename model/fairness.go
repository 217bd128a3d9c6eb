package model

import (
	"fmt"
	"slices"

	"github.com/distsys/distsys/spec"
)

// obligation is one step a world owes under some fairness (spec.Fairness):
// a message in flight to deliver, an armed timer to fire, a choice to make.
type obligation struct {
	kind spec.Fairness
	node spec.NodeID
	// key is the packet's hash (FairDelivery), the timer (FairTimers).
	key uint64
}

// obligations lists what w owes, in a canonical order: every distinct
// message in flight (copies of one message are one obligation, and a
// copy delivered discharges it), every armed timer of a node that is up,
// every node that is up with a choice to make.
func (l *Lasso[S, M]) obligations(w *World[S, M]) []obligation {
	var out []obligation
	for i := range w.net {
		dup := false
		for j := range i {
			dup = dup || w.net[j].h == w.net[i].h
		}
		if !dup {
			out = append(out, obligation{kind: spec.FairDelivery, node: w.net[i].to, key: w.net[i].h})
		}
	}
	for i := range w.nodes {
		nd := w.nodes[i]
		if !nd.up {
			continue
		}
		for t := 0; t < MaxTimers; t++ {
			if nd.timers&(1<<t) != 0 {
				out = append(out, obligation{kind: spec.FairTimers, node: spec.NodeID(i), key: uint64(t)})
			}
		}
		if l.m.chooser != nil && !l.m.cfg.IsByzantine(i) && len(l.m.chooser.Choices(nd.state)) > 0 {
			out = append(out, obligation{kind: spec.FairChoices, node: spec.NodeID(i)})
		}
	}
	return out
}

// allOwed is the set of every obligation of w, where a loop begins; false
// (and the check marked not exhaustive) if there are more than a loop can
// keep.
func (l *Lasso[S, M]) allOwed(w *World[S, M]) (uint64, bool) {
	n := len(l.obligations(w))
	if n > 64 {
		l.tooManyAt(n)
		return 0, false
	}
	if n == 64 {
		return ^uint64(0), true
	}
	return 1<<n - 1, true
}

// carry maps the obligations owed in w (the bits of owed over obls, w's
// obligations) to those still owed after step a into next: an obligation
// stays owed unless the step discharged it — delivered the message; fired,
// cancelled or set the timer; made a choice of the node — and, for a
// timer or a choice, unless it is gone from next (not left armed, no
// choice left: weak fairness owes nothing to what does not stay enabled).
// A message is never gone but by its delivery, as loops take no fault.
func (l *Lasso[S, M]) carry(w *World[S, M], obls []obligation, owed uint64, a Action, next *World[S, M]) (uint64, bool) {
	if owed == 0 {
		return 0, true
	}
	var delivered uint64
	var touched uint64 // timers of the acting node fired, cancelled or set
	acting := a.Node
	if a.Kind == Deliver {
		delivered = w.net[a.Index].h
		acting = w.net[a.Index].to
	}
	explained := false
	var still []obligation
	for k, o := range obls {
		if owed&(1<<k) == 0 {
			continue
		}
		switch o.kind {
		case spec.FairDelivery:
			if a.Kind == Deliver && o.key == delivered {
				continue
			}
		case spec.FairTimers:
			if o.node == acting && !explained {
				explained = true
				if a.Kind == Fire {
					touched |= 1 << a.Index
				}
				// A delivery lost to a node that is down, or read by a
				// byzantine one, explains to no outputs.
				for _, out := range l.m.Explain(w, a).Outputs {
					if out.Kind == spec.SetTimer || out.Kind == spec.CancelTimer {
						touched |= 1 << out.Timer
					}
				}
			}
			if o.node == acting && touched&(1<<o.key) != 0 {
				continue
			}
			if !next.nodes[o.node].up || next.nodes[o.node].timers&(1<<o.key) == 0 {
				continue
			}
		case spec.FairChoices:
			if a.Kind == Choose && a.Node == o.node {
				continue
			}
			if !next.nodes[o.node].up || len(l.m.chooser.Choices(next.nodes[o.node].state)) == 0 {
				continue
			}
		}
		still = append(still, o)
	}
	if len(still) == 0 {
		return 0, true
	}
	// Index what is still owed in next's own list.
	nobls := l.obligations(next)
	if len(nobls) > 64 {
		l.tooManyAt(len(nobls))
		return 0, false
	}
	var out uint64
	for _, o := range still {
		k := slices.Index(nobls, o)
		if k < 0 {
			// What is still owed is in next's list by construction:
			// anything else is a bug of this file.
			panic(fmt.Sprintf("lasso: an obligation still owed is not among the next world's: %+v", o))
		}
		out |= 1 << k
	}
	return out, true
}

// tooManyAt records that a world owed n > 64 obligations: a loop could
// not go there, so the check is not exhaustive (Overflow).
func (l *Lasso[S, M]) tooManyAt(n int) {
	l.overflow.Do(func() {
		l.tooMany = fmt.Errorf("lasso: a world owes %d fairness obligations, more than the 64 a loop keeps; no loop went there, so the check is not exhaustive", n)
	})
}
