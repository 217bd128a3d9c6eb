package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The README's demo commands, run as written on a fresh build: the blocks
// after the "kvnode-demo" markers of the section "Run it for real", with
// the README's ports moved to free ones and /tmp paths to the test's.

const repoRoot = "../.."

// readmeBlock returns the lines of the code block after marker.
func readmeBlock(t *testing.T, marker string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "<!-- kvnode-demo: "+marker+" -->\n```sh\n")
	if !ok {
		t.Fatalf("README.md has no block marked kvnode-demo: %s", marker)
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatalf("README.md: the block marked %s does not end", marker)
	}
	var out []string
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// demoEnv moves the README's addresses (ports 7000-7199) and /tmp paths.
type demoEnv struct {
	base int
	tmp  string
	bin  string
	env  []string
}

var readmePort = regexp.MustCompile(`127\.0\.0\.1:(7[01]\d\d)`)

func (d *demoEnv) apply(s string) string {
	s = readmePort.ReplaceAllStringFunc(s, func(a string) string {
		p, _ := strconv.Atoi(a[len("127.0.0.1:"):])
		return fmt.Sprintf("127.0.0.1:%d", d.base+p-7000)
	})
	return strings.ReplaceAll(s, "/tmp/", d.tmp+"/")
}

// newDemoEnv finds a base port with base..base+15 and base+100..base+115
// free.
func newDemoEnv(t *testing.T) *demoEnv {
	t.Helper()
	d := &demoEnv{tmp: t.TempDir(), bin: kvnodeBinary(t)}
	for range 50 {
		base := 20000 + rand.IntN(30000)
		ok := true
		for _, off := range []int{0, 1, 2, 100, 101, 102} {
			ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+off))
			if err != nil {
				ok = false
				break
			}
			ln.Close()
		}
		if ok {
			d.base = base
			return d
		}
	}
	t.Fatal("no free range of ports")
	return nil
}

// command turns a README line into a command: ./kvnode is the test's
// build, the rest is as written (addresses and paths moved).
func (d *demoEnv) command(line string) (*exec.Cmd, string) {
	line, comment, _ := strings.Cut(line, "#")
	want := ""
	if c := strings.TrimSpace(comment); strings.HasPrefix(c, "→ ") {
		want = strings.TrimPrefix(c, "→ ")
	}
	f := strings.Fields(d.apply(line))
	if f[0] == "./kvnode" {
		f[0] = d.bin
	}
	cmd := exec.Command(f[0], f[1:]...)
	cmd.Env = append(os.Environ(), d.env...)
	return cmd, want
}

// runClient runs the client block's commands, each to exit 0.
func (d *demoEnv) runClient(t *testing.T, lines []string) {
	t.Helper()
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, "export "); ok {
			d.env = append(d.env, d.apply(v))
			continue
		}
		cmd, want := d.command(l)
		if strings.HasPrefix(l, "curl ") {
			if _, err := exec.LookPath("curl"); err != nil {
				t.Logf("no curl here: %s not run", l)
				continue
			}
		}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\nstdout: %s\nstderr: %s", l, err, out.String(), errb.String())
		}
		if want != "" && strings.TrimSpace(out.String()) != want {
			t.Fatalf("%s printed %q, want %q", l, out.String(), want)
		}
		if strings.HasPrefix(l, "curl ") && !strings.Contains(out.String(), `"ok":true`) {
			t.Fatalf("%s: %s", l, out.String())
		}
	}
}

// background starts a README line and returns its process, with its
// output collected.
type bgProc struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
}

func (p *bgProc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *bgProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func (d *demoEnv) background(t *testing.T, line string, extra ...string) *bgProc {
	t.Helper()
	cmd, _ := d.command(line)
	cmd.Args = append(cmd.Args, extra...)
	p := &bgProc{cmd: cmd, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p, p
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	return p
}

// waitOutput waits until p printed s.
func (p *bgProc) waitOutput(t *testing.T, s string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(p.output(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("%q not printed within %v:\n%s", s, d, p.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// interrupt sends SIGINT and requires exit 0 within d.
func (p *bgProc) interrupt(t *testing.T, d time.Duration) {
	t.Helper()
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("%v after SIGINT: %v\n%s", p.cmd.Args, err, p.output())
		}
	case <-time.After(d):
		t.Fatalf("%v did not stop within %v of SIGINT\n%s", p.cmd.Args, d, p.output())
	}
}

// TestReadmeOneCommandDemo: kvnode cluster as the README starts it, the
// client commands as written, Ctrl-C; then the same command again finds
// the data where it was.
func TestReadmeOneCommandDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes for a few seconds")
	}
	t.Parallel()
	d := newDemoEnv(t)
	launch := readmeBlock(t, "cluster")
	if len(launch) != 2 || !strings.HasPrefix(launch[0], "go build -o kvnode ./cmd/kvnode") {
		t.Fatalf("the cluster block is %q: want the build and one kvnode cluster line", launch)
	}
	base := []string{"-base-port", strconv.Itoa(d.base)}
	c := d.background(t, launch[1], base...)
	c.waitOutput(t, "Ctrl-C stops the cluster.", 10*time.Second)
	d.runClient(t, readmeBlock(t, "client"))
	c.interrupt(t, 10*time.Second)
	if !strings.Contains(c.output(), "cluster demo stopped") {
		t.Fatalf("no stop line:\n%s", c.output())
	}
	again := d.background(t, launch[1], base...)
	again.waitOutput(t, "Ctrl-C stops the cluster.", 10*time.Second)
	d.runClient(t, []string{"./kvnode get greeting # → bye"})
	again.interrupt(t, 10*time.Second)
}

// TestReadmeThreeTerminalDemo: the three kvnode serve lines, the client
// commands; a follower answers a client who does not follow redirects
// with the leader's address; the leader killed with kill -9, the others go
// on; restarted, it catches up; SIGINT stops each.
func TestReadmeThreeTerminalDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes for a few seconds")
	}
	t.Parallel()
	d := newDemoEnv(t)
	lines := readmeBlock(t, "serve")
	if len(lines) != 3 {
		t.Fatalf("the serve block has %d lines, want 3", len(lines))
	}
	var nodes []*bgProc
	for _, l := range lines {
		nodes = append(nodes, d.background(t, l))
	}
	d.runClient(t, readmeBlock(t, "client"))
	k, _ := newKVClient([]string{d.apply("127.0.0.1:7100"), d.apply("127.0.0.1:7101"), d.apply("127.0.0.1:7102")}, "", time.Second)
	leader := -1
	for i := range 3 {
		if st, err := k.status(context.Background(), i); err == nil && st.Role == "leader" {
			leader = i
		}
	}
	if leader < 0 {
		t.Fatal("no leader after the client commands")
	}
	// A client talking to a follower without following redirects.
	follower := (leader + 1) % 3
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(fmt.Sprintf("http://%s/kv/greeting", k.nodes[follower]))
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusTemporaryRedirect || !strings.Contains(resp.Header.Get("Location"), k.nodes[leader]) ||
			!strings.Contains(string(body), fmt.Sprintf("does not lead; node %d does", leader)) {
			t.Fatalf("a follower answered %d, Location %q, %s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
	} else {
		t.Fatal(err)
	}
	nodes[leader].cmd.Process.Signal(syscall.SIGKILL)
	<-nodes[leader].done
	d.runClient(t, []string{"./kvnode put after kill", "./kvnode get after # → kill"})
	nodes[leader] = d.background(t, lines[leader])
	nodes[leader].waitOutput(t, "recovered term", 5*time.Second)
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := k.status(context.Background(), leader)
		if err == nil && st.Keys == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the restarted node did not catch up: %+v %v\n%s", st, err, nodes[leader].output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, n := range nodes {
		n.interrupt(t, 10*time.Second)
	}
}

// TestClusterTLS: kvnode cluster -tls makes the certificates and runs
// every connection over mutual TLS; a client with the cluster's
// certificate is answered, one without is refused at the handshake.
func TestClusterTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes for a few seconds")
	}
	t.Parallel()
	d := newDemoEnv(t)
	c := d.background(t, "./kvnode cluster -n 3 -tls -dir /tmp/kvtls", "-base-port", strconv.Itoa(d.base))
	c.waitOutput(t, "Ctrl-C stops the cluster.", 10*time.Second)
	if !strings.Contains(c.output(), "clients https://") {
		t.Fatalf("no https address printed:\n%s", c.output())
	}
	d.env = append(d.env, d.apply("KVNODE_NODES=127.0.0.1:7100,127.0.0.1:7101,127.0.0.1:7102"))
	d.runClient(t, []string{"./kvnode put -tls /tmp/kvtls/certs k v", "./kvnode get -tls /tmp/kvtls/certs k # → v"})
	// A client that trusts the cluster but has no certificate of its own.
	ca, err := os.ReadFile(filepath.Join(d.tmp, "kvtls", "certs", "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	anon := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := anon.Get("https://" + d.apply("127.0.0.1:7100") + "/status")
	if err == nil {
		resp.Body.Close()
		t.Fatalf("a client without a certificate was answered %s", resp.Status)
	}
	c.interrupt(t, 10*time.Second)
	if !strings.Contains(c.output(), "certificate") {
		t.Fatalf("the node logged nothing of the client it refused:\n%s", c.output())
	}
}

// TestClusterPipelinedAndBatching: kvnode cluster with -pipeline and
// -batch serves the README's client commands as the default cluster does.
func TestClusterPipelinedAndBatching(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes for a few seconds")
	}
	t.Parallel()
	d := newDemoEnv(t)
	c := d.background(t, "./kvnode cluster -n 3 -dir "+filepath.Join(d.tmp, "pipe")+" -pipeline 64 -batch", "-base-port", strconv.Itoa(d.base))
	c.waitOutput(t, "Ctrl-C stops the cluster.", 10*time.Second)
	d.runClient(t, readmeBlock(t, "client"))
	c.interrupt(t, 10*time.Second)
	if !strings.Contains(c.output(), "cluster demo stopped") {
		t.Fatalf("no stop line:\n%s", c.output())
	}
}
