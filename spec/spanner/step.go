package spanner

import "fmt"

// ActionKind names a step of the model.
type ActionKind uint8

// The steps, in the order Next yields them.
const (
	Tick         ActionKind = iota // real time advances by one
	Begin                          // a read-write transaction starts
	ReadX                          // T2 reads x under a read lock
	Commit                         // a writer takes TT.now().latest as its timestamp and writes its version
	Finish                         // a writer's commit wait ends: it is acknowledged and releases its locks
	SnapshotAt                     // R takes TT.now().latest as its snapshot timestamp
	SnapshotRead                   // R reads one object at its snapshot timestamp
)

var kindNames = [...]string{"Tick", "Begin", "ReadX", "Commit", "Finish", "SnapshotAt", "SnapshotRead"}

func (k ActionKind) String() string { return kindNames[k] }

// Action is one step: its kind, the transaction (0 for T1, 1 for T2, 2
// for R), the object R reads (0 for x, 1 for y), and the clock error of
// the TrueTime reading the step takes, if it takes one (Clock).
type Action struct {
	Kind  ActionKind
	Txn   uint8
	Obj   uint8
	Clock bool
	Err   int8
}

// Init returns the single initial state: real time 0, nothing started.
func (sp *Spec) Init() []State { return []State{{}} }

// Next yields every step enabled in s. A step that reads TrueTime is
// yielded once for every clock error the reading may have (−e..e, e the
// model's ClockError) that lets it happen: the checker tries them all.
func (sp *Spec) Next(s State, yield func(Action, State, bool)) {
	if int(s.Now) < sp.p.Ticks {
		t := s
		t.Now++
		for i := range t.W {
			if t.W[i].Phase == Waiting {
				t.W[i].Waited = true
			}
		}
		yield(Action{Kind: Tick}, t, false)
	}
	for i := range s.W {
		sp.stepWriter(s, i, yield)
	}
	sp.stepReader(s, yield)
}

// stepWriter yields the steps of read-write transaction i.
func (sp *Spec) stepWriter(s State, i int, yield func(Action, State, bool)) {
	w, eps, now := s.W[i], sp.p.Eps, int(s.Now)
	switch w.Phase {
	case Idle:
		t := s
		t.W[i].Phase = Active
		if s.W[1-i].Phase == Visible {
			t.After |= 1 << precBit(1-i, i)
		}
		yield(Action{Kind: Begin, Txn: uint8(i)}, t, false)
	case Active:
		if i == 1 && sp.p.Reads && w.ReadX == NotRead {
			// T1 holds the write lock on x from its commit until its
			// commit wait ends; the read waits for it.
			t1 := s.W[0].Phase
			if t1 == Waiting && sp.mutant != earlyLockRelease {
				return
			}
			t := s
			t.W[1].ReadX = Initial
			if t1 >= Waiting {
				t.W[1].ReadX = Written
			}
			yield(Action{Kind: ReadX, Txn: 1}, t, false)
			return
		}
		if i == 0 && s.W[1].ReadX != NotRead && s.W[1].Phase != Visible {
			return // T2 holds a read lock on x: T1 cannot write it yet
		}
		for e := -sp.errMax; e <= sp.errMax; e++ {
			t := s
			t.W[i].Phase, t.W[i].TS = Waiting, int8(now+e+eps)
			yield(Action{Kind: Commit, Txn: uint8(i), Clock: true, Err: int8(e)}, t, false)
		}
	case Waiting:
		t := s
		t.W[i].Phase = Visible
		if sp.mutant == noCommitWait {
			yield(Action{Kind: Finish, Txn: uint8(i)}, t, false)
			return
		}
		for e := -sp.errMax; e <= sp.errMax; e++ {
			if now+e-eps > int(w.TS) { // TT.now().earliest > ts
				yield(Action{Kind: Finish, Txn: uint8(i), Clock: true, Err: int8(e)}, t, false)
			}
		}
	}
}

// stepReader yields the steps of the read-only transaction R.
func (sp *Spec) stepReader(s State, yield func(Action, State, bool)) {
	eps, now := sp.p.Eps, int(s.Now)
	if !sp.p.Reader {
		return
	}
	if !s.R.Started {
		for e := -sp.errMax; e <= sp.errMax; e++ {
			t := s
			t.R.Started, t.R.TR = true, int8(now+e+eps)
			yield(Action{Kind: SnapshotAt, Txn: 2, Clock: true, Err: int8(e)}, t, false)
		}
		return
	}
	for o := range s.R.Read {
		if s.R.Read[o] != NotRead {
			continue
		}
		t := s
		t.R.Read[o] = Initial
		if w := s.W[o]; w.Phase == Visible && w.TS <= s.R.TR {
			t.R.Read[o] = Written
		}
		a := Action{Kind: SnapshotRead, Txn: 2, Obj: uint8(o)}
		if sp.mutant == readBeforeSafe {
			yield(a, t, false)
			continue
		}
		if w := s.W[o]; w.Phase == Waiting && w.TS <= s.R.TR {
			continue // a version at or below t_r is still in commit wait
		}
		a.Clock = true
		for e := -sp.errMax; e <= sp.errMax; e++ {
			if now+e-eps > int(s.R.TR) { // t_r has passed: no later commit takes a timestamp ≤ t_r
				a.Err = int8(e)
				yield(a, t, false)
			}
		}
	}
}

// Label describes action a taken in state s in one line.
func (sp *Spec) Label(s State, a Action) string {
	now := int(s.Now)
	reading := func() string {
		c := now + int(a.Err)
		return fmt.Sprintf("clock %d (error %+d), TT.now() = [%d, %d]", c, a.Err, c-sp.p.Eps, c+sp.p.Eps)
	}
	name := TxnName(int(a.Txn))
	switch a.Kind {
	case Tick:
		return fmt.Sprintf("tick: real time %d", now+1)
	case Begin:
		return fmt.Sprintf("%s starts at real time %d", name, now)
	case ReadX:
		if s.W[0].Committed() {
			return fmt.Sprintf("T2 reads x at real time %d: T1's version (ts %d)", now, s.W[0].TS)
		}
		return fmt.Sprintf("T2 reads x at real time %d: the initial version", now)
	case Commit:
		c := now + int(a.Err)
		return fmt.Sprintf("%s commits at real time %d: %s, ts = %d", name, now, reading(), c+sp.p.Eps)
	case Finish:
		if !a.Clock {
			return fmt.Sprintf("%s acknowledged at real time %d without commit wait (ts %d)", name, now, s.W[a.Txn].TS)
		}
		return fmt.Sprintf("%s commit wait over at real time %d: %s, earliest > ts %d; visible", name, now, reading(), s.W[a.Txn].TS)
	case SnapshotAt:
		c := now + int(a.Err)
		return fmt.Sprintf("R starts at real time %d: %s, t_r = %d", now, reading(), c+sp.p.Eps)
	case SnapshotRead:
		obj, w := ObjectName(int(a.Obj)), s.W[a.Obj]
		what := "the initial version"
		if w.Phase == Visible && w.TS <= s.R.TR {
			what = fmt.Sprintf("%s's version (ts %d)", TxnName(int(a.Obj)), w.TS)
		}
		if !a.Clock {
			return fmt.Sprintf("R reads %s at t_r = %d at once, at real time %d: %s", obj, s.R.TR, now, what)
		}
		return fmt.Sprintf("R reads %s at t_r = %d at real time %d: %s, earliest > t_r: %s", obj, s.R.TR, now, reading(), what)
	}
	return a.Kind.String()
}

// TxnName names transaction i: T1, T2, or R (2).
func TxnName(i int) string {
	if i == 2 {
		return "R"
	}
	return fmt.Sprintf("T%d", i+1)
}

// ObjectName names object o: x (T1's) or y (T2's).
func ObjectName(o int) string { return [...]string{"x", "y"}[o] }
