package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// kvnodeBinary builds this command once per test binary, with go build,
// into a temporary directory removed when the tests end.
func kvnodeBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "kvnode-bin"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "kvnode")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// freeAddrs returns n loopback addresses whose ports were free a moment
// ago.
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		out = append(out, ln.Addr().String())
	}
	for _, ln := range lns {
		ln.Close()
	}
	return out
}

// proc is one node process.
type proc struct {
	cmd    *exec.Cmd
	done   chan struct{}
	err    error
	killed bool // by the harness: its exit is expected
	paused bool
}

// harness runs n node processes on loopback, node i's messages to node j
// through proxies[i][j]; every process is ended by the test.
type harness struct {
	t         *testing.T
	bin       string
	n         int
	dir       string
	listen    []string // where node i accepts peers
	http      []string // where node i serves clients
	proxies   [][]*impl.Proxy
	extraArgs []string

	mu    sync.Mutex
	procs []*proc
}

func newHarness(t *testing.T, n int, seed uint64, extra ...string) *harness {
	t.Helper()
	h := &harness{t: t, bin: kvnodeBinary(t), n: n, dir: t.TempDir(), extraArgs: extra, procs: make([]*proc, n)}
	// The proxies take their ports first, then the nodes' ports are
	// chosen: a port freed for a node cannot go to a proxy.
	h.listen = make([]string, n)
	h.proxies = make([][]*impl.Proxy, n)
	for i := range n {
		h.proxies[i] = make([]*impl.Proxy, n)
		for j := range n {
			if i == j {
				continue
			}
			p, err := impl.NewProxy("127.0.0.1:0", "", seed*64+uint64(i*n+j))
			if err != nil {
				t.Fatal(err)
			}
			h.proxies[i][j] = p
		}
	}
	addrs := freeAddrs(t, 2*n)
	h.listen, h.http = addrs[:n], addrs[n:]
	for i := range n {
		for j := range n {
			if i != j {
				h.proxies[i][j].SetTarget(h.listen[j])
			}
		}
	}
	t.Cleanup(h.cleanup)
	for i := range n {
		h.start(i)
	}
	return h
}

// args are node i's command line.
func (h *harness) args(i int) []string {
	var peers []string
	for j := range h.n {
		if j == i {
			peers = append(peers, h.listen[i])
		} else {
			peers = append(peers, h.proxies[i][j].Addr())
		}
	}
	a := []string{"serve", "-id", fmt.Sprint(i), "-peers", strings.Join(peers, ","), "-listen", h.listen[i],
		"-apis", strings.Join(h.http, ","), "-data", filepath.Join(h.dir, fmt.Sprintf("n%d", i)), "-cluster", "fault"}
	return append(a, h.extraArgs...)
}

// start starts node i (again), its output appended to its log file.
func (h *harness) start(i int) {
	h.t.Helper()
	f, err := os.OpenFile(h.logPath(i), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		h.t.Fatal(err)
	}
	cmd := exec.Command(h.bin, h.args(i)...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		h.t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	h.mu.Lock()
	h.procs[i] = p
	h.mu.Unlock()
}

func (h *harness) logPath(i int) string { return filepath.Join(h.dir, fmt.Sprintf("n%d.log", i)) }

func (h *harness) dataDir(i int) string { return filepath.Join(h.dir, fmt.Sprintf("n%d", i)) }

// logTail is the end of node i's log, for a failure message.
func (h *harness) logTail(i int) string {
	data, _ := os.ReadFile(h.logPath(i))
	if len(data) > 3000 {
		data = data[len(data)-3000:]
	}
	return string(data)
}

func (h *harness) proc(i int) *proc {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.procs[i]
}

// kill sends node i SIGKILL and waits for it to end.
func (h *harness) kill(i int) {
	p := h.proc(i)
	p.killed = true
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// pause and resume send SIGSTOP and SIGCONT.
func (h *harness) pause(i int) {
	p := h.proc(i)
	p.paused = true
	p.cmd.Process.Signal(syscall.SIGSTOP)
}

func (h *harness) resume(i int) {
	p := h.proc(i)
	p.paused = false
	p.cmd.Process.Signal(syscall.SIGCONT)
}

// exited returns a node that ended without the harness killing it.
func (h *harness) exited() (int, bool) {
	for i := range h.n {
		p := h.proc(i)
		select {
		case <-p.done:
			if !p.killed {
				return i, true
			}
		default:
		}
	}
	return 0, false
}

// stop ends every node with SIGTERM (SIGCONT first), waiting up to five
// seconds each, and reports the nodes that did not exit cleanly.
func (h *harness) stop() error {
	var bad []string
	for i := range h.n {
		p := h.proc(i)
		if p.killed {
			continue
		}
		p.cmd.Process.Signal(syscall.SIGCONT)
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	for i := range h.n {
		p := h.proc(i)
		if p.killed {
			continue
		}
		select {
		case <-p.done:
			if p.err != nil {
				bad = append(bad, fmt.Sprintf("node %d: %v", i, p.err))
			}
		case <-time.After(5 * time.Second):
			p.cmd.Process.Kill()
			<-p.done
			bad = append(bad, fmt.Sprintf("node %d did not stop within 5 s", i))
		}
		p.killed = true
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return nil
}

// cleanup kills whatever still runs and closes the proxies.
func (h *harness) cleanup() {
	for i := range h.n {
		if p := h.proc(i); p != nil {
			select {
			case <-p.done:
			default:
				p.cmd.Process.Kill()
				<-p.done
			}
		}
	}
	for i := range h.proxies {
		for _, p := range h.proxies[i] {
			if p != nil {
				p.Close()
			}
		}
	}
}
