package protocols

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/traces"
)

// Result is what a run found over all its rounds.
type Result struct {
	Protocol string
	// Seed is the run's seed; round k ran with Seed+k.
	Seed   uint64
	Rounds int
	// Ops counts the requests issued; Answered got their reply, TimedOut
	// did not (outcome unknown), Refused found their node down.
	Ops, Answered, TimedOut, Refused int
	Stats                            impl.Stats
	// Quiescent counts the rounds that ended quiescent (at-quiescence
	// properties are evaluated on those only).
	Quiescent  int
	Properties []PropertyResult
	// Replay is the first conformance failure (a replayed step that gave
	// other outputs or another state), naming its round.
	Replay error
	// Lin sums up the linearizability checks (nil: not checked).
	Lin *LinSummary
	// Trace is the first round that failed, or else the last one;
	// TraceRound says which.
	Trace      *traces.Trace
	TraceRound int
	// LinHTML is porcupine's visualisation of the first history that is
	// not linearizable, LinConflict the operations that make it so.
	LinHTML     []byte
	LinConflict *Conflict

	Elapsed time.Duration
	// Errs are failures of the runtime itself (a store that could not
	// save, a schedule that could not be applied).
	Errs []error
}

// PropertyResult is one property's outcomes over the rounds.
type PropertyResult struct {
	Property string
	Kind     spec.Kind
	// Expected marks a sometimes property the workload makes happen
	// (Target.Expected): reached in no round, the run is INCOMPLETE.
	Expected bool
	// Rounds by outcome.
	Held, Violated, Reached, NotReached, NotEvaluated int
	// First is the first violation: its round and reason.
	FirstRound  int
	FirstReason string
}

// LinSummary counts porcupine's outcomes over the rounds.
type LinSummary struct {
	Ok, Illegal, Unknown int
	Ops                  int
	FirstIllegalRound    int
}

// Status is a run's verdict.
type Status int

// The verdicts, from the best.
const (
	// OK: nothing went wrong, and the run did what its workload is for:
	// operations were answered, every property was evaluated, every
	// expected sometimes property was reached in some round.
	OK Status = iota
	// Violated: a property was violated, a step did not replay, a history
	// was not linearizable, or the runtime failed (Failed).
	Violated
	// Incomplete: nothing went wrong, but the run checked less than it
	// claims (Gaps says what): an OK would be vacuous.
	Incomplete
)

var statusNames = [...]string{"OK", "VIOLATED", "INCOMPLETE"}

// String returns "OK", "VIOLATED" or "INCOMPLETE".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Status is the run's verdict: Violated if it Failed, else Incomplete if
// it has Gaps, else OK.
func (r *Result) Status() Status {
	switch {
	case r.Failed():
		return Violated
	case len(r.Gaps()) > 0:
		return Incomplete
	}
	return OK
}

// Gaps says why a run in which nothing went wrong still checked less than
// it claims: operations were issued and none was answered, a property was
// evaluated in no round (none ended quiescent), or a sometimes property
// the workload makes happen was reached in no round. Empty for a run
// whose OK means something.
func (r *Result) Gaps() []string {
	var out []string
	if r.Ops > 0 && r.Answered == 0 {
		out = append(out, fmt.Sprintf("no operation was answered (%d issued: %d timed out, %d refused)", r.Ops, r.TimedOut, r.Refused))
	}
	for _, p := range r.Properties {
		switch {
		case p.Kind == spec.Sometimes && p.Expected && p.Reached == 0:
			out = append(out, fmt.Sprintf("%s (sometimes) was reached in no round: the path it stands for did not happen", p.Property))
		case p.Kind != spec.Sometimes && !p.Kind.Live() && r.Rounds > 0 && p.NotEvaluated == r.Rounds:
			out = append(out, fmt.Sprintf("%s (%s) was evaluated in no round: none ended quiescent", p.Property, p.Kind))
		}
	}
	return out
}

// Failed reports that a safety property was violated, a step did not
// replay, a history was not linearizable, or the runtime failed.
func (r *Result) Failed() bool {
	if r.Replay != nil || len(r.Errs) > 0 || (r.Lin != nil && r.Lin.Illegal > 0) {
		return true
	}
	for _, p := range r.Properties {
		if p.Violated > 0 {
			return true
		}
	}
	return false
}

// Run runs t in rounds, each a fresh cluster with its own seed and fault
// schedule, until opts.Ops operations were issued or opts.Duration
// passed (one round if neither is set), and checks every round: replay,
// properties, linearizability.
func Run[S, M any](t *Target[S, M], opts Options) (*Result, error) {
	if opts.Seed == 0 {
		opts.Seed = uint64(time.Now().UnixNano())
	}
	if opts.CallTimeout <= 0 {
		opts.CallTimeout = 200 * time.Millisecond
	}
	if opts.Settle <= 0 {
		opts.Settle = 2 * time.Second
	}
	if opts.Faults.Duration <= 0 {
		opts.Faults.Duration = 100 * time.Millisecond
	}
	if err := check(t, opts); err != nil {
		return nil, err
	}
	if opts.DataDir != "" {
		if err := impl.ClaimDataDir(opts.DataDir, manifest(t, opts)); err != nil {
			return nil, err
		}
	}
	res := &Result{Protocol: t.Name, Seed: opts.Seed}
	for _, p := range t.Properties {
		res.Properties = append(res.Properties, PropertyResult{Property: p.Name, Kind: p.Kind, FirstRound: -1,
			Expected: p.Kind == spec.Sometimes && slices.Contains(t.Expected, p.Name)})
	}
	if t.Linearizable != nil {
		res.Lin = &LinSummary{FirstIllegalRound: -1}
	}
	start := time.Now()
	var (
		keep          *impl.Run[S, M]
		keepViolation *traces.Violation
		keptFailure   bool
	)
	for k := 0; ; k++ {
		run, failed, violation, err := runRound(t, opts, k, res)
		if err != nil {
			return nil, err
		}
		res.Rounds++
		// Keep the first round that failed; until one does, the last.
		if !keptFailure {
			keep, keepViolation, res.TraceRound, keptFailure = run, violation, k, failed
		}
		done := failed && opts.StopAtFailure ||
			opts.Ops == 0 && opts.Duration == 0 ||
			opts.Ops > 0 && res.Ops >= opts.Ops ||
			opts.Duration > 0 && time.Since(start) >= opts.Duration
		if done {
			break
		}
	}
	res.Elapsed = time.Since(start)
	numbers := maps.Clone(opts.Params)
	for name := range opts.Choices {
		delete(numbers, name)
	}
	res.Trace = keep.Trace(impl.TraceHeader{Protocol: t.Name, Params: numbers, Choices: opts.Choices, Settings: opts.Settings, Mutant: opts.Mutant, Violation: keepViolation})
	return res, nil
}

// check validates opts against t before anything runs or is written: a
// number of operations needs a workload that issues some, the timers
// named must be t's, and the data directory, if any, must be new or hold
// the state of a run like this one (impl.CheckDataDir).
func check[S, M any](t *Target[S, M], opts Options) error {
	if opts.Ops > 0 && len(t.Work) == 0 {
		return fmt.Errorf("-ops %d: %s's workload issues no operation, so no number of rounds reaches it (run one round, or set -duration)", opts.Ops, t.Name)
	}
	for _, name := range slices.Sorted(maps.Keys(opts.Timers)) {
		if _, ok := t.Timers[name]; !ok {
			if len(t.Timers) == 0 {
				return fmt.Errorf("-timer %s: %s has no timers", name, t.Name)
			}
			return fmt.Errorf("-timer %s: %s has no timer of that name (its timers: %s)", name, t.Name, TimerNames(t.Timers))
		}
	}
	if opts.DataDir != "" {
		return impl.CheckDataDir(opts.DataDir, manifest(t, opts))
	}
	return nil
}

// manifest describes the state a run of t with opts keeps on disk.
func manifest[S, M any](t *Target[S, M], opts Options) impl.DataManifest {
	return impl.NewDataManifest(t.Name, t.Protocol.Nodes(), opts.Params, opts.Mutant)
}

// TimerNames lists timers with their durations for a person:
// "election (30ms+30ms), flush (idle), heartbeat (10ms)", or "none".
func TimerNames(timers map[string]impl.TimerSpec) string {
	if len(timers) == 0 {
		return "none"
	}
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(timers)) {
		ts := timers[name]
		d := ts.Base.String()
		if ts.Idle {
			d = "idle"
		} else if ts.Jitter > 0 {
			d += "+" + ts.Jitter.String()
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", name, d))
	}
	return strings.Join(parts, ", ")
}

// runRound runs round k and adds what it found to res.
func runRound[S, M any](t *Target[S, M], opts Options, k int, res *Result) (*impl.Run[S, M], bool, *traces.Violation, error) {
	seed := opts.Seed + uint64(k)
	timers := t.Timers
	if len(opts.Timers) > 0 {
		timers = maps.Clone(t.Timers)
		if timers == nil {
			timers = map[string]impl.TimerSpec{}
		}
		maps.Copy(timers, opts.Timers)
	}
	cfg := impl.Config[S, M]{
		Protocol: t.Protocol, Seed: seed, Network: opts.Network, Timers: timers,
		Replies: t.Replies, Record: true, Logf: opts.Logf, Simulate: opts.Simulate,
	}
	if opts.DataDir != "" {
		codec := t.Codec
		if codec == nil {
			codec = impl.JSONCodec[S]{}
		}
		cfg.Stores = impl.DiskStores(filepath.Join(opts.DataDir, fmt.Sprintf("round%d", k)), t.Protocol, codec, opts.Logf)
	}
	c, err := impl.Start(cfg)
	if err != nil {
		return nil, false, nil, err
	}
	sched := impl.NewSchedule(seed, t.Protocol.Nodes(), opts.Faults)
	var cnt counts
	var schedErr error
	if opts.Simulate {
		cnt, schedErr = driveSimulated(c, t, opts, seed, sched)
	} else {
		cnt, schedErr = drive(c, t, opts, seed, sched)
	}
	if err := c.Recover(); err != nil {
		res.Errs = append(res.Errs, fmt.Errorf("round %d (seed %d): %w", k, seed, err))
	}
	wait := opts.Settle
	if !quiescence(t.Properties) {
		wait = min(wait, 20*time.Millisecond) // no property needs it: let what is in flight land
	}
	if opts.Simulate {
		// In virtual time, and for at most wait of it: a protocol whose
		// timers run for ever (Raft's heartbeat without a bound) never
		// settles, and a real-time limit would make the round's end
		// depend on the machine's speed.
		for d := time.Duration(0); d < wait && !c.Quiescent(); d += simStep {
			if err := c.Advance(simStep); err != nil {
				break
			}
		}
	} else {
		settle, cancel := context.WithTimeout(context.Background(), wait)
		c.Settle(settle)
		cancel()
	}
	run, err := c.Stop()
	if err != nil {
		res.Errs = append(res.Errs, fmt.Errorf("round %d (seed %d): %w", k, seed, err))
	}
	if run.Err != nil {
		res.Errs = append(res.Errs, fmt.Errorf("round %d (seed %d): %w", k, seed, run.Err))
	}
	if schedErr != nil {
		res.Errs = append(res.Errs, fmt.Errorf("round %d (seed %d): %w", k, seed, schedErr))
	}
	res.Ops += cnt.ops
	res.Answered += cnt.answered
	res.TimedOut += cnt.timedOut
	res.Refused += cnt.refused
	res.Stats.Add(run.Stats)
	if run.Quiescent {
		res.Quiescent++
	}
	failed := run.Err != nil
	if err := run.Replay(); err != nil {
		failed = true
		if res.Replay == nil {
			res.Replay = fmt.Errorf("round %d (seed %d): %w", k, seed, err)
		}
	}
	var violation *traces.Violation
	for i, v := range run.Check(t.Properties) {
		p := &res.Properties[i]
		switch v.Outcome {
		case impl.Held:
			p.Held++
		case impl.Violated:
			p.Violated++
			failed = true
			if p.FirstRound < 0 {
				p.FirstRound, p.FirstReason = k, v.Reason
			}
			if violation == nil {
				violation = &traces.Violation{Property: v.Property, Kind: v.Kind.String(), Reason: v.Reason}
			}
		case impl.Reached:
			p.Reached++
		case impl.NotReached:
			p.NotReached++
		case impl.NotEvaluated:
			p.NotEvaluated++
		}
	}
	if t.Linearizable != nil {
		lr := CheckHistory(t.Linearizable, run.Ops, 10*time.Second)
		res.Lin.Ops += lr.Ops
		switch lr.Result {
		case porcupine.Ok:
			res.Lin.Ok++
		case porcupine.Illegal:
			res.Lin.Illegal++
			failed = true
			if res.Lin.FirstIllegalRound < 0 {
				res.Lin.FirstIllegalRound, res.LinHTML, res.LinConflict = k, lr.HTML, lr.Conflict
			}
			if violation == nil {
				violation = &traces.Violation{Property: "linearizable", Kind: "history", Reason: lr.Conflict.Reason()}
			}
		default:
			res.Lin.Unknown++
		}
	}
	return run, failed, violation, nil
}

// quiescence reports that some property is evaluated at quiescence.
func quiescence[S, M any](props []spec.Property[S, M]) bool {
	for _, p := range props {
		if p.Kind == spec.AtQuiescence {
			return true
		}
	}
	return false
}

// counts are a round's operations by outcome.
type counts struct{ ops, answered, timedOut, refused int }

func (n *counts) add(err error) {
	n.ops++
	switch {
	case err == nil:
		n.answered++
	case errors.Is(err, impl.ErrTimeout):
		n.timedOut++
	default:
		n.refused++
	}
}

// clients groups the workload by node: one client per node with work,
// issuing its items (by their index in work) in order.
func clients[M any](work []spec.WorkItem[M]) ([]spec.NodeID, map[spec.NodeID][]int) {
	byNode := map[spec.NodeID][]int{}
	var order []spec.NodeID
	for i, w := range work {
		if byNode[w.Node] == nil {
			order = append(order, w.Node)
		}
		byNode[w.Node] = append(byNode[w.Node], i)
	}
	return order, byNode
}

// holdStream keys the draw that decides whether a round holds items back
// (Target.After); the clients' own draws use the streams 1, 2, ….
const holdStream = 1 << 40

// holds returns, for the round of seed, the item each item of t.Work waits
// for (-1: none), as t.After says: the first item it holds always waits,
// each later one with odds of three in four, drawn from the round's seed.
// Only an earlier item is waited for, so the clients cannot wait for one
// another in a circle.
func holds[S, M any](t *Target[S, M], seed uint64) []int {
	out := make([]int, len(t.Work))
	r := rand.New(rand.NewPCG(seed, holdStream))
	first := true
	for i := range out {
		out[i] = -1
		if i >= len(t.After) || t.After[i] < 0 || t.After[i] >= i {
			continue
		}
		if first || r.IntN(4) != 0 {
			out[i] = t.After[i]
		}
		first = false
	}
	return out
}

// drive runs a round's clients on goroutines, against the clock, while the
// schedule's faults happen; it returns when every client is done.
func drive[S, M any](c *impl.Cluster[S, M], t *Target[S, M], opts Options, seed uint64, sched impl.Schedule) (counts, error) {
	faults, stopFaults := context.WithCancel(context.Background())
	defer stopFaults()
	var schedErr error
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		if err := c.Apply(faults, sched); err != nil && !errors.Is(err, context.Canceled) {
			schedErr = err
		}
	}()
	order, byNode := clients(t.Work)
	hold := holds(t, seed)
	finished := make([]chan struct{}, len(t.Work))
	for i := range finished {
		finished[i] = make(chan struct{})
	}
	var (
		mu  sync.Mutex
		cnt counts
		wg  sync.WaitGroup
	)
	for ci, node := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(ci)+1))
			cl := c.Client(ci)
			for _, i := range byNode[node] {
				if h := hold[i]; h >= 0 {
					<-finished[h]
				}
				w := t.Work[i]
				req := w.Choices[r.IntN(len(w.Choices))]
				var err error
				switch {
				case t.Replies.Key == nil:
					err = c.Request(node, req)
					time.Sleep(time.Duration(1+r.IntN(3)) * time.Millisecond)
				case t.Servers != nil:
					ctx, cancel := context.WithTimeout(context.Background(), time.Duration(3*len(t.Servers))*opts.CallTimeout)
					_, _, err = cl.Retry(ctx, node, req, impl.RetryPolicy{PerTry: opts.CallTimeout, Nodes: t.Servers})
					cancel()
				default:
					ctx, cancel := context.WithTimeout(context.Background(), opts.CallTimeout)
					_, err = cl.Call(ctx, node, req)
					cancel()
				}
				mu.Lock()
				cnt.add(err)
				mu.Unlock()
				close(finished[i])
			}
		}()
	}
	wg.Wait()
	stopFaults()
	<-schedDone
	return cnt, schedErr
}

// simStep is how far virtual time moves between two looks at the
// clients of a simulated round.
const simStep = 100 * time.Microsecond

// driveSimulated runs a round's clients on a simulated cluster: the same
// clients as drive — each node's items in order, each waiting for its
// reply or its timeout, retrying at the leader or the next server — and
// the same schedule, in virtual time, so that the round is decided by
// its seed alone.
func driveSimulated[S, M any](c *impl.Cluster[S, M], t *Target[S, M], opts Options, seed uint64, sched impl.Schedule) (counts, error) {
	type client struct {
		node   spec.NodeID
		items  []int // indices in t.Work
		next   int
		item   int // the item of the call under way
		r      *rand.Rand
		call   *impl.Pending[M]
		req    M
		at     time.Duration // when the current try started, or the next item may go
		tries  int
		target spec.NodeID
	}
	order, byNode := clients(t.Work)
	var cs []*client
	for ci, node := range order {
		cs = append(cs, &client{node: node, items: byNode[node], r: rand.New(rand.NewPCG(seed, uint64(ci)+1))})
	}
	hold := holds(t, seed)
	finished := make([]bool, len(t.Work))
	var cnt counts
	start := c.Elapsed()
	for f := 0; ; {
		now := c.Elapsed() - start
		for ; f < len(sched) && sched[f].At <= now; f++ {
			if err := applyFault(c, sched[f]); err != nil {
				return cnt, err
			}
		}
		busy := false
		for ci, cl := range cs {
			if cl.call != nil {
				if _, _, ok := cl.call.Reply(); ok {
					cnt.add(nil)
					cl.call, finished[cl.item] = nil, true
				} else if now-cl.at >= opts.CallTimeout {
					if t.Servers != nil && cl.tries < 3*len(t.Servers) {
						cl.target = nextServer(c, t.Servers, cl.target)
						cl.tries++
						cl.at = now
						cl.call.Resend(cl.target)
					} else {
						cl.call.Abandon()
						cnt.add(impl.ErrTimeout)
						cl.call, finished[cl.item] = nil, true
					}
				}
			}
			if cl.call == nil && cl.next < len(cl.items) && now >= cl.at {
				i := cl.items[cl.next]
				if h := hold[i]; h >= 0 && !finished[h] {
					busy = true
					continue
				}
				cl.next++
				w := t.Work[i]
				req := w.Choices[cl.r.IntN(len(w.Choices))]
				if t.Replies.Key == nil {
					cnt.add(c.Request(cl.node, req))
					cl.at = now + time.Duration(1+cl.r.IntN(3))*time.Millisecond
					finished[i] = true
				} else if call, err := c.Client(ci).Submit(cl.node, req); err != nil {
					cnt.add(err)
					finished[i] = true
				} else {
					cl.call, cl.at, cl.tries, cl.target, cl.item = call, now, 1, cl.node, i
				}
			}
			busy = busy || cl.call != nil || cl.next < len(cl.items)
		}
		if !busy {
			return cnt, nil
		}
		if err := c.Advance(simStep); err != nil {
			return cnt, err
		}
	}
}

// nextServer is where a client retries: the leader last seen, or else the
// server after the one it tried.
func nextServer[S, M any](c *impl.Cluster[S, M], servers []spec.NodeID, tried spec.NodeID) spec.NodeID {
	if l, ok := c.Leader(); ok && l != tried && slices.Contains(servers, l) {
		return l
	}
	return servers[(slices.Index(servers, tried)+1)%len(servers)]
}

// applyFault carries out one fault of a schedule.
func applyFault[S, M any](c *impl.Cluster[S, M], f impl.Fault) error {
	var err error
	switch f.Kind {
	case impl.CrashFault:
		err = c.Crash(f.Node)
	case impl.RestartFault:
		err = c.Restart(f.Node)
	case impl.PartitionFault:
		err = c.Partition(f.Side)
	case impl.HealFault:
		c.Heal()
	}
	if err != nil {
		return fmt.Errorf("schedule: %s: %w", f, err)
	}
	return nil
}
