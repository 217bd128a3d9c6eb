package twophase

import "testing"

// TestBitPredicatesAgreeWithTheirDefinition compares the bit tricks with a
// loop over the RMs, on every combination of RM states for 4 RMs.
func TestBitPredicatesAgreeWithTheirDefinition(t *testing.T) {
	sp, _ := New(4, "")
	for rms := State(0); rms < 1<<8; rms++ {
		s := rms | State(TMCommitted)<<sp.tmShift
		for _, want := range []RMState{Working, Prepared, Committed, Aborted} {
			var loop State
			for i := range 4 {
				if sp.RM(s, i) == want {
					loop |= 1 << (2 * uint(i))
				}
			}
			if got := sp.rmsIn(s, want); got != loop {
				t.Fatalf("rmsIn(%08b, %s) = %08b, want %08b", rms, want, got, loop)
			}
		}
	}
}
