package quorum_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/quorum"
	"github.com/distsys/distsys/spec/spectest"
)

func TestStepIsPure(t *testing.T) {
	t.Parallel()
	for _, p := range []quorum.Params{
		quorum.DefaultParams(),
		{N: 5, W: 3, R: 3, Writes: 3, Reads: 4, Readers: 2},
		{N: 3, W: 2, R: 2, Writes: 2, Reads: 2, Mutant: "replica-overwrite"},
		{N: 3, W: 2, R: 2, Writes: 2, Reads: 2, Mutant: "read-lowest"},
		{N: 3, W: 2, R: 2, Writes: 2, Reads: 2, Mutant: "volatile-store"},
		{N: 3, W: 2, R: 2, Writes: 2, Reads: 3, Readers: 2, WriteBack: true},
		{N: 2, W: 2, R: 1, Writes: 1, Reads: 2, Readers: 2, WriteBack: true, Mutant: "read-lowest"},
		{N: 3, W: 2, R: 2, Writes: 3, Reads: 2, Writers: 2, WriteBack: true},
		{N: 3, W: 2, R: 2, Writes: 3, Reads: 2, Writers: 3, Mutant: "local-counters"},
	} {
		proto, err := quorum.New(p)
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 60)
	}
}

func TestNewNamesTheBadField(t *testing.T) {
	ok := quorum.DefaultParams()
	for _, c := range []struct {
		change func(*quorum.Params)
		field  string
	}{
		{func(p *quorum.Params) { p.N = 0 }, "N = 0"},
		{func(p *quorum.Params) { p.N = 8 }, "N = 8"},
		{func(p *quorum.Params) { p.W = 0 }, "W = 0"},
		{func(p *quorum.Params) { p.W = 4 }, "W = 4"},
		{func(p *quorum.Params) { p.R = -1 }, "R = -1"},
		{func(p *quorum.Params) { p.R = 4 }, "R = 4"},
		{func(p *quorum.Params) { p.Writes = -1 }, "Writes = -1"},
		{func(p *quorum.Params) { p.Reads = quorum.MaxOps + 1 }, "Reads = 5"},
		{func(p *quorum.Params) { p.Readers = quorum.MaxReaders + 1 }, "Readers = 4"},
		{func(p *quorum.Params) { p.Writers = quorum.MaxWriters + 1 }, "Writers = 4"},
		{func(p *quorum.Params) { p.Mutant = "no-such" }, `Mutant = "no-such"`},
	} {
		p := ok
		c.change(&p)
		_, err := quorum.New(p)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", p, err, c.field)
		}
	}
	// Small quorums are allowed: they are the counterexample.
	if _, err := quorum.New(quorum.Params{N: 3, W: 1, R: 1}); err != nil {
		t.Errorf("New with r+w ≤ n: %v", err)
	}
	for _, m := range quorum.Mutants {
		p := ok
		p.Mutant = m.Name
		if _, err := quorum.New(p); err != nil {
			t.Errorf("mutant %s: %v", m.Name, err)
		}
	}
}

func TestMutantsBreakKnownProperties(t *testing.T) {
	names := map[string]bool{}
	for _, p := range quorum.Properties() {
		names[p.Name] = true
	}
	for _, m := range quorum.Mutants {
		if m.Doc == "" || !names[m.Breaks] {
			t.Errorf("mutant %+v: no doc, or breaks an unknown property", m)
		}
	}
}

func TestNodesAreReplicasThenClients(t *testing.T) {
	proto, _ := quorum.New(quorum.Params{N: 3, W: 2, R: 2, Writes: 2, Reads: 3, Readers: 2})
	if proto.Nodes() != 6 || proto.Writer() != 3 || proto.Reader(1) != 5 {
		t.Fatalf("nodes %d, writer %d, reader 1 %d", proto.Nodes(), proto.Writer(), proto.Reader(1))
	}
	var got []string
	for _, w := range proto.Workload() {
		got = append(got, "n"+string(rune('0'+w.Node))+" "+proto.FormatMsg(w.Choices[0]))
	}
	want := "n3 write(v=1), n3 write(v=2), n4 read(id=1), n5 read(id=2), n4 read(id=3)"
	if s := strings.Join(got, ", "); s != want {
		t.Errorf("workload %s, want %s", s, want)
	}
	for i, role := range []quorum.Role{quorum.Replica, quorum.Replica, quorum.Replica, quorum.Writer, quorum.Reader, quorum.Reader} {
		if r := proto.Init(spec.NodeID(i)).Role; r != role {
			t.Errorf("node %d is a %v, want a %v", i, r, role)
		}
	}
}

// step applies one input and returns the new state and its outputs
// rendered as "send n0 Write(ts=1,v=1)" / "observe WriteDone(ts=1,v=1)".
func step(proto *quorum.Protocol, s quorum.State, in spec.Input[quorum.Msg]) (quorum.State, string) {
	s, outs := proto.Step(s, in)
	var b []string
	for _, o := range outs {
		switch o.Kind {
		case spec.Send:
			b = append(b, "send n"+string(rune('0'+o.To))+" "+proto.FormatMsg(o.Msg))
		default:
			b = append(b, o.Kind.String()+" "+proto.FormatMsg(o.Msg))
		}
	}
	return s, strings.Join(b, "; ")
}

func receive(from spec.NodeID, m quorum.Msg) spec.Input[quorum.Msg] {
	return spec.Input[quorum.Msg]{Kind: spec.Receive, From: from, Msg: m}
}

func request(m quorum.Msg) spec.Input[quorum.Msg] {
	return spec.Input[quorum.Msg]{Kind: spec.Request, Msg: m}
}

// Reference: course 5.1 and 5.2: a replica keeps the newer timestamp; a
// write waits for w acknowledgements from distinct replicas.
func TestReplicaKeepsNewerAndWriterCountsDistinctAcks(t *testing.T) {
	proto, _ := quorum.New(quorum.Params{N: 3, W: 2, R: 2, Writes: 2})
	r := proto.Init(0)
	r, out := step(proto, r, receive(3, quorum.Msg{Kind: quorum.Write, TS: 2, Val: 2}))
	if out != "send n3 Ack(ts=2)" || proto.FormatState(r) != "replica ts=2 v=2" {
		t.Fatalf("after Write(2): %q, %s", out, proto.FormatState(r))
	}
	r, out = step(proto, r, receive(3, quorum.Msg{Kind: quorum.Write, TS: 1, Val: 1}))
	if out != "send n3 Ack(ts=1)" || proto.FormatState(r) != "replica ts=2 v=2" {
		t.Fatalf("an older Write must be acknowledged but not stored: %q, %s", out, proto.FormatState(r))
	}
	r, _ = step(proto, r, receive(4, quorum.Msg{Kind: quorum.Repair, TS: 1, Val: 1}))
	if proto.FormatState(r) != "replica ts=2 v=2" {
		t.Fatalf("an older Repair must not be stored: %s", proto.FormatState(r))
	}

	w := proto.Init(3)
	w, out = step(proto, w, request(quorum.Msg{Kind: quorum.WriteReq, Val: 1}))
	if out != "send n0 Write(ts=1,v=1); send n1 Write(ts=1,v=1); send n2 Write(ts=1,v=1)" {
		t.Fatalf("write: %q", out)
	}
	w, _ = step(proto, w, request(quorum.Msg{Kind: quorum.WriteReq, Val: 2}))
	w, out = step(proto, w, receive(1, quorum.Msg{Kind: quorum.Ack, TS: 1}))
	w, out2 := step(proto, w, receive(1, quorum.Msg{Kind: quorum.Ack, TS: 1}))
	if out != "" || out2 != "" {
		t.Fatalf("one replica's acks (twice) completed the write: %q %q", out, out2)
	}
	if got := proto.FormatState(w); got != "writer ts=1 writing ts=1 v=1 acks={1} queue=[2]" {
		t.Fatalf("writer %s", got)
	}
	w, out = step(proto, w, receive(2, quorum.Msg{Kind: quorum.Ack, TS: 1}))
	want := "observe WriteDone(ts=1,v=1); send n0 Write(ts=2,v=2); send n1 Write(ts=2,v=2); send n2 Write(ts=2,v=2)"
	if out != want {
		t.Fatalf("second ack: %q, want %q", out, want)
	}
	if c := proto.Crash(w); proto.FormatState(c) != "writer ts=2" {
		t.Errorf("crash keeps the counter only: %s", proto.FormatState(c))
	}
}

// Reference: course 5.2, "Read repair": the reader returns the newest value
// and pushes it, with its original timestamp, to the replicas that answered
// with an older one, also when they answer after the read completed.
func TestReaderReturnsNewestAndRepairsStaleRepliers(t *testing.T) {
	proto, _ := quorum.New(quorum.Params{N: 3, W: 2, R: 2, Reads: 1})
	r := proto.Init(4)
	r, out := step(proto, r, request(quorum.Msg{Kind: quorum.ReadReq, ID: 1}))
	if out != "observe ReadStart(id=1); send n0 Read(id=1); send n1 Read(id=1); send n2 Read(id=1)" {
		t.Fatalf("read: %q", out)
	}
	r, _ = step(proto, r, receive(0, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 0, Val: 0}))
	if got := proto.FormatState(r); got != "reader reading id=1 replies={0:0} newest ts=0 v=0" {
		t.Fatalf("reader %s", got)
	}
	r, out = step(proto, r, receive(2, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 3, Val: 7}))
	if out != "observe ReadDone(id=1,ts=3,v=7); send n0 Repair(ts=3,v=7)" {
		t.Fatalf("second reply: %q", out)
	}
	_, out = step(proto, r, receive(1, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 2, Val: 5}))
	if out != "send n1 Repair(ts=3,v=7)" {
		t.Fatalf("late stale reply: %q", out)
	}
	_, out = step(proto, r, receive(1, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 3, Val: 7}))
	if out != "" {
		t.Fatalf("late fresh reply: %q", out)
	}
}

// Reference: course 7.2, ABD (reader): take the newest value from a read
// quorum, write it back to the replicas that lack it, and return it only
// once a write quorum holds it. Replicas that answered with it already
// hold it; if a write quorum of them did, the read returns at once.
func TestReaderWritesBackBeforeReturning(t *testing.T) {
	proto, _ := quorum.New(quorum.Params{N: 3, W: 2, R: 2, Reads: 2, WriteBack: true})
	r := proto.Init(4)
	r, _ = step(proto, r, request(quorum.Msg{Kind: quorum.ReadReq, ID: 1}))
	r, _ = step(proto, r, request(quorum.Msg{Kind: quorum.ReadReq, ID: 2}))
	r, _ = step(proto, r, receive(0, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 0, Val: 0}))
	r, out := step(proto, r, receive(2, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 3, Val: 7}))
	if out != "send n0 WriteBack(ts=3,v=7); send n1 WriteBack(ts=3,v=7)" {
		t.Fatalf("read quorum reached: %q, want a write-back to the replicas not known to hold ts=3", out)
	}
	if got := proto.FormatState(r); got != "reader writing back id=1 ts=3 v=7 acks={2} queue=[2]" {
		t.Fatalf("reader %s", got)
	}
	for _, in := range []spec.Input[quorum.Msg]{
		receive(1, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 0, Val: 0}), // a late reply: no repair, the write-back covers it
		receive(0, quorum.Msg{Kind: quorum.Ack, TS: 2}),                  // another timestamp
		receive(2, quorum.Msg{Kind: quorum.Ack, TS: 3}),                  // a replica already counted
	} {
		if r, out = step(proto, r, in); out != "" {
			t.Fatalf("%v: %q, want nothing", in.Msg, out)
		}
	}
	if c := proto.Crash(r); proto.FormatState(c) != "reader" {
		t.Errorf("a crash forgets the write-back in progress: %s", proto.FormatState(c))
	}
	_, out = step(proto, r, receive(1, quorum.Msg{Kind: quorum.Ack, TS: 3}))
	want := "observe ReadDone(id=1,ts=3,v=7); observe ReadStart(id=2); send n0 Read(id=2); send n1 Read(id=2); send n2 Read(id=2)"
	if out != want {
		t.Fatalf("write quorum reached: %q, want %q", out, want)
	}

	// Both replies carry the newest value: a write quorum holds it already.
	r = proto.Init(4)
	r, _ = step(proto, r, request(quorum.Msg{Kind: quorum.ReadReq, ID: 1}))
	r, _ = step(proto, r, receive(0, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 3, Val: 7}))
	_, out = step(proto, r, receive(1, quorum.Msg{Kind: quorum.Reply, ID: 1, TS: 3, Val: 7}))
	if out != "observe ReadDone(id=1,ts=3,v=7)" {
		t.Fatalf("a write quorum already holds it: %q", out)
	}

	// A replica stores a newer write-back (a repair) and acknowledges any.
	rep := proto.Init(0)
	rep, out = step(proto, rep, receive(4, quorum.Msg{Kind: quorum.WriteBack, TS: 3, Val: 7}))
	if out != "send n4 Ack(ts=3)" || proto.FormatState(rep) != "replica ts=3 v=7 (repaired)" {
		t.Fatalf("write-back at a stale replica: %q, %s", out, proto.FormatState(rep))
	}
	rep, out = step(proto, rep, receive(5, quorum.Msg{Kind: quorum.WriteBack, TS: 1, Val: 1}))
	if out != "send n5 Ack(ts=1)" || proto.FormatState(rep) != "replica ts=3 v=7 (repaired)" {
		t.Fatalf("an older write-back must be acknowledged but not stored: %q, %s", out, proto.FormatState(rep))
	}
}

func TestMsgFormats(t *testing.T) {
	for m, want := range map[quorum.Msg]string{
		{Kind: quorum.WriteReq, Val: 1}:                 "write(v=1)",
		{Kind: quorum.ReadReq, ID: 2}:                   "read(id=2)",
		{Kind: quorum.Write, TS: 1, Val: 1}:             "Write(ts=1,v=1)",
		{Kind: quorum.Ack, TS: 1}:                       "Ack(ts=1)",
		{Kind: quorum.Read, ID: 1}:                      "Read(id=1)",
		{Kind: quorum.Reply, ID: 1, TS: 0, Val: 0}:      "Reply(id=1,ts=0,v=0)",
		{Kind: quorum.Repair, TS: 1, Val: 1}:            "Repair(ts=1,v=1)",
		{Kind: quorum.WriteDone, TS: 1, Val: 1}:         "WriteDone(ts=1,v=1)",
		{Kind: quorum.ReadStart, ID: 1}:                 "ReadStart(id=1)",
		{Kind: quorum.ReadDone, ID: 1, TS: 1, Val: 1}:   "ReadDone(id=1,ts=1,v=1)",
		{Kind: quorum.WriteBack, TS: 1, Val: 1}:         "WriteBack(ts=1,v=1)",
		{Kind: quorum.Query, Val: 2}:                    "Query(v=2)",
		{Kind: quorum.QueryReply, Val: 2, TS: 1, Wr: 2}: "QueryReply(v=2,ts=1.2)",
		{Kind: quorum.WriteStart, Val: 2}:               "WriteStart(v=2)",
		{Kind: quorum.Write, TS: 2, Wr: 1, Val: 2}:      "Write(ts=2.1,v=2)",
	} {
		if got := m.String(); got != want {
			t.Errorf("%+v formats as %q, want %q", m, got, want)
		}
	}
}
