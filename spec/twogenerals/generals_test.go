package twogenerals_test

import (
	"strings"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/spectest"
	"github.com/distsys/distsys/spec/twogenerals"
)

func TestStepIsPure(t *testing.T) {
	t.Parallel()
	for k := 1; k <= twogenerals.MaxMessages; k++ {
		for _, mu := range append([]string{""}, "wait-for-one-more", "attack-without-order") {
			proto, err := twogenerals.New(twogenerals.Params{K: k, Mutant: mu})
			if err != nil {
				t.Fatal(err)
			}
			spectest.Pure(t, proto, proto.Workload(), 20)
		}
	}
}

func TestNewNamesTheBadField(t *testing.T) {
	for _, c := range []struct {
		p     twogenerals.Params
		field string
	}{
		{twogenerals.Params{K: 0}, "K = 0"},
		{twogenerals.Params{K: 5}, "K = 5"},
		{twogenerals.Params{K: 2, Need: []int{1}}, "Need has 1"},
		{twogenerals.Params{K: 2, Need: []int{3, 1}}, "Need[0] = 3"},
		{twogenerals.Params{K: 2, Need: []int{1, -1}}, "Need[1] = -1"},
		{twogenerals.Params{K: 2, Mutant: "nope"}, `Mutant = "nope"`},
	} {
		_, err := twogenerals.New(c.p)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("New(%+v) = %v, want an error naming %s", c.p, err, c.field)
		}
	}
}

// Messengers alternate: A sends the odd ones and receives the even ones.
func TestMessengersAlternate(t *testing.T) {
	for k, want := range [][2]int{1: {0, 1}, 2: {1, 1}, 3: {1, 2}, 4: {2, 2}} {
		if k == 0 {
			continue
		}
		got := [2]int{twogenerals.Addressed(k, twogenerals.A), twogenerals.Addressed(k, twogenerals.B)}
		if got != want {
			t.Errorf("k=%d: A receives %d, B %d; want %v", k, got[0], got[1], want)
		}
	}
}

// The sender of the last messenger attacks as it sends it: it has all it
// will ever get. The receiver attacks only when it arrives.
func TestSenderOfTheLastMessengerAttacksBlind(t *testing.T) {
	proto, _ := twogenerals.New(twogenerals.Params{K: 2})
	a, b := proto.Init(twogenerals.A), proto.Init(twogenerals.B)
	a, outs := proto.Step(a, spec.Input[twogenerals.Msg]{Kind: spec.Request, Msg: twogenerals.Msg{Kind: twogenerals.Plan, Attack: true}})
	if a.Attacking || len(outs) != 1 || outs[0].Msg.Seq != 1 {
		t.Fatalf("A after its plan: %s, %v", proto.FormatState(a), outs)
	}
	b, outs = proto.Step(b, spec.Input[twogenerals.Msg]{Kind: spec.Receive, From: twogenerals.A, Msg: outs[0].Msg})
	if !b.Attacking || len(outs) != 2 || outs[0].Msg.Seq != 2 || outs[1].Kind != spec.Observe {
		t.Fatalf("B after messenger 1: %s, %v", proto.FormatState(b), outs)
	}
	if got := proto.FormatState(b); got != "B plan=attack got=1 sent=1 attacking" {
		t.Errorf("FormatState: %s", got)
	}
	a, _ = proto.Step(a, spec.Input[twogenerals.Msg]{Kind: spec.Receive, From: twogenerals.B, Msg: outs[0].Msg})
	if !a.Attacking {
		t.Errorf("A after messenger 2: %s", proto.FormatState(a))
	}
}
