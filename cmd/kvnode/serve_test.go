package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/impl"
)

// TestServeRefusesBadInput: a wrong peer list, a port in use, a data
// directory of another cluster or node — each is one line on stderr and
// exit 2, and the data directory is left as it was.
func TestServeRefusesBadInput(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	free := freeAddrs(t, 6)
	peers := strings.Join(free[:3], ",")
	apis := strings.Join(free[3:], ",")
	other := t.TempDir()
	m := impl.NewDataManifest(protocolName, 3, map[string]int{"n": 3, "node": 0}, "")
	m.Cluster = "other"
	if err := impl.ClaimDataDir(other, m); err != nil {
		t.Fatal(err)
	}
	otherNode := t.TempDir()
	m = impl.NewDataManifest(protocolName, 3, map[string]int{"n": 3, "node": 1}, "")
	m.Cluster = "demo"
	if err := impl.ClaimDataDir(otherNode, m); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"id out of range", []string{"-id", "3", "-peers", peers, "-apis", apis, "-data", fresh}, "node id 3 is not in the peer list of 3 nodes"},
		{"duplicate peer", []string{"-id", "0", "-peers", free[0] + "," + free[0] + "," + free[1], "-apis", apis, "-data", fresh}, "peers 0 and 1 have the same address"},
		{"no port", []string{"-id", "0", "-peers", "127.0.0.1," + free[1], "-http", free[3], "-data", fresh}, "is not a host:port"},
		{"apis count", []string{"-id", "0", "-peers", peers, "-apis", free[3], "-data", fresh}, "-apis has 1 addresses and -peers 3"},
		{"no data", []string{"-id", "0", "-peers", peers, "-apis", apis}, "-data is required"},
		{"peer port in use", []string{"-id", "0", "-peers", peers, "-apis", apis, "-listen", busy.Addr().String(), "-data", fresh}, "address already in use"},
		{"http port in use", []string{"-id", "0", "-peers", peers, "-http", busy.Addr().String(), "-data", fresh}, "address already in use"},
		{"another cluster", []string{"-id", "0", "-peers", peers, "-apis", apis, "-data", other}, "of cluster other, not of this run's raftkv on 3 nodes (n=3 node=0) of cluster demo"},
		{"another node", []string{"-id", "0", "-peers", peers, "-apis", apis, "-data", otherNode}, "node: 1 there, 0 here"},
		{"heartbeat", []string{"-id", "0", "-peers", peers, "-apis", apis, "-data", fresh, "-heartbeat", "1s"}, "is not below -election"},
		{"pipeline", []string{"-id", "0", "-peers", peers, "-apis", apis, "-data", fresh, "-pipeline", "-1"}, "-pipeline -1: want 0 (off)"},
		{"flush", []string{"-id", "0", "-peers", peers, "-apis", apis, "-data", fresh, "-batch", "-flush", "0s"}, "-flush 0s: want idle or a positive delay"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := listing(t, other)
			var out, errb bytes.Buffer
			code := run(append([]string{"serve"}, tc.args...), &out, &errb)
			msg := errb.String()
			if code != exitUsage || !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q: want exit 2 and one line with %q", code, msg, tc.want)
			}
			if _, err := os.Stat(fresh); err == nil {
				t.Fatalf("a refused start wrote %s", fresh)
			}
			if after := listing(t, other); after != before {
				t.Fatalf("the other cluster's directory changed: %s → %s", before, after)
			}
		})
	}
}

func listing(t *testing.T, dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		info, _ := e.Info()
		names = append(names, e.Name()+":"+info.ModTime().String())
	}
	return strings.Join(names, ",")
}

// TestMachineAppliesARetryOnce: a second copy of a request (same client
// and seq) in the log changes nothing and gets the first copy's result; an
// older request of the same client changes nothing.
func TestMachineAppliesARetryOnce(t *testing.T) {
	m := newMachine()
	put := `{"client":"c","seq":1,"op":"cas","key":"k","old":"","value":"x"}`
	if _, r, ok := m.apply(1, put); !ok || !r.OK || r.Value != "x" {
		t.Fatalf("first cas: %+v %v", r, ok)
	}
	if _, r, ok := m.apply(2, put); !ok || !r.OK || r.Index != 1 {
		t.Fatalf("its retry: %+v %v, want the first copy's result (ok, index 1)", r, ok)
	}
	if _, r, ok := m.apply(3, `{"client":"c","seq":2,"op":"put","key":"k","value":"y"}`); !ok || r.Value != "y" {
		t.Fatalf("put: %+v", r)
	}
	if _, _, ok := m.apply(4, put); ok {
		t.Fatal("an older request of the client was applied")
	}
	if _, r, _ := m.apply(5, `{"client":"d","seq":1,"op":"get","key":"k"}`); r.Value != "y" || !r.Found {
		t.Fatalf("get after the stale copy: %+v, want y", r)
	}
	if _, _, ok := m.apply(5, `{"client":"d","seq":2,"op":"get","key":"k"}`); ok {
		t.Fatal("an index applied twice")
	}
}
