package paxos

import (
	"fmt"
	"strings"
)

// Label names an action as TLA+ writes it, with acceptors a1.., values
// v1.. and ballots as numbers; the acceptor actions name the message they
// act on.
func (sp *Spec) Label(_ State, a Action) string {
	switch a.Kind {
	case Phase1a:
		return fmt.Sprintf("Phase1a(%d)", a.Bal)
	case Phase2a:
		return fmt.Sprintf("Phase2a(%d, v%d)", a.Bal, a.Val+1)
	case Phase1b:
		return fmt.Sprintf("Phase1b(a%d) on 1a(%d)", a.Acc+1, a.Bal)
	}
	return fmt.Sprintf("Phase2b(a%d) on 2a(%d, v%d)", a.Acc+1, a.Bal, a.Val+1)
}

// DescribeAcceptor renders acceptor a's variables.
func (sp *Spec) DescribeAcceptor(s State, a int) string {
	vb, vv := sp.Vote(s, a)
	val := "None"
	if vb >= 0 {
		val = fmt.Sprintf("v%d", vv+1)
	}
	return fmt.Sprintf("maxBal=%d maxVBal=%d maxVal=%s", sp.MaxBal(s, a), vb, val)
}

// Describe renders a state on one line: each acceptor's maxBal, maxVBal
// and maxVal, then msgs.
func (sp *Spec) Describe(s State) string {
	var b strings.Builder
	for a := range sp.acceptors {
		fmt.Fprintf(&b, "a%d: %s; ", a+1, sp.DescribeAcceptor(s, a))
	}
	b.WriteString("msgs={")
	b.WriteString(strings.Join(sp.messages(s), ", "))
	b.WriteByte('}')
	return b.String()
}

// messages lists msgs, by type then ballot.
func (sp *Spec) messages(s State) []string {
	var out []string
	for b := range sp.ballots {
		if s.has(sp.bit1a(b)) {
			out = append(out, fmt.Sprintf("1a(%d)", b))
		}
	}
	for b := range sp.ballots {
		for a := range sp.acceptors {
			for vote := range sp.votes {
				if !s.has(sp.bit1b(a, b, vote)) {
					continue
				}
				vb, vv := sp.decodeVote(vote)
				if vb < 0 {
					out = append(out, fmt.Sprintf("1b(a%d, %d, -1, None)", a+1, b))
				} else {
					out = append(out, fmt.Sprintf("1b(a%d, %d, %d, v%d)", a+1, b, vb, vv+1))
				}
			}
		}
	}
	for b := range sp.ballots {
		for v := range sp.values {
			if s.has(sp.bit2a(b, v)) {
				out = append(out, fmt.Sprintf("2a(%d, v%d)", b, v+1))
			}
		}
	}
	for b := range sp.ballots {
		for a := range sp.acceptors {
			for v := range sp.values {
				if s.has(sp.bit2b(a, b, v)) {
					out = append(out, fmt.Sprintf("2b(a%d, %d, v%d)", a+1, b, v+1))
				}
			}
		}
	}
	return out
}

// Symmetric returns a copy of sp whose Fingerprint is the same for every
// state that differs from another only by a renaming of the acceptors.
// Acceptors are interchangeable in Paxos: the quorums are all the sets of
// one size, no action names a particular acceptor, and every property is
// the same under any renaming. The explorer then keeps one state per
// orbit, and every path it reports is still an execution of the unreduced
// system.
func (sp *Spec) Symmetric() *Spec {
	c := *sp
	c.symmetric = true
	return &c
}

// Canonical returns the least member of s's orbit under renamings of the
// acceptors (comparing the words from the last), by trying every
// renaming: exact, and cheap for the few acceptors Paxos is checked with.
func (sp *Spec) Canonical(s State) State {
	best := s
	for _, p := range sp.perms[1:] {
		if t := sp.Rename(s, p); less(&t, &best) {
			best = t
		}
	}
	return best
}

func less(a, b *State) bool {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// Rename returns s with acceptor a renamed p[a].
func (sp *Spec) Rename(s State, p []uint8) State {
	var t State
	for b := range sp.ballots {
		if s.has(sp.bit1a(b)) {
			t.add(sp.bit1a(b))
		}
		for v := range sp.values {
			if s.has(sp.bit2a(b, v)) {
				t.add(sp.bit2a(b, v))
			}
		}
	}
	for a := range sp.acceptors {
		to := int(p[a])
		sp.setAcceptor(&t, to, sp.MaxBal(s, a), sp.vote(s, a))
		for b := range sp.ballots {
			for vote := range sp.votes {
				if s.has(sp.bit1b(a, b, vote)) {
					t.add(sp.bit1b(to, b, vote))
				}
			}
			for v := range sp.values {
				if s.has(sp.bit2b(a, b, v)) {
					t.add(sp.bit2b(to, b, v))
				}
			}
		}
	}
	return t
}

// permutations lists every permutation of 0..n-1, the identity first.
func permutations(n int) [][]uint8 {
	if n == 0 {
		return [][]uint8{{}}
	}
	var out [][]uint8
	for _, p := range permutations(n - 1) {
		for at := len(p); at >= 0; at-- {
			q := make([]uint8, 0, n)
			q = append(append(append(q, p[:at]...), uint8(n-1)), p[at:]...)
			out = append(out, q)
		}
	}
	return out
}
