package spec

// Call is one operation of a history, for Linearizable: what it asked,
// what it returned, and the positions in the history of its invocation
// and of its reply (Replied -1: no reply yet).
type Call[O any, R comparable] struct {
	Op      O
	Result  R
	Invoked int
	Replied int
}

// Linearizable reports whether some sequential order of calls explains
// the history: every answered call and any subset of the unanswered ones
// (which may or may not have taken effect), each placed after every call
// answered before it was invoked, run one after the other by apply from
// init, and each answered call returning its Result. The search tries
// every order that real time allows, so it is exponential in the number
// of overlapping calls: it suits a checker's bounded workloads.
func Linearizable[St, O any, R comparable](calls []Call[O, R], init St, apply func(St, O) (St, R)) bool {
	placed := make([]bool, len(calls))
	var search func(st St, left int) bool
	search = func(st St, left int) bool {
		if left == 0 {
			return true
		}
		answered := false
		for i, c := range calls {
			if placed[i] {
				continue
			}
			answered = answered || c.Replied >= 0
			if !mayGoNext(calls, placed, i) {
				continue
			}
			next, r := apply(st, c.Op)
			if c.Replied >= 0 && r != c.Result {
				continue
			}
			placed[i] = true
			ok := search(next, left-1)
			placed[i] = false
			if ok {
				return true
			}
		}
		// Only unanswered calls are left: they may never take effect.
		return !answered
	}
	return search(init, len(calls))
}

// mayGoNext reports that no call still to place was answered before call
// i was invoked: real time lets i go next.
func mayGoNext[O any, R comparable](calls []Call[O, R], placed []bool, i int) bool {
	for j, c := range calls {
		if j != i && !placed[j] && c.Replied >= 0 && c.Replied < calls[i].Invoked {
			return false
		}
	}
	return true
}
