package spanner

import "fmt"

// Property names.
const (
	PropExternalConsistency = "external-consistency"
	PropConsistentSnapshot  = "consistent-snapshot"
	PropMVCCSnapshot        = "mvcc-snapshot"
	PropCommitWaited        = "commit-waited"
	PropSnapshotAfterDep    = "snapshot-after-dependency"
	PropSnapshotLeftOut     = "snapshot-left-out-newer"
)

// PropertyDocs says what each property means, in one line.
var PropertyDocs = map[string]string{
	PropExternalConsistency: "if Ti was visible before Tj started in real time, then ts(Ti) < ts(Tj)",
	PropConsistentSnapshot:  "a snapshot that contains Tj contains every Ti → Tj (real-time order, or Tj read Ti's version)",
	PropMVCCSnapshot:        "R read, for each object, the newest version with timestamp ≤ t_r among all versions ever committed",
	PropCommitWaited:        "a read-write transaction became visible only after real time advanced during its commit wait",
	PropSnapshotAfterDep:    "R's snapshot contains some Tj with a Ti → Tj",
	PropSnapshotLeftOut:     "R's snapshot leaves out a committed version newer than t_r",
}

// SnapshotProps are the properties about R's snapshot: a model without
// the reader (Params.Reader false) cannot reach or break them.
var SnapshotProps = []string{PropConsistentSnapshot, PropMVCCSnapshot, PropSnapshotAfterDep, PropSnapshotLeftOut}

// ExternalConsistency is property (1): when Ti was visible before Tj
// started, Tj's timestamp is larger.
func (sp *Spec) ExternalConsistency(s State) error {
	for i := range s.W {
		j := 1 - i
		if s.RealTimeBefore(i, j) && s.W[j].Committed() && s.W[i].TS >= s.W[j].TS {
			return fmt.Errorf("%s was visible before %s started, but ts(%s) = %d ≥ ts(%s) = %d",
				TxnName(i), TxnName(j), TxnName(i), s.W[i].TS, TxnName(j), s.W[j].TS)
		}
	}
	return nil
}

// ConsistentSnapshot is property (2): if R read Tj's version and Ti → Tj,
// R did not read a version of Ti's object older than Ti's.
func (sp *Spec) ConsistentSnapshot(s State) error {
	for i := range s.W {
		j := 1 - i
		if s.Precedes(i, j) && s.R.Read[j] == Written && s.R.Read[i] == Initial {
			how := "was visible before " + TxnName(j) + " started"
			if !s.RealTimeBefore(i, j) {
				how = "wrote the x " + TxnName(j) + " read"
			}
			return fmt.Errorf("R's snapshot at t_r = %d contains %s (ts %d) but not %s, which %s (ts(%s) = %d)",
				s.R.TR, TxnName(j), s.W[j].TS, TxnName(i), how, TxnName(i), s.W[i].TS)
		}
	}
	return nil
}

// MVCCSnapshot checks that each read of R returned the newest version
// with a timestamp ≤ t_r, counting versions committed after the read too:
// a snapshot must not change once read.
func (sp *Spec) MVCCSnapshot(s State) error {
	for o, got := range s.R.Read {
		w := s.W[o]
		if got == Initial && w.Committed() && w.TS <= s.R.TR {
			return fmt.Errorf("R read the initial %s at t_r = %d, but %s's version has ts %d ≤ t_r",
				ObjectName(o), s.R.TR, TxnName(o), w.TS)
		}
	}
	return nil
}

// CommitWaited is reached when a writer became visible after real time
// advanced during its commit wait.
func (sp *Spec) CommitWaited(s State) bool {
	for _, w := range s.W {
		if w.Phase == Visible && w.Waited {
			return true
		}
	}
	return false
}

// SnapshotAfterDependency is reached when R read Tj's version and some
// Ti → Tj: the premise of consistent-snapshot holds.
func (sp *Spec) SnapshotAfterDependency(s State) bool {
	for i := range s.W {
		if s.Precedes(i, 1-i) && s.R.Read[1-i] == Written {
			return true
		}
	}
	return false
}

// SnapshotLeftOutNewer is reached when R read the initial version of an
// object whose writer committed with a timestamp above t_r.
func (sp *Spec) SnapshotLeftOutNewer(s State) bool {
	for o, got := range s.R.Read {
		if w := s.W[o]; got == Initial && w.Committed() && w.TS > s.R.TR {
			return true
		}
	}
	return false
}
