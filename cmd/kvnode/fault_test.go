package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec/raft"
)

// The fault test, Jepsen's way: a cluster of real node processes on
// loopback, every link through a proxy of ours; concurrent clients write,
// read and swap over HTTP, recording when each operation was invoked and
// when it returned; meanwhile a schedule drawn from a printed seed kills
// nodes with SIGKILL and restarts them, pauses them with SIGSTOP and
// SIGCONT, partitions the network, cuts links one way, loses and delays
// messages. At the end, with every fault healed: porcupine must find the
// history linearizable, every acknowledged write must be in the committed
// log, the nodes' committed logs must agree, and every process's journal
// must replay through Step.

// faultKind is one kind of fault of the schedule.
type faultKind int

const (
	faultKill      faultKind = iota // SIGKILL a node, restart it when healed
	faultPause                      // SIGSTOP a node, SIGCONT when healed
	faultPartition                  // cut every link between a minority and the rest
	faultOneWay                     // one link, one direction: cut or blackholed
	faultDrop                       // every link loses 30% of messages
	faultDelay                      // every link delays messages 10-40 ms
	faultKinds
)

var faultNames = [...]string{"kill -9", "SIGSTOP", "partition", "one-way cut", "drop 30%", "delay"}

// fault is one entry of a schedule: at At, for For.
type fault struct {
	kind    faultKind
	at, dur time.Duration
	leader  bool  // kill or pause: the leader at that moment, else node
	node    int   // kill, pause: the node; one-way: the sender
	peer    int   // one-way: the receiver
	minor   []int // partition: the minority side
	hole    bool  // one-way: blackhole rather than cut
}

// schedule draws faults for a run of d from seed: every kind once in a
// random order, then again, one at a time with a pause between.
func schedule(seed uint64, n int, d time.Duration) []fault {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []fault
	at := 500 * time.Millisecond
	for at < d {
		for _, k := range r.Perm(int(faultKinds)) {
			f := fault{kind: faultKind(k), at: at, dur: time.Duration(250+r.IntN(300)) * time.Millisecond}
			f.node, f.leader = r.IntN(n), r.IntN(2) == 0
			f.peer = (f.node + 1 + r.IntN(n-1)) % n
			f.hole = r.IntN(2) == 0
			perm := r.Perm(n)
			f.minor = perm[:1+r.IntN((n-1)/2)]
			out = append(out, f)
			at += f.dur + time.Duration(150+r.IntN(150))*time.Millisecond
			if at >= d {
				break
			}
		}
	}
	return out
}

// kvIn and kvOut are an operation's input and output for porcupine.
type kvIn struct{ Op, Key, Value, Old string }

type kvOut struct {
	Value     string
	Found, OK bool
}

// kvUnknown is the output of an operation that got no answer.
type kvUnknown struct{}

type kvReg struct {
	v       string
	present bool
}

// kvModel is the store's sequential specification, one register per key.
var kvModel = porcupine.Model{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range h {
			k := op.Input.(kvIn).Key
			if byKey[k] == nil {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], op)
		}
		var out [][]porcupine.Operation
		for _, k := range keys {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() any { return kvReg{} },
	Step: func(state, input, output any) (bool, any) {
		st, in := state.(kvReg), input.(kvIn)
		next := st
		switch in.Op {
		case "put":
			next = kvReg{in.Value, true}
		case "cas":
			if st.v == in.Old {
				next = kvReg{in.Value, true}
			}
		}
		if _, unknown := output.(kvUnknown); unknown {
			return true, next
		}
		out := output.(kvOut)
		switch in.Op {
		case "get":
			return out.Found == st.present && out.Value == st.v, st
		case "cas":
			if st.v == in.Old {
				return out.OK, next
			}
			return !out.OK && out.Value == st.v, st
		}
		return true, next
	},
	Equal: func(a, b any) bool { return a.(kvReg) == b.(kvReg) },
	DescribeOperation: func(input, output any) string {
		in := input.(kvIn)
		res := "?"
		if out, ok := output.(kvOut); ok {
			res = fmt.Sprintf("%q found=%v ok=%v", out.Value, out.Found, out.OK)
		}
		switch in.Op {
		case "put":
			return fmt.Sprintf("put(%s, %q) → %s", in.Key, in.Value, res)
		case "cas":
			return fmt.Sprintf("cas(%s, %q→%q) → %s", in.Key, in.Old, in.Value, res)
		}
		return fmt.Sprintf("get(%s) → %s", in.Key, res)
	},
}

// faultRun is what a fault test run found.
type faultRun struct {
	ops, ok, unknown, faults int
	writesAcked              int
	steps, incarnations      int
	saves, behind            int
	lin                      porcupine.CheckResult
}

// faultTestSeed is the run's seed: $KVNODE_SEED, or the clock's.
func faultTestSeed(t *testing.T) uint64 {
	if s := os.Getenv("KVNODE_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("KVNODE_SEED=%q: %v", s, err)
		}
		return v
	}
	return uint64(time.Now().UnixNano())%1_000_000 + 1
}

// runFaults runs the fault test on n nodes for d, with clients clients.
func runFaults(t *testing.T, n int, d time.Duration, clients int) faultRun {
	seed := faultTestSeed(t)
	t.Logf("seed %d: KVNODE_SEED=%d reproduces this schedule", seed, seed)
	h := newHarness(t, n, seed, "-election", "150ms", "-jitter", "150ms", "-heartbeat", "30ms", "-timeout", "1s")
	leader := func() int {
		k, _ := newKVClient(h.http, "", 200*time.Millisecond)
		for i := range n {
			if st, err := k.status(context.Background(), i); err == nil && st.Role == "leader" {
				return i
			}
		}
		return -1
	}
	waitFor(t, h, 10*time.Second, "a leader", func() bool { return leader() >= 0 })

	start := time.Now()
	var (
		mu   sync.Mutex
		hist []porcupine.Operation
		acks []string // request ids of acknowledged writes
		res  faultRun
	)
	record := func(client int, in kvIn, out any, call, ret time.Duration, id string) {
		mu.Lock()
		defer mu.Unlock()
		res.ops++
		op := porcupine.Operation{ClientId: client, Input: in, Call: int64(call), Output: out, Return: int64(ret)}
		if _, unknown := out.(kvUnknown); unknown {
			res.unknown++
			op.Return = 1 << 62
			if in.Op == "get" {
				return // a read without an answer constrains nothing
			}
		} else {
			res.ok++
			if o := out.(kvOut); in.Op == "put" || in.Op == "cas" && o.OK {
				acks = append(acks, id)
				res.writesAcked++
			}
		}
		hist = append(hist, op)
	}
	keys := []string{"a", "b", "c"}
	runOp := func(ctx context.Context, k *kvClient, client int, in kvIn) (kvOut, bool) {
		call := time.Since(start)
		octx, cancel := context.WithTimeout(ctx, 2*time.Second)
		rep, _, err := k.do(octx, in.Op, in.Key, in.Value, in.Old)
		cancel()
		ret := time.Since(start)
		k.mu.Lock()
		id := requestKey(k.id, k.seq)
		k.mu.Unlock()
		switch {
		case errors.Is(err, errUnknown):
			record(client, in, kvUnknown{}, call, ret, id)
			return kvOut{}, false
		case err != nil:
			t.Errorf("client %d: %v: %v", client, in, err)
			return kvOut{}, false
		}
		out := kvOut{Value: rep.Value, Found: rep.Found, OK: rep.OK}
		record(client, in, out, call, ret, id)
		return out, true
	}
	ctx, stopClients := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(100+c)))
			k, err := newKVClient(h.http, "", 500*time.Millisecond)
			if err != nil {
				t.Error(err)
				return
			}
			seen := map[string]string{}
			for i := 0; ctx.Err() == nil; i++ {
				key := keys[r.IntN(len(keys))]
				in := kvIn{Key: key}
				switch r.IntN(3) {
				case 0:
					in.Op, in.Value = "put", fmt.Sprintf("c%d.%d", c, i)
				case 1:
					in.Op = "get"
				default:
					in.Op, in.Old, in.Value = "cas", seen[key], fmt.Sprintf("c%d.%d", c, i)
				}
				out, ok := runOp(ctx, k, c, in)
				if ok {
					seen[key] = out.Value
				}
			}
		}()
	}

	sched := schedule(seed, n, d)
	for _, f := range sched {
		if w := time.Until(start.Add(f.at)); w > 0 {
			time.Sleep(w)
		}
		if i, ok := h.exited(); ok {
			t.Fatalf("node %d exited by itself: %v\n%s", i, h.proc(i).err, h.logTail(i))
		}
		heal := applyFault(t, h, f, leader)
		res.faults++
		time.Sleep(f.dur)
		heal()
	}
	if w := time.Until(start.Add(d)); w > 0 {
		time.Sleep(w)
	}
	stopClients()
	wg.Wait()
	if i, ok := h.exited(); ok {
		t.Fatalf("node %d exited by itself: %v\n%s", i, h.proc(i).err, h.logTail(i))
	}
	// Healed: a last read of every key closes the history — entries of
	// the leader's term, so that it commits what earlier terms left (a
	// Raft leader commits an older entry only under one of its own) — and
	// then every node must reach the same commit index.
	k, _ := newKVClient(h.http, "", 500*time.Millisecond)
	for _, key := range keys {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		for {
			if _, ok := runOp(ctx, k, clients, kvIn{Op: "get", Key: key}); ok || ctx.Err() != nil {
				break
			}
		}
		if ctx.Err() != nil {
			t.Errorf("the final read of %s was not answered within 10 s", key)
		}
		cancel()
	}
	waitFor(t, h, 10*time.Second, "every node reaching the same commit index", func() bool {
		var commits []int32
		for i := range n {
			st, err := k.status(context.Background(), i)
			if err != nil {
				return false
			}
			commits = append(commits, st.Commit)
		}
		return slices.Min(commits) == slices.Max(commits)
	})
	if err := h.stop(); err != nil {
		t.Errorf("stopping the nodes: %v", err)
	}

	// Linearizability.
	lin, info := porcupine.CheckOperationsVerbose(kvModel, hist, 60*time.Second)
	res.lin = lin
	if lin != porcupine.Ok {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("kvnode-faults-%d.html", seed))
		if f, err := os.Create(path); err == nil {
			porcupine.Visualize(kvModel, info, f)
			f.Close()
		}
		t.Errorf("seed %d: the history of %d operations is %v, not linearizable (porcupine's view: %s)", seed, len(hist), lin, path)
	}
	// Acknowledged writes in the committed log, and the nodes' committed
	// logs agree.
	proto, err := raft.New(raft.RuntimeParams(n))
	if err != nil {
		t.Fatal(err)
	}
	var longest []raft.Entry
	var commits []raft.Log
	for i := range n {
		st, err := impl.OpenDiskStore(filepath.Join(h.dataDir(i), stateDir), proto.AppendState, impl.JSONCodec[raft.State]{}, nil)
		if err != nil {
			t.Fatalf("node %d's store: %v", i, err)
		}
		s, _, _ := st.Load()
		st.Close()
		c := s.Log.Slice(0, int(s.Commit))
		commits = append(commits, c)
		if c.Len() > len(longest) {
			longest = c.Entries()
		}
	}
	for i, c := range commits {
		if !raft.LogOf(longest...).HasPrefix(c) {
			t.Errorf("node %d's committed log is not a prefix of the longest one", i)
		}
	}
	for _, id := range missingWrites(acks, longest) {
		t.Errorf("acknowledged write %s is not in the committed log (%d entries)", id, len(longest))
	}
	// Every process's journal replays through Step.
	for i := range n {
		rep, err := impl.ReplayJournal(filepath.Join(h.dataDir(i), journalFile), proto)
		if err != nil {
			t.Errorf("node %d: %v", i, err)
			continue
		}
		res.steps += rep.Steps
		res.incarnations += rep.Incarnations
		res.saves += rep.Saves
		res.behind += rep.Behind
	}
	// The journals merge into one trace that validates.
	var journals []string
	for i := range n {
		journals = append(journals, filepath.Join(h.dataDir(i), journalFile))
	}
	if merged, err := impl.MergeJournals(proto, journals...); err != nil {
		t.Errorf("merging the journals: %v", err)
	} else if err := merged.Trace(impl.TraceHeader{Protocol: "raft", Params: map[string]int{"n": n}}).Validate(); err != nil {
		t.Errorf("the merged trace: %v", err)
	}
	var byKind [faultKinds]int
	for _, f := range sched {
		byKind[f.kind]++
	}
	var names []string
	for k, c := range byKind {
		names = append(names, fmt.Sprintf("%d %s", c, faultNames[k]))
	}
	t.Logf("seed %d, %d nodes, %v: %d operations (%d answered, %d unknown), %d acknowledged writes all in the %d-entry committed log; %d faults (%s); porcupine: %v; %d steps of %d incarnations replayed through Step, every recovery from a state saved since the last marked save (%d saves; %d recoveries behind the last journalled step)",
		seed, n, d, res.ops, res.ok, res.unknown, res.writesAcked, len(longest), res.faults, strings.Join(names, ", "), lin, res.steps, res.incarnations, res.saves, res.behind)
	if res.ok < 10 || res.writesAcked < 5 {
		t.Errorf("only %d operations answered (%d acknowledged writes): the run checked little", res.ok, res.writesAcked)
	}
	return res
}

// missingWrites returns the request ids among acks that no entry of log
// carries.
func missingWrites(acks []string, log []raft.Entry) []string {
	inLog := map[string]bool{}
	for _, e := range log {
		var cmd Command
		if json.Unmarshal([]byte(e.Cmd), &cmd) == nil {
			inLog[requestKey(cmd.Client, cmd.Seq)] = true
		}
	}
	var out []string
	for _, id := range acks {
		if !inLog[id] {
			out = append(out, id)
		}
	}
	return out
}

// applyFault starts f and returns how to heal it.
func applyFault(t *testing.T, h *harness, f fault, leader func() int) (heal func()) {
	node := f.node
	if f.leader && (f.kind == faultKill || f.kind == faultPause) {
		if l := leader(); l >= 0 {
			node = l
		}
	}
	all := func(pf impl.ProxyFaults) {
		for i := range h.n {
			for j := range h.n {
				if i != j {
					h.proxies[i][j].Set(pf)
				}
			}
		}
	}
	switch f.kind {
	case faultKill:
		t.Logf("%6v kill -9 n%d for %v", f.at, node, f.dur)
		h.kill(node)
		return func() { h.start(node) }
	case faultPause:
		t.Logf("%6v SIGSTOP n%d for %v", f.at, node, f.dur)
		h.pause(node)
		return func() { h.resume(node) }
	case faultPartition:
		t.Logf("%6v partition %v from the rest for %v", f.at, f.minor, f.dur)
		for i := range h.n {
			for j := range h.n {
				if i != j && slices.Contains(f.minor, i) != slices.Contains(f.minor, j) {
					h.proxies[i][j].Set(impl.ProxyFaults{Cut: true})
				}
			}
		}
		return func() { all(impl.ProxyFaults{}) }
	case faultOneWay:
		how := "cut"
		pf := impl.ProxyFaults{Cut: true}
		if f.hole {
			how, pf = "blackholed", impl.ProxyFaults{Blackhole: true}
		}
		t.Logf("%6v n%d→n%d %s for %v", f.at, f.node, f.peer, how, f.dur)
		h.proxies[f.node][f.peer].Set(pf)
		return func() { h.proxies[f.node][f.peer].Set(impl.ProxyFaults{}) }
	case faultDrop:
		t.Logf("%6v every link loses 30%% for %v", f.at, f.dur)
		all(impl.ProxyFaults{Drop: 0.3})
		return func() { all(impl.ProxyFaults{}) }
	default:
		t.Logf("%6v every link delays 10–40 ms for %v", f.at, f.dur)
		all(impl.ProxyFaults{Delay: 10 * time.Millisecond, Jitter: 30 * time.Millisecond})
		return func() { all(impl.ProxyFaults{}) }
	}
}

// waitFor polls cond until it holds or d passes (then the test fails).
func waitFor(t *testing.T, h *harness, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			var logs []string
			for i := range h.n {
				logs = append(logs, fmt.Sprintf("--- n%d\n%s", i, h.logTail(i)))
			}
			t.Fatalf("no %s within %v\n%s", what, d, strings.Join(logs, "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestFaults is the short fault test: 3 then 5 node processes, five
// seconds of faults each. It starts processes and takes ~20 s, so it runs
// only when KVNODE_FAULTS is set (.ci/run sets it); the long form is in
// long_test.go.
func TestFaults(t *testing.T) {
	if os.Getenv("KVNODE_FAULTS") == "" {
		t.Skip("starts real processes for ~20 s: set KVNODE_FAULTS=1 to run it (.ci/run does)")
	}
	for _, n := range []int{3, 5} {
		t.Run(fmt.Sprintf("%dnodes", n), func(t *testing.T) {
			runFaults(t, n, 5*time.Second, 4)
		})
	}
}
