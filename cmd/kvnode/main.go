// Command kvnode runs the Raft key-value store as real processes: each
// node its own OS process, nodes talking over TCP (mutual TLS optional),
// clients over HTTP/JSON. The replication is spec/raft's Step — the very
// functions the model checker explores — driven by the generic runtime
// (impl) with a TCP transport and a disk store; the key-value map on top
// is applied by every node to its committed log.
//
//	kvnode serve   -id I -peers A0,A1,... -data DIR [-http ADDR] [-apis H0,H1,...] [-listen ADDR] [-cluster NAME] [-tls DIR] [timers]
//	kvnode cluster [-n 3] [-dir DIR] [-base-port 7000] [-tls]      start N nodes on 127.0.0.1; Ctrl-C stops them
//	kvnode put     -nodes H0,H1,... KEY VALUE
//	kvnode get     -nodes H0,H1,... KEY
//	kvnode cas     -nodes H0,H1,... KEY OLD NEW
//	kvnode status  -nodes H0,H1,...
//	kvnode certs   -dir DIR -n N [-cluster NAME]                  a certificate authority and certificates for a local cluster
//	kvnode bench   -nodes H0,H1,... [-clients 1,16,64] [-duration 5s]   commits/s and latency of closed-loop clients
//	kvnode trace   -o FILE DIR...                                  the nodes' journals merged into one trace (modelcheck viz draws it)
//
// Exit codes: 0 ok, 1 an operation failed (a cas that found another
// value, a key not found, no node answered), 2 usage or input error —
// one line on stderr, before anything is written.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usage = `kvnode: the Raft key-value store as real processes on TCP

usage:
  kvnode serve   -id I -peers A0,A1,... -data DIR [-http ADDR] [-apis H0,H1,...] [flags]
  kvnode cluster [-n 3] [-dir DIR] [-base-port 7000] [-tls]
  kvnode put     -nodes H0,H1,... KEY VALUE
  kvnode get     -nodes H0,H1,... KEY
  kvnode cas     -nodes H0,H1,... KEY OLD NEW
  kvnode status  -nodes H0,H1,...
  kvnode certs   -dir DIR -n N [-cluster NAME]
  kvnode bench   -nodes H0,H1,... [-clients 1,16,64] [-duration 5s] [-tls DIR]
  kvnode trace   -o FILE DIR...

'kvnode CMD -h' lists a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "cluster":
		return launch(args[1:], stdout, stderr)
	case "put", "get", "cas", "status":
		return client(args[0], args[1:], stdout, stderr)
	case "certs":
		return certs(args[1:], stdout, stderr)
	case "bench":
		return bench(args[1:], stdout, stderr)
	case "trace":
		return traceCmd(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "kvnode: unknown command %q (want serve, cluster, put, get, cas, status, certs, bench or trace)\n", args[0])
	return exitUsage
}
