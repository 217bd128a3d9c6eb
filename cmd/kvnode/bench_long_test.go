//go:build long

package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBenchTCP measures commits per second and latency of closed-loop
// clients on three node processes on loopback, started by kvnode cluster
// afresh for each row (the log's length weighs on every save), without
// and with TLS, at 1, 16 and 64 clients, and prints the table the README
// shows, with each node's state on disk (fsync'd) and in memory
// (-memstore: the transport's own cost). It asserts only that every row
// committed something. Each configuration runs twice: the course's
// replication, and pipelined (-pipeline 256) with batching (-batch).
func TestBenchTCP(t *testing.T) {
	d := 3 * time.Second
	var rows []string
	for _, repl := range []string{"course", "pipelined+batch"} {
		for _, store := range []string{"disk", "memory"} {
			for _, useTLS := range []bool{false, true} {
				for _, clients := range []int{1, 16, 64} {
					env := newDemoEnv(t)
					line := "./kvnode cluster -n 3 -dir /tmp/kvbench" + strconv.Itoa(clients)
					if repl != "course" {
						line += " -pipeline 256 -batch"
					}
					tlsDir := ""
					if store == "memory" {
						line += " -memstore"
					}
					if useTLS {
						line += " -tls"
						tlsDir = env.apply("/tmp/kvbench" + strconv.Itoa(clients) + "/certs")
					}
					c := env.background(t, line, "-base-port", strconv.Itoa(env.base))
					c.waitOutput(t, "Ctrl-C stops the cluster.", 10*time.Second)
					nodes := []string{env.apply("127.0.0.1:7100"), env.apply("127.0.0.1:7101"), env.apply("127.0.0.1:7102")}
					r, err := runBench(context.Background(), nodes, tlsDir, clients, d, 16)
					if err != nil {
						t.Fatalf("tls %v, %d clients: %v", useTLS, clients, err)
					}
					c.interrupt(t, 10*time.Second)
					if r.commits == 0 {
						t.Fatalf("tls %v, %d clients: nothing committed", useTLS, clients)
					}
					rows = append(rows, fmt.Sprintf("| %s | %s | %v | %d | %.0f | %v | %v | %d |", repl, store, useTLS, clients, r.rate(),
						r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.commits))
				}
			}
		}
	}
	t.Logf("3 processes on loopback, %v per row:\n| replication | store | TLS | clients | commits/s | p50 | p99 | commits |\n|---|---|---|---|---|---|---|---|\n%s", d, strings.Join(rows, "\n"))
}
