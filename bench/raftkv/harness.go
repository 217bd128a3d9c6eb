package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// errStopped is a proposal's error when its cluster was closed under it
// (by the run's watchdog).
var errStopped = errors.New("cluster stopped")

// discardLog silences the libraries' loggers.
var discardLog = log.New(io.Discard, "", 0)

// Nodes is the cluster size of every run.
const Nodes = 3

// Cluster is one fresh, running 3-node cluster of one implementation, in
// this process, with an in-memory transport and in-memory storage, whose
// leader is elected and known.
type Cluster interface {
	// Propose replicates a 16-byte proposal of client (0..clients-1)
	// through the leader and returns once the leader has committed it and
	// applied it to its store. A client has at most one proposal
	// outstanding (closed loop).
	Propose(client int, p []byte) error
	// Retained is the largest number of log entries any node holds now:
	// it shows that the log stays bounded.
	Retained() int
	// Applied is the number of commands each node's store applied, the
	// leader's first.
	Applied() []uint64
	// Close stops every node; a Propose waiting then fails. It may be
	// called more than once, and from another goroutine.
	Close() error
}

// Impl is an implementation under test.
type Impl struct {
	// Name is how the table names it.
	Name string
	// Start starts a fresh cluster for clients closed-loop clients.
	Start func(clients int) (Cluster, error)
	// Note says how it is set up, for the table's header.
	Note string
}

// Workload is one run's shape.
type Workload struct {
	Clients   int // concurrent closed-loop clients
	Proposals int // measured proposals, over all clients
	Warmup    int // proposals before measuring, over all clients
	// Timeout bounds a run: when it expires the cluster is closed and
	// the run fails (a stuck implementation does not hang the benchmark).
	Timeout time.Duration
}

// Sample is one run on one fresh cluster.
type Sample struct {
	Seconds        float64 // measured phase, wall clock
	CommitsPerSec  float64
	P50, P99, Mean time.Duration
	CPUSeconds     float64 // user+system CPU of the process in the measured phase
	AllocsPerOp    float64 // heap objects allocated per commit (whole process)
	BytesPerOp     float64 // heap bytes allocated per commit (whole process)
	MaxRetained    int     // most log entries a node held, sampled during the run
}

// runOnce starts a fresh cluster, warms it up, then measures w.Proposals
// closed-loop proposals spread evenly over w.Clients clients.
func runOnce(impl Impl, w Workload) (Sample, error) {
	c, err := impl.Start(w.Clients)
	if err != nil {
		return Sample{}, fmt.Errorf("%s: start: %w", impl.Name, err)
	}
	closed := false
	defer func() {
		if !closed {
			c.Close()
		}
	}()
	var timedOut atomic.Bool
	var dump string // where the goroutines were written when the run timed out
	watchdog := time.AfterFunc(w.Timeout, func() {
		dump = dumpGoroutines(impl.Name)
		timedOut.Store(true)
		c.Close()
	})
	defer watchdog.Stop()
	timeoutErr := func(err error) error {
		if timedOut.Load() {
			return fmt.Errorf("%s: run took longer than -timeout %v (goroutines then: %s): %w", impl.Name, w.Timeout, dump, err)
		}
		return fmt.Errorf("%s: %w", impl.Name, err)
	}

	// Each client's share; the first (total mod clients) do one more.
	share := func(total, i int) int {
		n := total / w.Clients
		if i < total%w.Clients {
			n++
		}
		return n
	}
	seq := make([]int, w.Clients) // the next sequence number of each client
	phase := func(total int, lat [][]time.Duration) error {
		var wg sync.WaitGroup
		errs := make([]error, w.Clients)
		for i := range w.Clients {
			wg.Go(func() {
				for range share(total, i) {
					seq[i]++
					p := proposal(i, seq[i])
					t0 := time.Now()
					if err := c.Propose(i, p); err != nil {
						errs[i] = fmt.Errorf("client %d, request %d: %w", i, seq[i], err)
						return
					}
					if lat != nil {
						lat[i] = append(lat[i], time.Since(t0))
					}
				}
			})
		}
		wg.Wait()
		var first error
		others := 0
		for _, err := range errs {
			if err != nil && first == nil {
				first = err
			} else if err != nil {
				others++
			}
		}
		if others > 0 {
			return fmt.Errorf("%w (and %d other clients failed)", first, others)
		}
		return first
	}

	if err := phase(w.Warmup, nil); err != nil {
		return Sample{}, timeoutErr(fmt.Errorf("warm-up: %w", err))
	}
	lat := make([][]time.Duration, w.Clients)
	for i := range lat {
		lat[i] = make([]time.Duration, 0, share(w.Proposals, i))
	}
	// Sample the retained log while the run goes on.
	stopSampling := make(chan struct{})
	maxRetained := make(chan int)
	go func() {
		m := c.Retained()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				m = max(m, c.Retained())
			case <-stopSampling:
				maxRetained <- max(m, c.Retained())
				return
			}
		}
	}()
	runtime.GC()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := cpuTime()
	t0 := time.Now()
	err = phase(w.Proposals, lat)
	elapsed := time.Since(t0)
	cpu1 := cpuTime()
	runtime.ReadMemStats(&ms1)
	close(stopSampling)
	retained := <-maxRetained
	if err != nil {
		return Sample{}, timeoutErr(err)
	}

	// The leader must have applied every proposal, and no node more than
	// that; followers lag the leader by a little: wait for them.
	want := uint64(w.Warmup + w.Proposals)
	deadline := time.Now().Add(5 * time.Second)
	for {
		applied := c.Applied()
		if applied[0] != want || slices.Max(applied) != want {
			return Sample{}, fmt.Errorf("%s: stores applied %v commands (the leader's first), want %d", impl.Name, applied, want)
		}
		if slices.Min(applied) == want {
			break
		}
		if time.Now().After(deadline) {
			return Sample{}, fmt.Errorf("%s: stores applied %v commands 5 s after the run, want %d each", impl.Name, applied, want)
		}
		time.Sleep(time.Millisecond)
	}
	closed = true
	if err := c.Close(); err != nil {
		return Sample{}, fmt.Errorf("%s: close: %w", impl.Name, err)
	}

	all := slices.Concat(lat...)
	slices.Sort(all)
	var sum time.Duration
	for _, d := range all {
		sum += d
	}
	n := float64(w.Proposals)
	return Sample{
		Seconds:       elapsed.Seconds(),
		CommitsPerSec: n / elapsed.Seconds(),
		P50:           quantile(all, 0.50),
		P99:           quantile(all, 0.99),
		Mean:          sum / time.Duration(len(all)),
		CPUSeconds:    (cpu1 - cpu0).Seconds(),
		AllocsPerOp:   float64(ms1.Mallocs-ms0.Mallocs) / n,
		BytesPerOp:    float64(ms1.TotalAlloc-ms0.TotalAlloc) / n,
		MaxRetained:   retained,
	}, nil
}

// dumpGoroutines writes every goroutine's stack to a temporary file, for
// finding out why a run got stuck, and returns its name (or why not).
func dumpGoroutines(name string) string {
	f, err := os.CreateTemp("", "raftkv-"+name+"-stuck-*.txt")
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	if err := pprof.Lookup("goroutine").WriteTo(f, 1); err != nil {
		return err.Error()
	}
	return f.Name()
}

// quantile is the q-quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// cpuTime is the user+system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
