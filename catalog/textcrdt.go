package catalog

import (
	"fmt"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/textcrdt"
)

func init() {
	register(textcrdtEntry())
	registerClassic(Classic{Name: "textcrdt-reliable-broadcast", Protocol: "textcrdt", Flags: "-delivery reliable -d0 1", Breaks: textcrdt.PropSEC,
		Doc: "the text CRDT over reliable but not causal broadcast: n0 types a character and deletes it, n1 gets the delete first (nothing to remove) and then the insert, and keeps the character for good (course 8.1)"})
	registerClassic(Classic{Name: "textcrdt-bounded-positions", Protocol: "textcrdt", Flags: "-bits 1", Breaks: textcrdt.PropPositions,
		Doc: "positions with one bit of precision, as floats run out of bits: a midpoint rounds down onto a neighbour's position, here the sentinel 0 (course 8.1)"})
	registerClassic(Classic{Name: "textcrdt-equal-neighbours", Protocol: "textcrdt", Flags: "-i0 2", Breaks: textcrdt.PropPositions,
		Doc: "the course's scheme itself: after two concurrent inserts at the same place share a position, an insert between them takes their midpoint, that same position, and collides with its writer's own character (or lands outside its neighbours)"})
	registerClassic(Classic{Name: "textcrdt-interleaved-runs", Protocol: "textcrdt", Flags: "-runs 1 -i0 2 -i1 2", Breaks: textcrdt.PropRunContiguous,
		Doc: "a limitation, not in the course: two replicas each type two characters at the same place concurrently, and the runs interleave (a x b y), since positions tie pairwise and the node breaks each tie"})
}

func textcrdtEntry() *Entry {
	var delivery []string
	for _, d := range textcrdt.Deliveries() {
		delivery = append(delivery, d.String())
	}
	d := textcrdt.DefaultParams()
	e := &Entry{
		Name:    "textcrdt",
		Summary: "the text CRDT with rational positions: an insert takes its neighbours' midpoint, inserts and deletes go by causal broadcast",
		Section: "8.1",
		Params: []Param{
			{Name: "delivery", Doc: "how updates are delivered: causal broadcast (held back until their causal past is applied) or reliable broadcast in any order", Default: int(d.Delivery), Max: len(delivery) - 1, Choices: delivery},
			{Name: "n", Doc: "replicas", Default: d.Nodes, Min: 2, Max: textcrdt.MaxNodes},
			{Name: "letters", Doc: "letters the checker types (a, b)", Default: d.Letters, Min: 1, Max: textcrdt.MaxLetters},
			{Name: "bits", Doc: "0: exact positions; B: positions of B bits after the point, a midpoint rounding down (floats that run out)", Default: d.Bits, Max: textcrdt.MaxBits},
			{Name: "runs", Doc: "1: check run-contiguous alone, a limitation of this CRDT (a run one replica types stays contiguous), not a guarantee; -all checks it too", Max: 1},
		},
		Mutants: textcrdt.Mutants,
	}
	for i := range textcrdt.MaxNodes {
		in, del := fmt.Sprintf("i%d", i), fmt.Sprintf("d%d", i)
		e.Params = append(e.Params,
			Param{Name: in, Doc: fmt.Sprintf("characters replica %d types (the checker tries every index and letter)", i), Default: d.Inserts[i], Max: textcrdt.MaxOps,
				Fits: ofNode(in, i)},
			Param{Name: del, Doc: fmt.Sprintf("characters replica %d deletes after typing (every index); -%s + -%s at most %d", i, in, del, textcrdt.MaxOps), Default: d.Deletes[i], Max: textcrdt.MaxOps,
				Fits: allOf(ofNode(del, i), opsFit(in, del))})
	}
	return nodeProtocol[textcrdt.State, textcrdt.Msg]{
		props: textcrdt.Properties(),
		choose: func(params map[string]int) []string {
			if params["runs"] == 1 {
				return []string{textcrdt.PropRunContiguous}
			}
			return textcrdt.Promised()
		},
		leftOut: func(params map[string]int, p spec.Property[textcrdt.State, textcrdt.Msg]) string {
			if p.Name == textcrdt.PropRunContiguous {
				return "not promised: the course's CRDT interleaves concurrent runs; -runs 1 or -all to include"
			}
			return "-runs 1 checks run-contiguous alone"
		},
		vacuous: func(params map[string]int, _ model.Config) map[string]string {
			return TextCRDTParams(params, "").Unreachable()
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[textcrdt.State, textcrdt.Msg], []spec.WorkItem[textcrdt.Msg], error) {
			p, err := textcrdt.New(TextCRDTParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// TextCRDTParams reads the textcrdt entry's parameters.
func TextCRDTParams(params map[string]int, mutant string) textcrdt.Params {
	p := textcrdt.Params{Nodes: params["n"], Letters: params["letters"], Bits: params["bits"], Delivery: textcrdt.Delivery(params["delivery"]), Mutant: mutant}
	for i := range textcrdt.MaxNodes {
		p.Inserts[i] = params[fmt.Sprintf("i%d", i)]
		p.Deletes[i] = params[fmt.Sprintf("d%d", i)]
	}
	return p
}

// opsFit refuses more than textcrdt.MaxOps inserts and deletes for one
// replica.
func opsFit(in, del string) func(int, map[string]int, string) error {
	return func(v int, params map[string]int, _ string) error {
		if v+params[in] <= textcrdt.MaxOps {
			return nil
		}
		return fmt.Errorf("-%s %d with -%s %d makes %d updates, more than %d", del, v, in, params[in], v+params[in], textcrdt.MaxOps)
	}
}
