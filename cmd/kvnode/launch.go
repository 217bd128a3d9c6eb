package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/distsys/distsys/impl"
)

// launch runs kvnode cluster: N node processes on 127.0.0.1, each with its
// data directory under -dir, until SIGINT or SIGTERM, then stops them
// (SIGTERM, then SIGKILL after five seconds).
func launch(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kvnode cluster", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 3, "number of nodes")
	dir := fs.String("dir", "kvnode-cluster", "directory for the nodes' data directories (n0, n1, …) and certificates")
	base := fs.Int("base-port", 7000, "node i listens for peers on base-port+i and for clients on base-port+100+i")
	cluster := fs.String("cluster", "demo", "cluster name")
	useTLS := fs.Bool("tls", false, "mutual TLS everywhere, with certificates made for the cluster in DIR/certs")
	election := fs.Duration("election", 300*time.Millisecond, "election timeout of every node")
	heartbeat := fs.Duration("heartbeat", 50*time.Millisecond, "heartbeat period of every node")
	pipeline := fs.Int("pipeline", 0, "every node's pipelining window (kvnode serve -pipeline; 0: off)")
	batch := fs.Bool("batch", false, "every node batches client requests when it leads (kvnode serve -batch)")
	memStore := fs.Bool("memstore", false, "every node keeps its state in memory only (for measuring the transport; unsafe across restarts)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "kvnode cluster: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	case *n < 1 || *n > 16:
		fmt.Fprintf(stderr, "kvnode cluster: -n %d: want 1..16 nodes\n", *n)
		return exitUsage
	case *pipeline < 0:
		fmt.Fprintf(stderr, "kvnode cluster: -pipeline %d: want 0 (off) or a window of 1 or more entries\n", *pipeline)
		return exitUsage
	case *base < 1 || *base+100+*n > 65535:
		fmt.Fprintf(stderr, "kvnode cluster: -base-port %d: the ports would run past 65535\n", *base)
		return exitUsage
	}
	var peers, apis []string
	for i := range *n {
		peers = append(peers, fmt.Sprintf("127.0.0.1:%d", *base+i))
		apis = append(apis, fmt.Sprintf("127.0.0.1:%d", *base+100+i))
	}
	for _, a := range append(append([]string{}, peers...), apis...) {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			fmt.Fprintf(stderr, "kvnode cluster: port %s is taken (%v): choose another -base-port\n", a, opErr(err))
			return exitUsage
		}
		ln.Close()
	}
	certDir := ""
	if *useTLS {
		certDir = filepath.Join(*dir, "certs")
		if _, err := os.Stat(filepath.Join(certDir, impl.CAFile)); err != nil {
			if err := impl.GenerateCerts(certDir, *cluster, *n, nil); err != nil {
				fmt.Fprintf(stderr, "kvnode cluster: certificates: %v\n", err)
				return exitUsage
			}
		}
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "kvnode cluster: %v\n", err)
		return exitFail
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	type child struct {
		cmd  *exec.Cmd
		done chan error
	}
	var children []*child
	exited := make(chan int, *n)
	for i := range *n {
		a := []string{"serve", "-id", fmt.Sprint(i), "-peers", strings.Join(peers, ","), "-apis", strings.Join(apis, ","),
			"-data", filepath.Join(*dir, fmt.Sprintf("n%d", i)), "-cluster", *cluster,
			"-election", election.String(), "-jitter", election.String(), "-heartbeat", heartbeat.String()}
		if certDir != "" {
			a = append(a, "-tls", certDir)
		}
		if *memStore {
			a = append(a, "-memstore")
		}
		if *pipeline != 0 {
			a = append(a, "-pipeline", fmt.Sprint(*pipeline))
		}
		if *batch {
			a = append(a, "-batch")
		}
		cmd := exec.Command(self, a...)
		cmd.Stdout, cmd.Stderr = stderr, stderr
		cmd.SysProcAttr = childAttr()
		if err := cmd.Start(); err != nil {
			fmt.Fprintf(stderr, "kvnode cluster: start node %d: %v\n", i, err)
			for _, c := range children {
				c.cmd.Process.Kill()
				<-c.done
			}
			return exitFail
		}
		c := &child{cmd: cmd, done: make(chan error, 1)}
		go func() { err := cmd.Wait(); c.done <- err; exited <- i }()
		children = append(children, c)
	}
	scheme := "http"
	curlTLS := ""
	if certDir != "" {
		scheme = "https"
		curlTLS = fmt.Sprintf(" --cacert %[1]s/ca.pem --cert %[1]s/client.pem --key %[1]s/client-key.pem", certDir)
	}
	fmt.Fprintf(stdout, "cluster %s: %d nodes on 127.0.0.1, data in %s\n", *cluster, *n, *dir)
	for i := range *n {
		fmt.Fprintf(stdout, "  n%d  peers %s  clients %s://%s  (pid %d)\n", i, peers[i], scheme, apis[i], children[i].cmd.Process.Pid)
	}
	tlsFlag := ""
	if certDir != "" {
		tlsFlag = " -tls " + certDir
	}
	fmt.Fprintf(stdout, "try, in another terminal:\n  export KVNODE_NODES=%s\n  kvnode put%s greeting hello\n  kvnode get%s greeting\n  kvnode status%s\n  curl -sL%s -X PUT -d hello %s://%s/kv/greeting\n  kill -9 %d   # a node; the others go on\nCtrl-C stops the cluster.\n",
		strings.Join(apis, ","), tlsFlag, tlsFlag, tlsFlag, curlTLS, scheme, apis[0], children[0].cmd.Process.Pid)
	code := exitOK
	running := *n
wait:
	for running > 0 {
		select {
		case <-ctx.Done():
			break wait
		case i := <-exited:
			running--
			err := <-children[i].done
			children[i].done <- err
			var ee *exec.ExitError
			if errors.As(err, &ee) && ee.ExitCode() == exitUsage {
				fmt.Fprintf(stderr, "kvnode cluster: node %d refused to start (see its line above): stopping the others\n", i)
				code = exitUsage
				break wait
			}
			fmt.Fprintf(stderr, "kvnode cluster: node %d exited (%v); the others go on. To start it again:\n  %s %s\n",
				i, err, self, strings.Join(children[i].cmd.Args[1:], " "))
		}
	}
	if running == 0 {
		fmt.Fprintln(stderr, "kvnode cluster: every node has exited")
		code = exitFail
	}
	for _, c := range children {
		c.cmd.Process.Signal(syscall.SIGTERM) // an exited node's error is ignored
	}
	for i, c := range children {
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			fmt.Fprintf(stderr, "kvnode cluster: node %d did not stop within 5 s: killed\n", i)
			c.cmd.Process.Kill()
			<-c.done
		}
	}
	fmt.Fprintf(stdout, "cluster %s stopped; its state is in %s (the same command starts it again)\n", *cluster, *dir)
	return code
}

// certs runs kvnode certs.
func certs(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kvnode certs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "directory to write the certificates to (must not hold any)")
	n := fs.Int("n", 3, "number of nodes")
	cluster := fs.String("cluster", "demo", "cluster name")
	hosts := fs.String("hosts", "", "more host names or addresses the certificates are valid for, comma-separated (127.0.0.1, ::1 and localhost always are)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if *dir == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "kvnode certs: want -dir DIR (and no arguments)")
		return exitUsage
	}
	var hs []string
	if *hosts != "" {
		hs = splitList(*hosts)
	}
	if err := impl.GenerateCerts(*dir, *cluster, *n, hs); err != nil {
		fmt.Fprintf(stderr, "kvnode certs: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "certificates of cluster %s in %s: %s, %s.pem … %s.pem, %s.pem (keys in *-key.pem)\n",
		*cluster, *dir, impl.CAFile, impl.NodeCertName(0), impl.NodeCertName(*n-1), impl.ClientName)
	return exitOK
}
