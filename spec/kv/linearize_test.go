package kv

import (
	"testing"

	"github.com/distsys/distsys/spec"
)

// TestLinearize checks the in-model linearizability search on histories
// written by hand: positions are the order of invocations and replies in
// real time.
func TestLinearize(t *testing.T) {
	put := Op{ID: 1, Kind: Put, Key: 0, A: 1}
	get := Op{ID: 2, Kind: Get, Key: 0}
	cas := Op{ID: 3, Kind: Cas, Key: 0, A: 1, B: 2}
	for _, c := range []struct {
		name  string
		calls []call
		want  bool
	}{
		{"read after the put was answered sees it",
			[]call{{Op: put, Invoked: 0, Replied: 1}, {Op: get, Invoked: 2, Replied: 3, Result: 1}}, true},
		{"read after the put was answered misses it",
			[]call{{Op: put, Invoked: 0, Replied: 1}, {Op: get, Invoked: 2, Replied: 3, Result: 0}}, false},
		{"concurrent read may miss the put",
			[]call{{Op: put, Invoked: 0, Replied: 3}, {Op: get, Invoked: 1, Replied: 2, Result: 0}}, true},
		{"concurrent read may see the put",
			[]call{{Op: put, Invoked: 0, Replied: 3}, {Op: get, Invoked: 1, Replied: 2, Result: 1}}, true},
		{"a pending put may have taken effect",
			[]call{{Op: put, Invoked: 0, Replied: -1}, {Op: get, Invoked: 1, Replied: 2, Result: 1}}, true},
		{"a pending put may not have taken effect",
			[]call{{Op: put, Invoked: 0, Replied: -1}, {Op: get, Invoked: 1, Replied: 2, Result: 0}}, true},
		{"a value nobody wrote",
			[]call{{Op: get, Invoked: 0, Replied: 1, Result: 2}}, false},
		{"cas after put succeeds",
			[]call{{Op: put, Invoked: 0, Replied: 1}, {Op: cas, Invoked: 2, Replied: 3, Result: 1}}, true},
		{"cas after put fails: no order explains it",
			[]call{{Op: put, Invoked: 0, Replied: 1}, {Op: cas, Invoked: 2, Replied: 3, Result: 0}}, false},
		{"cas concurrent with put may fail",
			[]call{{Op: put, Invoked: 0, Replied: 3}, {Op: cas, Invoked: 1, Replied: 2, Result: 0}}, true},
		{"read of the swapped value needs the cas first",
			[]call{{Op: put, Invoked: 0, Replied: 1}, {Op: cas, Invoked: 2, Replied: -1}, {Op: get, Invoked: 3, Replied: 4, Result: 2}}, true},
	} {
		if got := spec.Linearizable(c.calls, Store{}, apply); got != c.want {
			t.Errorf("%s: linearizable %v, want %v", c.name, got, c.want)
		}
	}
}
