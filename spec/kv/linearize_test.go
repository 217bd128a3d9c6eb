package kv

import "testing"

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
			[]call{{op: put, invoked: 0, replied: 1}, {op: get, invoked: 2, replied: 3, result: 1}}, true},
		{"read after the put was answered misses it",
			[]call{{op: put, invoked: 0, replied: 1}, {op: get, invoked: 2, replied: 3, result: 0}}, false},
		{"concurrent read may miss the put",
			[]call{{op: put, invoked: 0, replied: 3}, {op: get, invoked: 1, replied: 2, result: 0}}, true},
		{"concurrent read may see the put",
			[]call{{op: put, invoked: 0, replied: 3}, {op: get, invoked: 1, replied: 2, result: 1}}, true},
		{"a pending put may have taken effect",
			[]call{{op: put, invoked: 0, replied: -1}, {op: get, invoked: 1, replied: 2, result: 1}}, true},
		{"a pending put may not have taken effect",
			[]call{{op: put, invoked: 0, replied: -1}, {op: get, invoked: 1, replied: 2, result: 0}}, true},
		{"a value nobody wrote",
			[]call{{op: get, invoked: 0, replied: 1, result: 2}}, false},
		{"cas after put succeeds",
			[]call{{op: put, invoked: 0, replied: 1}, {op: cas, invoked: 2, replied: 3, result: 1}}, true},
		{"cas after put fails: no order explains it",
			[]call{{op: put, invoked: 0, replied: 1}, {op: cas, invoked: 2, replied: 3, result: 0}}, false},
		{"cas concurrent with put may fail",
			[]call{{op: put, invoked: 0, replied: 3}, {op: cas, invoked: 1, replied: 2, result: 0}}, true},
		{"read of the swapped value needs the cas first",
			[]call{{op: put, invoked: 0, replied: 1}, {op: cas, invoked: 2, replied: -1}, {op: get, invoked: 3, replied: 4, result: 2}}, true},
	} {
		if got := linearize(c.calls, Store{}, len(c.calls)); got != c.want {
			t.Errorf("%s: linearizable %v, want %v", c.name, got, c.want)
		}
	}
}
