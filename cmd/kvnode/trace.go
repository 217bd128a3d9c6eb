package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec/raft"
	"github.com/distsys/distsys/traces"
)

// traceCmd runs kvnode trace: it merges the journals in the nodes' data
// directories into one trace of the cluster's run (impl.MergeJournals),
// which modelcheck viz draws.
func traceCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kvnode trace", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "file to write the trace to (JSON, the trace format of modelcheck)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	dirs := fs.Args()
	if *out == "" || len(dirs) == 0 {
		fmt.Fprintln(stderr, "kvnode trace: want -o FILE and every node's data directory")
		return exitUsage
	}
	var (
		paths   []string
		cluster string
		nodes   int
		seen    = map[int]bool{}
	)
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, impl.ManifestFile))
		var m impl.DataManifest
		if err == nil {
			err = json.Unmarshal(data, &m)
		}
		if err != nil || m.Protocol != protocolName {
			fmt.Fprintf(stderr, "kvnode trace: %s is not a kvnode data directory (%s)\n", dir, impl.ManifestFile)
			return exitUsage
		}
		if cluster == "" {
			cluster, nodes = m.Cluster, m.Nodes
		}
		if m.Cluster != cluster || m.Nodes != nodes || seen[m.Params["node"]] {
			fmt.Fprintf(stderr, "kvnode trace: %s holds node %d of cluster %s (%d nodes), which does not fit with %s's cluster %s of %d nodes or repeats a node\n",
				dir, m.Params["node"], m.Cluster, m.Nodes, dirs[0], cluster, nodes)
			return exitUsage
		}
		seen[m.Params["node"]] = true
		paths = append(paths, filepath.Join(dir, journalFile))
	}
	proto, err := raft.New(raft.RuntimeParams(nodes))
	if err != nil {
		fmt.Fprintf(stderr, "kvnode trace: %v\n", err)
		return exitUsage
	}
	run, err := impl.MergeJournals(proto, paths...)
	if err != nil {
		fmt.Fprintf(stderr, "kvnode trace: %v\n", err)
		return exitFail
	}
	t := run.Trace(impl.TraceHeader{Protocol: "raft", Params: map[string]int{"n": nodes},
		Settings: fmt.Sprintf("kvnode cluster %s: %d node processes over TCP, merged from %d journals", cluster, nodes, len(paths))})
	if err := traces.WriteFile(*out, t); err != nil {
		fmt.Fprintf(stderr, "kvnode trace: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: %d events of %d node processes (%d steps, %d crashes); draw it with: modelcheck viz %s\n",
		*out, len(t.Events), len(paths), run.Stats.Steps, run.Stats.Crashes, *out)
	return exitOK
}
