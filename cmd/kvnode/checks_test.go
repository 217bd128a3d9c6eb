package main

import (
	"slices"
	"testing"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/spec/raft"
)

// TestKVModelRejectsAStaleRead: the fault test's sequential specification
// finds a read of an overwritten value after the overwrite returned not
// linearizable, and accepts the same history with the read overlapping
// the write, and a swap whose outcome is unknown taking effect or not.
func TestKVModelRejectsAStaleRead(t *testing.T) {
	op := func(client int, in kvIn, out any, call, ret int64) porcupine.Operation {
		return porcupine.Operation{ClientId: client, Input: in, Output: out, Call: call, Return: ret}
	}
	put := func(v string, call, ret int64) porcupine.Operation {
		return op(0, kvIn{Op: "put", Key: "a", Value: v}, kvOut{Value: v, OK: true}, call, ret)
	}
	get := func(v string, call, ret int64) porcupine.Operation {
		return op(1, kvIn{Op: "get", Key: "a"}, kvOut{Value: v, Found: true, OK: true}, call, ret)
	}
	stale := []porcupine.Operation{put("1", 0, 10), put("2", 20, 30), get("1", 40, 50)}
	if r := porcupine.CheckOperations(kvModel, stale); r {
		t.Fatal("a stale read after the overwrite returned passed")
	}
	overlapping := []porcupine.Operation{put("1", 0, 10), put("2", 20, 45), get("1", 40, 50)}
	if !porcupine.CheckOperations(kvModel, overlapping) {
		t.Fatal("a read overlapping the overwrite was refused")
	}
	unknownCas := op(2, kvIn{Op: "cas", Key: "a", Old: "1", Value: "3"}, kvUnknown{}, 11, 1<<62)
	for _, v := range []string{"1", "3"} {
		h := []porcupine.Operation{put("1", 0, 10), unknownCas, get(v, 40, 50)}
		if !porcupine.CheckOperations(kvModel, h) {
			t.Fatalf("a swap of unknown outcome, then a read of %s, was refused", v)
		}
	}
	failedCas := op(2, kvIn{Op: "cas", Key: "a", Old: "9", Value: "3"}, kvOut{Value: "2", OK: false}, 35, 38)
	if porcupine.CheckOperations(kvModel, []porcupine.Operation{put("1", 0, 10), failedCas}) {
		t.Fatal("a failed swap that saw a value never written passed")
	}
}

// TestMissingWritesFindsALostWrite: an acknowledged write whose request
// id is in no committed entry is reported.
func TestMissingWritesFindsALostWrite(t *testing.T) {
	log := []raft.Entry{
		{Term: 1, Val: 1, Cmd: `{"client":"c","seq":1,"op":"put","key":"a","value":"x"}`},
		{Term: 1, Val: 1, Cmd: `{"client":"c","seq":2,"op":"put","key":"a","value":"y"}`},
	}
	got := missingWrites([]string{"c/1", "c/2", "c/3", "d/1"}, log)
	if !slices.Equal(got, []string{"c/3", "d/1"}) {
		t.Fatalf("missing %v, want [c/3 d/1]", got)
	}
}
