package traces_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// browser is headless Chromium driven over the DevTools protocol through a
// pipe (--remote-debugging-pipe: commands on fd 3, replies on fd 4), so a
// test can press keys and click like a person and read the page back.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	in      *os.File
	out     *bufio.Reader
	id      int
	session string
}

// shared is the one Chromium the package's tests drive in turn: starting
// Chromium costs more than a second of CPU, the pages themselves little.
// TestMain stops it.
var shared struct {
	b    *browser
	stop func()
}

// TestMain runs the tests, then stops the shared browser.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared.stop != nil {
		shared.stop()
	}
	os.Exit(code)
}

// openBrowser gives t the package's Chromium (starting it the first
// time), attached to its page, with url loaded. Tests that use it must not
// run in parallel: there is one page.
func openBrowser(t *testing.T, bin, url string) *browser {
	t.Helper()
	if b := shared.b; b != nil && b.cmd.ProcessState == nil {
		b.t = t
		b.navigate(url)
		return b
	}
	b := startBrowser(t, bin)
	b.navigate(url)
	return b
}

// startBrowser starts Chromium and attaches to its page.
func startBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	replyR, replyW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: the browser outlives the test that started it, and
	// Chromium's helper processes may still write into their profile for
	// a moment after the browser is killed.
	profile, err := os.MkdirTemp("", "cdp-profile-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
		"--window-size=1400,1000", "--remote-debugging-pipe", "--user-data-dir="+profile, "about:blank")
	cmd.ExtraFiles = []*os.File{cmdR, replyW} // fd 3, fd 4
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	cmdR.Close()
	replyW.Close()
	b := &browser{t: t, cmd: cmd, in: cmdW, out: bufio.NewReader(replyR)}
	shared.b = b
	shared.stop = func() {
		b.in.Close()
		cancel()
		cmd.Wait()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	var targets struct {
		TargetInfos []struct{ TargetID, Type string } `json:"targetInfos"`
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		b.call("Target.getTargets", nil, &targets)
		page := ""
		for _, ti := range targets.TargetInfos {
			if ti.Type == "page" {
				page = ti.TargetID
			}
		}
		if page != "" {
			var att struct{ SessionID string }
			b.call("Target.attachToTarget", map[string]any{"targetId": page, "flatten": true}, &att)
			b.session = att.SessionID
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("chromium opened no page")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return b
}

// navigate loads url in the page and waits until it has loaded.
func (b *browser) navigate(url string) {
	b.t.Helper()
	b.call("Page.navigate", map[string]any{"url": url}, nil)
	for deadline := time.Now().Add(20 * time.Second); ; {
		at := b.eval(`location.href.split("#")[0] + " " + document.readyState`)
		if at == url+" complete" {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the page did not load: %s", at)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// call sends one command and decodes its result into result (if not nil).
func (b *browser) call(method string, params any, result any) {
	b.t.Helper()
	b.id++
	msg := map[string]any{"id": b.id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if b.session != "" && !strings.HasPrefix(method, "Target.") {
		msg["sessionId"] = b.session
	}
	data, _ := json.Marshal(msg)
	// A browser that stops answering is killed, so the read below fails
	// the test instead of hanging the package.
	watchdog := time.AfterFunc(60*time.Second, func() { b.cmd.Process.Kill() })
	defer watchdog.Stop()
	if _, err := b.in.Write(append(data, 0)); err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	for {
		line, err := b.out.ReadBytes(0)
		if err != nil {
			b.t.Fatalf("%s: %v", method, err)
		}
		var reply struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct{ Message string }
		}
		if err := json.Unmarshal(line[:len(line)-1], &reply); err != nil {
			b.t.Fatal(err)
		}
		if reply.ID != b.id {
			continue // an event, or a reply to nothing we wait for
		}
		if reply.Error != nil {
			b.t.Fatalf("%s: %s", method, reply.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(reply.Result, result); err != nil {
				b.t.Fatal(err)
			}
		}
		return
	}
}

// eval evaluates a JavaScript expression in the page and returns its
// value, as text.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	var r struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct{ Text string } `json:"exceptionDetails"`
	}
	b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r)
	if r.ExceptionDetails != nil {
		b.t.Fatalf("%s: %s", expr, r.ExceptionDetails.Text)
	}
	if s, ok := r.Result.Value.(string); ok {
		return s
	}
	return fmt.Sprint(r.Result.Value)
}

// press types one key, as a keyboard does: down, then up.
func (b *browser) press(key, code string, keyCode int) {
	b.t.Helper()
	for _, typ := range []string{"keyDown", "keyUp"} {
		b.call("Input.dispatchKeyEvent", map[string]any{"type": typ, "key": key, "code": code, "windowsVirtualKeyCode": keyCode}, nil)
	}
}

// click presses and releases the left button at the centre of the first
// element matching selector, as a mouse does.
func (b *browser) click(selector string) {
	b.t.Helper()
	var at []float64
	pos := b.eval(fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.scrollIntoView({block: "center", inline: "center"});
		const r = el.getBoundingClientRect(); return JSON.stringify([r.x + r.width / 2, r.y + r.height / 2]); })()`, selector))
	if err := json.Unmarshal([]byte(pos), &at); err != nil || len(at) != 2 {
		b.t.Fatalf("%s: position %q", selector, pos)
	}
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		b.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": at[0], "y": at[1], "button": "left", "clickCount": 1}, nil)
	}
}

// screenshot saves what the page shows now as a PNG file.
func (b *browser) screenshot(path string) {
	b.t.Helper()
	var shot struct{ Data string }
	b.call("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
