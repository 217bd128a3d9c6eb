package modeltest

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/explore"
)

// The assertions on a verdict. Each reads the result's Status with its
// violations and its sometimes witnesses, so none passes on a VIOLATED
// result (a sometimes property never reached leaves the list of
// violations empty) or on an INCOMPLETE one.

// WantOK fails unless res is OK: the bounded space exhausted, no property
// violated, and every sometimes property reached (there must be one:
// without one, nothing shows the checked paths happen).
func WantOK[S, A any](t testing.TB, res explore.Result[S, A]) {
	t.Helper()
	if res.Status != explore.OK {
		if v := res.Violation; v != nil {
			t.Fatalf("status %v: %s: %s\n%s", res.Status, v.Property, v.Reason, v.Path)
		}
		t.Fatalf("status %v (%s)", res.Status, res.Stopped)
	}
	WantReached(t, res)
}

// WantViolated fails unless res is VIOLATED and its first (under BFS, its
// shortest) violation is of prop; it replays the counterexample by its
// labels to the same violation and returns the labels. For a sometimes
// property prop, the violation is that it was never reached, and there
// are no labels.
func WantViolated[S, A any](t testing.TB, sys System[S, A], res explore.Result[S, A], prop string) []string {
	t.Helper()
	v := res.Violation
	if res.Status != explore.Violated || v == nil || v.Property != prop {
		t.Fatalf("status %v, violation %+v; want %s violated", res.Status, v, prop)
	}
	t.Logf("%s: %s\n%s", v.Property, v.Reason, v.Path)
	if v.Kind == explore.Sometimes {
		return nil
	}
	return Replay(t, sys, *v)
}

// WantVerdict fails unless res is exactly the verdict a test expects:
//
//   - the search exhausted its bounded space (no bound stopped it);
//   - the properties violated are exactly the keys of violated, each
//     with a shortest counterexample of the given number of steps,
//     replayed by its labels to the same violation. A keep-going search
//     gives every property its verdict; one that stops at its first
//     violation gives one, so violated may then name at most one;
//   - the sometimes properties never reached are exactly unreached (a
//     keep-going search that has violated every other property stops
//     early, so there, and after a first violation without keep-going,
//     a sometimes property not named may also be unreached);
//   - the status agrees: VIOLATED when violated or unreached names
//     anything, OK otherwise, and an OK needs a sometimes property
//     reached.
func WantVerdict[S, A any](t testing.TB, sys System[S, A], res explore.Result[S, A], violated map[string]int, unreached ...string) {
	t.Helper()
	if res.Status == explore.Incomplete || res.Stopped != "" {
		t.Fatalf("status %v, stopped by %s: the bounded space was not exhausted", res.Status, res.Stopped)
	}
	keepGoing := res.Options.KeepGoing
	if !keepGoing && len(violated) > 1 {
		t.Fatalf("want %v violated: a search that stops at its first violation gives one verdict (use KeepGoing)", violated)
	}
	vs := res.Violations
	if !keepGoing {
		vs = nil
		if v := res.Violation; v != nil && v.Kind != explore.Sometimes {
			vs = append(vs, *v)
		}
	}
	got := map[string]int{}
	for _, v := range vs {
		Replay(t, sys, v)
		got[v.Property] = v.Path.Len()
	}
	for _, p := range slices.Sorted(maps.Keys(violated)) {
		if n, ok := got[p]; !ok {
			t.Errorf("%s holds, want it violated in %d steps", p, violated[p])
		} else if n != violated[p] {
			t.Errorf("%s violated in %d steps, want %d", p, n, violated[p])
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := violated[p]; !ok {
			t.Errorf("%s unexpectedly violated in %d steps:\n%s", p, got[p], pathOf(vs, p))
		}
	}

	safety := 0
	for _, p := range sys.Properties() {
		if p.Kind != explore.Sometimes {
			safety++
		}
	}
	cutShort := len(vs) > 0 && (!keepGoing || len(vs) == safety)
	reached := map[string]bool{}
	for _, w := range res.Sometimes {
		reached[w.Property] = w.Reached
	}
	for _, p := range unreached {
		r, ok := reached[p]
		switch {
		case !ok:
			t.Errorf("%s is not a sometimes property of the check", p)
		case r:
			t.Errorf("sometimes property %s reached, want it unreached", p)
		}
	}
	for _, w := range res.Sometimes {
		if !w.Reached && !cutShort && !slices.Contains(unreached, w.Property) {
			t.Errorf("sometimes property %s never reached", w.Property)
		}
	}

	want := explore.OK
	if len(violated) > 0 || len(unreached) > 0 {
		want = explore.Violated
	}
	if res.Status != want {
		t.Errorf("status %v, want %v", res.Status, want)
	}
	if want == explore.OK && !slices.Contains(slices.Collect(maps.Values(reached)), true) {
		t.Error("no sometimes property reached: nothing shows the checked paths happen")
	}
}

// pathOf returns the counterexample of prop among vs, for a message.
func pathOf[S, A any](vs []explore.Violation[S, A], prop string) string {
	for _, v := range vs {
		if v.Property == prop {
			return v.Reason + "\n" + v.Path.String()
		}
	}
	return ""
}

// WantReached fails unless the sometimes properties named were reached;
// with no name, unless every sometimes property was, and there is at
// least one (without one, nothing shows the checked paths happen).
func WantReached[S, A any](t testing.TB, res explore.Result[S, A], names ...string) {
	t.Helper()
	if len(names) == 0 {
		if len(res.Sometimes) == 0 {
			t.Error("no sometimes property: nothing shows the checked paths are reached")
		}
		for _, w := range res.Sometimes {
			names = append(names, w.Property)
		}
	}
	reached := map[string]bool{}
	for _, w := range res.Sometimes {
		reached[w.Property] = w.Reached
	}
	for _, n := range names {
		r, ok := reached[n]
		switch {
		case !ok:
			t.Errorf("%s is not a sometimes property of the check", n)
		case !r:
			t.Errorf("sometimes property %s never reached", n)
		}
	}
}

// Counterexample returns the shortest counterexample of prop in res (from
// the violations of a keep-going search, or the one violation of
// another), failing the test if prop was not violated.
func Counterexample[S, A any](t testing.TB, res explore.Result[S, A], prop string) explore.Violation[S, A] {
	t.Helper()
	vs := res.Violations
	if v := res.Violation; len(vs) == 0 && v != nil {
		vs = append(vs, *v)
	}
	for _, v := range vs {
		if v.Property == prop && v.Kind != explore.Sometimes {
			return v
		}
	}
	t.Fatalf("status %v: %s has no counterexample", res.Status, prop)
	return explore.Violation[S, A]{}
}

// WantTrace fails unless prop's shortest counterexample in res is
// exactly the steps labelled want.
func WantTrace[S, A any](t testing.TB, res explore.Result[S, A], prop string, want ...string) {
	t.Helper()
	got := Labels(Counterexample(t, res, prop).Path)
	if !slices.Equal(got, want) {
		t.Errorf("%s counterexample\n\t%s\nwant\n\t%s", prop, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
