package replica_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/replica"
	"github.com/distsys/distsys/spec/spectest"
)

func TestStepIsPure(t *testing.T) {
	t.Parallel()
	var params []replica.Params
	for _, s := range replica.Stores() {
		params = append(params, replica.Params{Store: s, N: replica.MaxNodes, Writes: [replica.MaxNodes]int{2, 2, 2}, Retries: replica.MaxRetries, Skew: replica.MaxSkew})
	}
	for _, m := range replica.Mutants {
		p := replica.DefaultParams()
		p.Mutant = m.Name
		if m.Name == "mv-keep-all" {
			p.Store = replica.MV
		}
		params = append(params, p)
	}
	for _, p := range params {
		proto, err := replica.New(p)
		if err != nil {
			t.Fatal(err)
		}
		spectest.Pure(t, proto, proto.Workload(), 40)
	}
}

func TestNewNamesTheBadField(t *testing.T) {
	for _, c := range []struct {
		change func(*replica.Params)
		field  string
	}{
		{func(p *replica.Params) { p.Store = 9 }, "Store = 9"},
		{func(p *replica.Params) { p.N = 1 }, "N = 1"},
		{func(p *replica.Params) { p.N = replica.MaxNodes + 1 }, "N = 4"},
		{func(p *replica.Params) { p.Retries = -1 }, "Retries = -1"},
		{func(p *replica.Params) { p.Retries = replica.MaxRetries + 1 }, "Retries = 3"},
		{func(p *replica.Params) { p.Skew = replica.MaxSkew + 1 }, "Skew = 4"},
		{func(p *replica.Params) { p.Writes[0] = replica.MaxWrites + 1 }, "Writes[0] = 3"},
		{func(p *replica.Params) { p.Writes[2] = 1 }, "Writes[2] = 1"},
		{func(p *replica.Params) { p.Mutant = "no-such" }, `Mutant = "no-such"`},
		{func(p *replica.Params) { p.Mutant = "mv-keep-all" }, "not of lww"},
		{func(p *replica.Params) { p.Store, p.Mutant = replica.MV, "no-tombstone" }, "not of mv"},
		{func(p *replica.Params) { p.Store, p.Mutant = replica.Naive, "accept-older" }, "not of naive"},
	} {
		p := replica.DefaultParams()
		c.change(&p)
		_, err := replica.New(p)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", p, err, c.field)
		}
	}
}

func TestMutantsBreakKnownProperties(t *testing.T) {
	kinds := map[string]spec.Kind{}
	for _, p := range replica.Properties() {
		kinds[p.Name] = p.Kind
	}
	for _, m := range replica.Mutants {
		if k, ok := kinds[m.Breaks]; m.Doc == "" || !ok || k == spec.Sometimes {
			t.Errorf("mutant %+v: no doc, or breaks an unknown or sometimes property", m)
		}
	}
}

// Each store checks the properties it guarantees and names only sometimes
// properties as its witnesses.
func TestStoresNameTheirPropertiesAndWitnesses(t *testing.T) {
	kinds := map[string]spec.Kind{}
	for _, p := range replica.Properties() {
		kinds[p.Name] = p.Kind
	}
	for _, s := range replica.Stores() {
		for _, g := range s.Guarantees() {
			if k, ok := kinds[g]; !ok || k == spec.Sometimes || !slices.Contains(s.Checked(), g) {
				t.Errorf("%s guarantees %q: not a checked safety property", s, g)
			}
		}
		for _, w := range s.Witnesses() {
			if kinds[w] != spec.Sometimes || !slices.Contains(s.Checked(), w) {
				t.Errorf("%s: witness %q is not a checked sometimes property", s, w)
			}
		}
	}
	var names []string
	for _, s := range replica.Stores() {
		names = append(names, s.String())
	}
	if got := strings.Join(names, " "); got != "naive lww physical mv" {
		t.Errorf("stores %q", got)
	}
}

// node drives one replica of a protocol by hand.
type node struct {
	t     *testing.T
	proto *replica.Protocol
	s     replica.State
	out   []spec.Output[replica.Msg]
}

func newNode(t *testing.T, p replica.Params, id spec.NodeID) *node {
	t.Helper()
	proto, err := replica.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return &node{t: t, proto: proto, s: proto.Init(id)}
}

func (n *node) step(in spec.Input[replica.Msg]) *node {
	n.s, n.out = n.proto.Step(n.s, in)
	return n
}

func (n *node) put() *node {
	return n.step(spec.Input[replica.Msg]{Kind: spec.Request, Msg: replica.Msg{Kind: replica.Put}})
}
func (n *node) remove() *node {
	return n.step(spec.Input[replica.Msg]{Kind: spec.Request, Msg: replica.Msg{Kind: replica.Remove}})
}
func (n *node) fire() *node { return n.step(spec.Input[replica.Msg]{Kind: spec.Fire, Timer: 0}) }

// receive delivers m from node from.
func (n *node) receive(from spec.NodeID, m replica.Msg) *node {
	return n.step(spec.Input[replica.Msg]{Kind: spec.Receive, From: from, Msg: m})
}

// sent is the one Sync the last step sent (to the one peer).
func (n *node) sent() replica.Msg {
	n.t.Helper()
	var syncs []replica.Msg
	for _, o := range n.out {
		if o.Kind == spec.Send {
			syncs = append(syncs, o.Msg)
		}
	}
	if len(syncs) != 1 {
		n.t.Fatalf("the step sent %d messages, want 1", len(syncs))
	}
	return syncs[0]
}

func (n *node) holds() string { return n.proto.FormatState(n.s) }

// Reference: course 5.1, "a retry reuses its original timestamp": the
// resend carries the write as it was stamped; the restamp-retry mutant
// gives it a fresh one.
func TestRetryKeepsItsTimestamp(t *testing.T) {
	for _, c := range []struct{ mutant, want string }{{"", "Sync(clock=1 {w0.1@1})"}, {"restamp-retry", "Sync(clock=2 {w0.1@2})"}} {
		p := replica.DefaultParams()
		p.Mutant = c.mutant
		n := newNode(t, p, 0).put()
		first := n.proto.FormatMsg(n.sent())
		if got := n.proto.FormatMsg(n.fire().sent()); first != "Sync(clock=1 {w0.1@1})" || got != c.want {
			t.Errorf("mutant %q: sent %s, resent %s; want the resend %s", c.mutant, first, got, c.want)
		}
	}
}

// Reference: course 5.1, the fix: a remove leaves a tombstone with its
// timestamp, and anti-entropy keeps the newer version, so a late older put
// does not bring the key back. Without the tombstone (no-tombstone) the
// empty store wins nothing and loses to the late put.
func TestTombstoneBeatsALateOlderPut(t *testing.T) {
	for _, c := range []struct{ mutant, want string }{{"", "{✝w1.1@2} clock=2 resends=1"}, {"no-tombstone", "{w0.1@1} clock=2 resends=1"}} {
		p := replica.DefaultParams()
		p.Mutant = c.mutant
		a := newNode(t, p, 0).put()
		put := a.sent()
		b := newNode(t, p, 1).receive(0, put).remove()
		if got := b.receive(0, put).holds(); got != c.want {
			t.Errorf("mutant %q: after remove and a late put n1 holds %s, want %s", c.mutant, got, c.want)
		}
	}
}

// Last writer wins: of two writes with equal Lamport timestamps, the higher
// writer's; the other is lost at every replica.
func TestLWWTieGoesToTheHigherWriter(t *testing.T) {
	p := replica.DefaultParams()
	a, b := newNode(t, p, 0).put(), newNode(t, p, 1).put()
	fromA, fromB := a.sent(), b.sent()
	a.receive(1, fromB)
	b.receive(0, fromA)
	if a.holds() != "{w1.1@1} clock=1 resends=1" || b.holds() != "{w1.1@1} clock=1 resends=1" {
		t.Errorf("n0 holds %s, n1 holds %s; want both w1.1@1", a.holds(), b.holds())
	}
}

// Reference: course 5.1, a multi-value register replaces only dominated
// versions and keeps concurrent siblings; a write made knowing both
// replaces both.
func TestMVKeepsConcurrentSiblings(t *testing.T) {
	p := replica.DefaultParams()
	p.Store, p.Writes = replica.MV, [replica.MaxNodes]int{2, 1}
	a, b := newNode(t, p, 0).put(), newNode(t, p, 1).remove()
	a.receive(1, b.sent())
	if got := a.holds(); got != "{w0.1⟨1,0⟩,✝w1.1⟨0,1⟩} resends=1" {
		t.Errorf("after concurrent writes n0 holds %s, want both siblings", got)
	}
	if got := a.put().holds(); got != "{w0.2⟨2,1⟩} resends=1" {
		t.Errorf("after a write knowing both n0 holds %s, want it alone", got)
	}
	b.receive(0, a.sent())
	if got := b.holds(); got != "{w0.2⟨2,1⟩} resends=1" {
		t.Errorf("n1 holds %s, want the dominating version alone", got)
	}
}

// Reference: course 5.1, Cassandra exercise: node 0's physical clock runs
// ahead; a write it made earlier carries a greater timestamp than a write
// n1 makes after seeing it, so n1 discards its own, causally later write.
func TestPhysicalSkewDropsACausallyLaterWrite(t *testing.T) {
	p := replica.DefaultParams()
	p.Store, p.Skew = replica.Physical, 2
	a := newNode(t, p, 0).put()
	b := newNode(t, p, 1).receive(0, a.sent()).put()
	if got := b.holds(); got != "{w0.1@3} clock=2 reads 2 resends=1" {
		t.Errorf("n1 holds %s, want w0.1@3 (its own w1.1@2 discarded)", got)
	}
	var wrote string
	for _, o := range b.out {
		if o.Kind == spec.Observe {
			wrote = b.proto.FormatMsg(o.Msg)
		}
	}
	if wrote != "Wrote(w1.1@2)" {
		t.Errorf("n1 observed %q, want Wrote(w1.1@2)", wrote)
	}
}

// A crash keeps the store and the clock and forgets the resends; the
// recovering replica sends its store to every peer and asks for theirs,
// and a peer answers a pull with its own store.
func TestRecoveryRunsARoundOfAntiEntropy(t *testing.T) {
	p := replica.DefaultParams()
	a := newNode(t, p, 0).put()
	a.s = a.proto.Crash(a.s)
	if got := a.holds(); got != "{w0.1@1} clock=1" {
		t.Errorf("after a crash n0 holds %s", got)
	}
	pull := a.step(spec.Input[replica.Msg]{Kind: spec.Recover}).sent()
	if !pull.Pull || a.proto.FormatMsg(pull) != "Sync(clock=1 pull {w0.1@1})" {
		t.Errorf("recovering n0 sent %s, want a pull with its store", a.proto.FormatMsg(pull))
	}
	b := newNode(t, p, 1).put().receive(0, pull)
	if got := b.proto.FormatMsg(b.sent()); got != "Sync(clock=1 {w1.1@1})" {
		t.Errorf("n1 answered the pull with %s", got)
	}
}

// A replica makes no more writes than its budget: a further request is
// ignored (write ids would collide with the next replica's).
func TestWritesBeyondTheBudgetAreIgnored(t *testing.T) {
	p := replica.DefaultParams()
	n := newNode(t, p, 0).put()
	before := n.holds()
	if n.remove(); n.holds() != before || len(n.out) != 0 {
		t.Errorf("a second write of a one-write replica gave %s and %d outputs, want %s and none", n.holds(), len(n.out), before)
	}
}
