package paxoscommit

import (
	"fmt"
	"math/bits"
	"strings"
)

// Label names an action as TLA+ writes it, with RMs r1.. and acceptors
// a1..; the acceptor actions name the message they act on.
func (sp *Spec) Label(_ State, a Action) string {
	rm := a.RM + 1
	switch a.Kind {
	case RMPrepare, RMChooseToAbort, RMRcvCommitMsg, RMRcvAbortMsg:
		return fmt.Sprintf("%s(r%d)", a.Kind, rm)
	case Phase1a:
		return fmt.Sprintf("Phase1a(%d, r%d)", a.Bal, rm)
	case Phase2a:
		return fmt.Sprintf("Phase2a(%d, r%d) proposes %s", a.Bal, rm, a.Val)
	case DecideCommit:
		return "Decide: Commit"
	case DecideAbort:
		return "Decide: Abort"
	case Phase1b:
		return fmt.Sprintf("Phase1b(a%d) on phase1a(r%d, %d)", a.Acc+1, rm, a.Bal)
	}
	return fmt.Sprintf("Phase2b(a%d) on phase2a(r%d, %d, %s)", a.Acc+1, rm, a.Bal, a.Val)
}

// DescribeRM renders the RM's state and its instance's acceptors.
func (sp *Spec) DescribeRM(s State, rm int) string {
	var b strings.Builder
	b.WriteString(sp.RM(s, rm).String())
	b.WriteString(" [")
	for acc := range sp.acceptors {
		if acc > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sp.describeAState(&s, rm, acc))
	}
	b.WriteByte(']')
	return b.String()
}

func (sp *Spec) describeAState(s *State, ins, acc int) string {
	mbal, vote := sp.aState(s, ins, acc)
	return fmt.Sprintf("a%d:%d/%s", acc+1, mbal, sp.voteText(vote))
}

func (sp *Spec) voteText(vote int) string {
	bal, val := sp.decodeVote(vote)
	if bal < 0 {
		return "-1,none"
	}
	return fmt.Sprintf("%d,%s", bal, Value(val))
}

// Describe renders a state on one line: each RM's state with its
// instance's acceptor states (mbal/bal,val), then msgs.
func (sp *Spec) Describe(s State) string {
	var b strings.Builder
	for rm := range sp.rms {
		fmt.Fprintf(&b, "r%d: %s; ", rm+1, sp.DescribeRM(s, rm))
	}
	b.WriteString("msgs={")
	b.WriteString(strings.Join(sp.Messages(s), ", "))
	b.WriteByte('}')
	return b.String()
}

// Messages lists msgs as TLA+ records would read, by instance, type and
// ballot.
func (sp *Spec) Messages(s State) []string {
	var out []string
	vals := [2]Value{ValPrepared, ValAborted}
	for ins := range sp.rms {
		for bal := range sp.ballots {
			if s.has(sp.bit1a(ins, bal)) {
				out = append(out, fmt.Sprintf("phase1a(r%d, %d)", ins+1, bal))
			}
		}
		for acc := range sp.acceptors {
			for mbal := range sp.ballots {
				for vote := range sp.votes {
					if s.has(sp.bit1b(ins, acc, mbal, vote)) {
						out = append(out, fmt.Sprintf("phase1b(r%d, a%d, %d, %s)", ins+1, acc+1, mbal, sp.voteText(vote)))
					}
				}
			}
		}
		for bal := range sp.ballots {
			for _, v := range vals {
				if s.has(sp.bit2a(ins, bal, v)) {
					out = append(out, fmt.Sprintf("phase2a(r%d, %d, %s)", ins+1, bal, v))
				}
			}
		}
		for acc := range sp.acceptors {
			for bal := range sp.ballots {
				for _, v := range vals {
					if s.has(sp.bit2b(acc, ins, bal, v)) {
						out = append(out, fmt.Sprintf("phase2b(r%d, a%d, %d, %s)", ins+1, acc+1, bal, v))
					}
				}
			}
		}
	}
	if s.has(sp.commit) {
		out = append(out, "Commit")
	}
	if s.has(sp.abort) {
		out = append(out, "Abort")
	}
	return out
}

// Symmetric returns a copy of sp whose Fingerprint is the same for every
// state that differs from another only by a renaming of the acceptors and
// of the RMs. Both are interchangeable in PaxosCommit: the majorities are
// all the sets of one size, no action names a particular acceptor or RM,
// and every property is the same under any renaming. The explorer then
// keeps one state per orbit, and every path it reports is still an
// execution of the unreduced system.
func (sp *Spec) Symmetric() *Spec {
	c := *sp
	c.symmetric = true
	return &c
}

// Canonical returns the canonical member of s's orbit under renamings of
// the RMs and of the acceptors: for each renaming of the RMs, the state
// with its acceptors sorted by their views (everything the state says
// about each: its aState per instance, its phase1b and phase2b messages);
// the least of these (comparing the words from the last). A renaming of
// the RMs and one of the acceptors commute, and sorting depends only on
// the acceptors' orbit (two acceptors with equal views are
// interchangeable), so every member of an orbit gives the same state:
// exact, and cheaper than trying every pair of renamings.
func (sp *Spec) Canonical(s State) State {
	var best State
	for i, pr := range sp.rmPerms {
		t := s
		if i > 0 {
			t = sp.Rename(s, pr, sp.accPerms[0])
		}
		if t = sp.sortAcceptors(t); i == 0 || less(&t, &best) {
			best = t
		}
	}
	return best
}

// sortAcceptors renames the acceptors of s in the order of their views.
func (sp *Spec) sortAcceptors(s State) State {
	var views [MaxAcceptors]State
	var order, rename [MaxAcceptors]uint8
	n := sp.acceptors
	for acc := range n {
		views[acc], order[acc] = sp.view(&s, acc), uint8(acc)
	}
	for i := 1; i < n; i++ {
		for j := i; j > 0 && less(&views[order[j]], &views[order[j-1]]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	moved := false
	for k := range n {
		rename[order[k]] = uint8(k)
		moved = moved || order[k] != uint8(k)
	}
	if !moved {
		return s
	}
	return sp.Rename(s, sp.rmPerms[0], rename[:n])
}

// view packs everything s says about acceptor acc, in a fixed order.
func (sp *Spec) view(s *State, acc int) State {
	var v State
	n := 0
	put := func(x, w int) {
		for b := range w {
			if x>>b&1 == 1 {
				v.add(n + b)
			}
		}
		n += w
	}
	for ins := range sp.rms {
		mbal, vote := sp.aState(s, ins, acc)
		put(mbal, sp.mbalW)
		put(vote, sp.vW)
		for mbal := range sp.ballots {
			for vote := range sp.votes {
				if s.has(sp.bit1b(ins, acc, mbal, vote)) {
					v.add(n)
				}
				n++
			}
		}
		for bal := range sp.ballots {
			for val := range 2 {
				if s.has(sp.bit2b(acc, ins, bal, Value(val))) {
					v.add(n)
				}
				n++
			}
		}
	}
	return v
}

func less(a, b *State) bool {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// Rename returns s with RM r renamed pr[r] and acceptor a renamed pa[a].
// It visits the set message bits only, decoding each one's fields.
func (sp *Spec) Rename(s State, pr, pa []uint8) State {
	var t State
	for ins := range sp.rms {
		to := int(pr[ins])
		sp.setRM(&t, to, sp.RM(s, ins))
		for acc := range sp.acceptors {
			mbal, vote := sp.aState(&s, ins, acc)
			sp.setAState(&t, to, int(pa[acc]), mbal, vote)
		}
	}
	for w := sp.off1a >> 6; w < sp.words; w++ {
		word := s[w]
		if w == sp.off1a>>6 {
			word &^= 1<<(sp.off1a&63) - 1
		}
		for word != 0 {
			i := w<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			t.add(sp.renameBit(i, pr, pa))
		}
	}
	return t
}

// renameBit returns the bit of the message at bit i once renamed.
func (sp *Spec) renameBit(i int, pr, pa []uint8) int {
	switch {
	case i < sp.off1b:
		k := i - sp.off1a
		return sp.bit1a(int(pr[k/sp.ballots]), k%sp.ballots)
	case i < sp.off2a:
		k := i - sp.off1b
		vote, mbal := k%sp.votes, k/sp.votes%sp.ballots
		k /= sp.votes * sp.ballots
		return sp.bit1b(int(pr[k/sp.acceptors]), int(pa[k%sp.acceptors]), mbal, vote)
	case i < sp.off2b:
		k := i - sp.off2a
		return sp.bit2a(int(pr[k/2/sp.ballots]), k/2%sp.ballots, Value(k%2))
	case i < sp.commit:
		k := i - sp.off2b
		val, bal := Value(k%2), k/2%sp.ballots
		k /= 2 * sp.ballots
		return sp.bit2b(int(pa[k/sp.rms]), int(pr[k%sp.rms]), bal, val)
	}
	return i // Commit, Abort
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
