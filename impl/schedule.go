package impl

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distsys/distsys/spec"
)

// FaultPlan says which crashes and partitions a Schedule draws.
type FaultPlan struct {
	// Duration is how long faults start for; every crash is followed by
	// its restart and every partition by its heal, possibly after it.
	Duration time.Duration
	// CrashEvery is the mean time between crashes (0: no crashes); a
	// crashed node stays down for Downtime times a factor in [0.5, 1.5).
	CrashEvery, Downtime time.Duration
	// MaxDown bounds the nodes down at once (0: a minority, (n-1)/2, and
	// at least 1).
	MaxDown int
	// PartitionEvery is the mean time between partitions (0: none); each
	// lasts PartitionFor times a factor in [0.5, 1.5) and cuts a random
	// minority of the nodes off from the rest.
	PartitionEvery, PartitionFor time.Duration
	// Nodes may crash and be cut off (nil: all).
	Nodes []spec.NodeID

	_ struct{}
}

// FaultKind is what a Fault does.
type FaultKind uint8

// The faults.
const (
	CrashFault FaultKind = iota
	RestartFault
	PartitionFault
	HealFault
)

var faultNames = [...]string{"crash", "restart", "partition", "heal"}

func (k FaultKind) String() string {
	if int(k) < len(faultNames) {
		return faultNames[k]
	}
	return fmt.Sprintf("FaultKind(%d)", k)
}

// Fault is one entry of a schedule.
type Fault struct {
	At   time.Duration
	Kind FaultKind
	Node spec.NodeID   // crash, restart
	Side []spec.NodeID // partition: the nodes cut off from the others
}

func (f Fault) String() string {
	switch f.Kind {
	case CrashFault, RestartFault:
		return fmt.Sprintf("%v %s n%d", f.At.Round(time.Millisecond), f.Kind, f.Node)
	case PartitionFault:
		return fmt.Sprintf("%v partition %v | rest", f.At.Round(time.Millisecond), f.Side)
	}
	return fmt.Sprintf("%v heal", f.At.Round(time.Millisecond))
}

// Schedule is a timetable of faults, in time order.
type Schedule []Fault

// String lists the faults, one per line.
func (s Schedule) String() string {
	var b strings.Builder
	for _, f := range s {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// NewSchedule draws a schedule for n nodes from seed: the same seed and
// plan give the same schedule.
func NewSchedule(seed uint64, n int, plan FaultPlan) Schedule {
	r := newStream(seed, streamSchedule, 0, 0, 0)
	nodes := plan.Nodes
	if nodes == nil {
		for i := range n {
			nodes = append(nodes, spec.NodeID(i))
		}
	}
	maxDown := plan.MaxDown
	if maxDown <= 0 {
		maxDown = max((n-1)/2, 1)
	}
	factor := func(d time.Duration) time.Duration { return time.Duration((0.5 + r.float()) * float64(d)) }
	var s Schedule
	if plan.CrashEvery > 0 && len(nodes) > 0 {
		downUntil := map[spec.NodeID]time.Duration{}
		for t := time.Duration(r.exp() * float64(plan.CrashEvery)); t < plan.Duration; t += time.Duration(r.exp() * float64(plan.CrashEvery)) {
			var up []spec.NodeID
			down := 0
			for _, i := range nodes {
				if downUntil[i] > t {
					down++
				} else {
					up = append(up, i)
				}
			}
			if down >= maxDown || len(up) == 0 {
				continue
			}
			i := up[r.intn(len(up))]
			back := t + max(factor(plan.Downtime), time.Millisecond)
			downUntil[i] = back
			s = append(s, Fault{At: t, Kind: CrashFault, Node: i}, Fault{At: back, Kind: RestartFault, Node: i})
		}
	}
	if plan.PartitionEvery > 0 && len(nodes) > 1 {
		for t := time.Duration(r.exp() * float64(plan.PartitionEvery)); t < plan.Duration; {
			side := slices.Clone(nodes)
			for i := len(side) - 1; i > 0; i-- {
				j := r.intn(i + 1)
				side[i], side[j] = side[j], side[i]
			}
			side = side[:1+r.intn(max(len(side)/2, 1))]
			slices.Sort(side)
			end := t + max(factor(plan.PartitionFor), time.Millisecond)
			s = append(s, Fault{At: t, Kind: PartitionFault, Side: side}, Fault{At: end, Kind: HealFault})
			t = end + time.Duration(r.exp()*float64(plan.PartitionEvery))
		}
	}
	slices.SortStableFunc(s, func(a, b Fault) int { return int(a.At - b.At) })
	return s
}

// Apply carries out s in real time, from now: each fault at its time.
// It returns early, with ctx's error, if ctx ends; the faults not carried
// out are then skipped (Recover brings every node back and heals).
//
// On a simulated cluster Apply advances virtual time to each fault in
// turn, and returns when the last one is carried out.
func (c *Cluster[S, M]) Apply(ctx context.Context, s Schedule) error {
	if c.sim != nil {
		start := c.since()
		for _, f := range s {
			if wait := f.At - (c.since() - start); wait > 0 {
				if err := c.Advance(wait); err != nil {
					return err
				}
			}
			if err := c.applyFault(f); err != nil {
				return err
			}
		}
		return nil
	}
	start := time.Now()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for _, f := range s {
		if wait := f.At - time.Since(start); wait > 0 {
			t.Reset(wait)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
			}
		}
		if err := c.applyFault(f); err != nil {
			return err
		}
	}
	return nil
}

// applyFault carries out one fault.
func (c *Cluster[S, M]) applyFault(f Fault) error {
	var err error
	switch f.Kind {
	case CrashFault:
		err = c.Crash(f.Node)
	case RestartFault:
		err = c.Restart(f.Node)
	case PartitionFault:
		err = c.Partition(f.Side)
	case HealFault:
		c.Heal()
	}
	if err != nil {
		return fmt.Errorf("schedule: %s: %w", f, err)
	}
	return nil
}

// Recover restarts every node that is down and heals any partition.
func (c *Cluster[S, M]) Recover() error {
	c.Heal()
	for i := range c.n {
		if !c.Up(spec.NodeID(i)) {
			if err := c.Restart(spec.NodeID(i)); err != nil {
				return err
			}
		}
	}
	return nil
}
