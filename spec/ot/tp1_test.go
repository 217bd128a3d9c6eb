package ot_test

import (
	"fmt"
	"testing"

	"github.com/distsys/distsys/spec/ot"
)

// texts lists every text of length 0..n over letters.
func texts(letters string, n int) []string {
	all, layer := []string{""}, []string{""}
	for range n {
		var next []string
		for _, t := range layer {
			for _, l := range []byte(letters) {
				next = append(next, t+string(l))
			}
		}
		all, layer = append(all, next...), next
	}
	return all
}

// opsOn lists every operation on a text of length n by author a: an
// insert of each letter at each index, a delete at each index, a no-op.
func opsOn(n int, letters string, a uint8) []ot.Op {
	ops := []ot.Op{{Kind: ot.Nop, Author: a}}
	for pos := range n + 1 {
		for _, l := range []byte(letters) {
			ops = append(ops, ot.Op{Kind: ot.Ins, Pos: uint8(pos), Letter: l, Author: a})
		}
	}
	for pos := range n {
		ops = append(ops, ot.Op{Kind: ot.Del, Pos: uint8(pos), Author: a})
	}
	return ops
}

// TP1, the transformation property the server's ordering relies on: for
// every text s of length up to 4 over "AB" and every pair of operations
// op1 (by client 1) and op2 (by client 2) on it, op1 then op2
// transformed against op1 gives the same text as op2 then op1
// transformed against op2. The letters of the inserts are A, B and X,
// so equal and different letters meet at one index. Cases counted.
func TestTP1HoldsForEveryPairOfOperations(t *testing.T) {
	cases := 0
	for _, s := range texts("AB", 4) {
		for _, op1 := range opsOn(len(s), "ABX", 1) {
			for _, op2 := range opsOn(len(s), "ABX", 2) {
				cases++
				a := ot.Apply(ot.Apply(s, op1), ot.Transform(op2, op1))
				b := ot.Apply(ot.Apply(s, op2), ot.Transform(op1, op2))
				if a != b {
					t.Fatalf("TP1 fails on %q with %s and %s: %q vs %q", s, ot.FormatOp(op1, true), ot.FormatOp(op2, true), a, b)
				}
			}
		}
	}
	if cases != 9_168 {
		t.Errorf("%d cases, want 9,168", cases)
	}
}

// Two inserts at one index: the one of the smaller author goes left,
// whichever is applied first.
func TestTP1InsertsAtOneIndexOrderByAuthor(t *testing.T) {
	a, b := ot.Op{Kind: ot.Ins, Pos: 0, Letter: 'A', Author: 1}, ot.Op{Kind: ot.Ins, Pos: 0, Letter: 'D', Author: 2}
	if got := ot.Apply(ot.Apply("BC", a), ot.Transform(b, a)); got != "ADBC" {
		t.Errorf("A then D: %q, want ADBC", got)
	}
	if got := ot.Apply(ot.Apply("BC", b), ot.Transform(a, b)); got != "ADBC" {
		t.Errorf("D then A: %q, want ADBC (c1's insert goes left)", got)
	}
}

// tp1Fails returns the first case where TP1 fails for tr, or "".
func tp1Fails(tr func(in, c ot.Op) ot.Op) string {
	for _, s := range texts("AB", 3) {
		for _, op1 := range opsOn(len(s), "ABX", 1) {
			for _, op2 := range opsOn(len(s), "ABX", 2) {
				a := ot.Apply(ot.Apply(s, op1), tr(op2, op1))
				b := ot.Apply(ot.Apply(s, op2), tr(op1, op2))
				if a != b {
					return fmt.Sprintf("%q with %s and %s: %q vs %q", s, ot.FormatOp(op1, true), ot.FormatOp(op2, true), a, b)
				}
			}
		}
	}
	return ""
}

// Each mutant's transformation breaks TP1, on the first case found.
func TestTP1FailsForEveryMutant(t *testing.T) {
	want := map[string]string{
		"no-transform": `"" with ins(0,A)@c1 and ins(0,B)@c2: "BA" vs "AB"`,
		"no-tie-break": `"" with ins(0,A)@c1 and ins(0,B)@c2: "AB" vs "BA"`,
	}
	for _, mu := range ot.Mutants {
		p := ot.DefaultParams()
		p.Mutant = mu.Name
		pr, err := ot.New(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := tp1Fails(pr.Transform); got != want[mu.Name] {
			t.Errorf("%s: TP1 fails on %s, want %s", mu.Name, got, want[mu.Name])
		}
	}
	pr, _ := ot.New(ot.DefaultParams())
	if got := tp1Fails(pr.Transform); got != "" {
		t.Errorf("the correct protocol fails TP1 on %s", got)
	}
}
