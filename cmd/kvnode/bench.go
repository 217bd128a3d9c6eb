package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// benchResult is one measurement of kvnode bench.
type benchResult struct {
	clients       int
	commits       int
	unknown       int
	elapsed       time.Duration
	p50, p99, max time.Duration
}

func (r benchResult) rate() float64 { return float64(r.commits) / r.elapsed.Seconds() }

// runBench runs clients closed-loop clients, each putting a value of size
// bytes to one of 1,024 keys and waiting for its answer, for d, and
// measures commits (answered puts) per second and their latency.
func runBench(ctx context.Context, nodes []string, tlsDir string, clients int, d time.Duration, size int) (benchResult, error) {
	res := benchResult{clients: clients}
	value := strings.Repeat("x", size)
	var (
		mu   sync.Mutex
		lats []time.Duration
		errs []error
		wg   sync.WaitGroup
	)
	// Find the leader first, so that the measurement does not include an
	// election or the clients' first redirects.
	warm, err := newKVClient(nodes, tlsDir, time.Second)
	if err != nil {
		return res, err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	_, _, err = warm.do(wctx, "put", "bench-warmup", value, "")
	cancel()
	if err != nil {
		return res, fmt.Errorf("warm-up: %w", err)
	}
	start := time.Now()
	end := start.Add(d)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := newKVClient(nodes, tlsDir, 2*time.Second)
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			k.leader = warm.leader
			var mine []time.Duration
			unknown := 0
			for i := 0; time.Now().Before(end); i++ {
				t0 := time.Now()
				octx, cancel := context.WithTimeout(ctx, 5*time.Second)
				_, _, err := k.do(octx, "put", fmt.Sprintf("k%d", (c*7919+i)%1024), value, "")
				cancel()
				switch {
				case err == nil:
					mine = append(mine, time.Since(t0))
				case errors.Is(err, errUnknown):
					unknown++
				default:
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			lats = append(lats, mine...)
			res.unknown += unknown
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	if len(errs) > 0 {
		return res, errs[0]
	}
	res.commits = len(lats)
	if len(lats) > 0 {
		slices.Sort(lats)
		res.p50 = lats[len(lats)/2]
		res.p99 = lats[min(len(lats)-1, len(lats)*99/100)]
		res.max = lats[len(lats)-1]
	}
	return res, nil
}

// bench runs kvnode bench.
func bench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kvnode bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := os.Getenv("KVNODE_NODES")
	if def == "" {
		def = defaultNodes
	}
	nodes := fs.String("nodes", def, "the nodes' client addresses (host:port), comma-separated")
	tlsDir := fs.String("tls", "", "directory of the cluster's certificates, for a cluster started with -tls")
	clients := fs.String("clients", "1,16,64", "closed-loop clients, comma-separated: one measurement each")
	d := fs.Duration("duration", 5*time.Second, "length of each measurement")
	size := fs.Int("size", 16, "bytes per value")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	var counts []int
	for _, s := range splitList(*clients) {
		var c int
		if _, err := fmt.Sscan(s, &c); err != nil || c < 1 || c > 1024 {
			fmt.Fprintf(stderr, "kvnode bench: -clients: %q is not a number of clients in 1..1024\n", s)
			return exitUsage
		}
		counts = append(counts, c)
	}
	if fs.NArg() > 0 || *d <= 0 || *size < 0 {
		fmt.Fprintln(stderr, "kvnode bench: want a positive -duration, -size ≥ 0 and no arguments")
		return exitUsage
	}
	fmt.Fprintf(stdout, "%-8s %10s %10s %10s %10s %8s\n", "clients", "commits/s", "p50", "p99", "max", "unknown")
	for _, c := range counts {
		r, err := runBench(context.Background(), splitList(*nodes), *tlsDir, c, *d, *size)
		if err != nil {
			fmt.Fprintf(stderr, "kvnode bench: %d clients: %v\n", c, err)
			return exitFail
		}
		fmt.Fprintf(stdout, "%-8d %10.0f %10v %10v %10v %8d\n", c, r.rate(), r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.max.Round(100*time.Microsecond), r.unknown)
	}
	return exitOK
}
