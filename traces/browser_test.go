package traces_test

import (
	"context"
	"flag"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distsys/distsys/traces"
)

// long is set by long_test.go when the tests are built with -tags long.
var long bool

var shots = flag.String("shots", "", "keep the browser test's pages and screenshots in this directory, to look at")

// chromium finds headless Chromium, or skips the test loudly: without it
// the page has not been tested as a person sees it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("!!! SKIPPED: Chromium is not installed (apt-get install -y chromium; .ci/run installs it): the HTML page was NOT opened in a browser !!!")
	return ""
}

// browse runs headless Chromium on a page with extra arguments (one of
// --dump-dom or --screenshot=...), and returns what it printed.
func browse(t *testing.T, bin, url string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(),
	}, extra...)
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, stderr.String())
	}
	return string(out)
}

// TestHTMLInARealBrowser opens pages in headless Chromium: the DOM, after
// the page's script ran, has the expected lanes, arrows and marks; the
// event named in the address (as a click would) is selected, its state and
// clocks shown as text, later events faded; a state holding a script stays
// text; and a screenshot shows the diagram drawn (arrow blue and the
// violation's red present). -shots DIR keeps pages and screenshots.
func TestHTMLInARealBrowser(t *testing.T) {
	if !long {
		t.Skip("four Chromium runs, seconds each: run with go test -tags long (TestHTMLRespondsToKeysAndClicks opens a page in Chromium in the default set)")
	}
	bin := chromium(t)
	dir := *shots
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	quorum, err := traces.LoadFile(filepath.Join("testdata", "quorum-stale-read-w1-r2.json"))
	if err != nil {
		t.Fatal(err)
	}
	rich := richSample()
	hostile := `<script>document.body.dataset.pwned = "yes"</script> & <b>bold</b>`
	rich.Events[5].State = hostile
	cases := []struct {
		name  string
		tr    *traces.Trace
		pick  int // the event to select
		fates map[string]int
	}{
		{"rich", rich, 5, map[string]int{"delivered": 3, "dropped": 1, "lost": 1, "in-flight": 1}},
		{"quorum-stale-read", quorum, 11, map[string]int{"delivered": 6, "in-flight": 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			page := filepath.Join(dir, c.name+".html")
			f, err := os.Create(page)
			if err != nil {
				t.Fatal(err)
			}
			if err := traces.WriteHTML(f, c.tr); err != nil {
				t.Fatal(err)
			}
			f.Close()
			url := "file://" + page
			dom := browse(t, bin, fmt.Sprintf("%s#e%d", url, c.pick), "--dump-dom")
			checkDOM(t, dom, c.tr, c.pick, c.fates)
			png := filepath.Join(dir, c.name+".png")
			browse(t, bin, url, "--screenshot="+png, "--window-size=1400,1000")
			checkScreenshot(t, png, 1400, 1000)
		})
	}
}

func checkDOM(t *testing.T, dom string, tr *traces.Trace, pick int, fates map[string]int) {
	t.Helper()
	count := func(re string) int { return len(regexp.MustCompile(re).FindAllString(dom, -1)) }
	if got := count(`<g class="lane" data-lane="\d+"`); got != len(tr.Nodes) {
		t.Errorf("%d lanes, want %d", got, len(tr.Nodes))
	}
	for fate, want := range fates {
		if got := count(`data-fate="` + fate + `"`); got != want {
			t.Errorf("%d %s arrows, want %d", got, fate, want)
		}
	}
	if got := count(`<g class="mark [^"]*" data-index="\d+" data-event="\d+"`); got != len(tr.Events) {
		t.Errorf("%d marks, want one per event (%d)", got, len(tr.Events))
	}
	// The script ran: the picked event is selected and described.
	e := tr.Events[pick]
	if got := regexp.MustCompile(`<g class="mark [^"]*\bselected\b[^"]*" data-index="\d+" data-event="(\d+)"`).FindStringSubmatch(dom); got == nil || got[1] != fmt.Sprint(pick) {
		t.Errorf("selected mark %v, want event %d", got, pick)
	}
	later := 0
	for _, x := range tr.Events {
		if x.Step > e.Step {
			later++
		}
	}
	if got := count(`<g class="mark [^"]*\bfuture\b`); got != later {
		t.Errorf("%d marks faded, want the %d after step %d", got, later, e.Step)
	}
	want := map[string]string{
		"d-head":    fmt.Sprintf("step %d · %s · %s", e.Step, tr.Nodes[e.Node], e.Kind),
		"d-state":   e.State,
		"d-lamport": fmt.Sprint(e.Lamport),
	}
	for id, text := range want {
		m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]*)<`).FindStringSubmatch(dom)
		if m == nil || html.UnescapeString(m[1]) != text {
			t.Errorf("#%s shows %q, want %q", id, m, text)
		}
	}
	for i, v := range e.Vector {
		if !strings.Contains(dom, fmt.Sprintf("<th>%s</th>", tr.Nodes[i])) || !strings.Contains(dom, fmt.Sprintf("<td>%d</td>", v)) {
			t.Errorf("vector entry %s=%d not shown", tr.Nodes[i], v)
		}
	}
	if strings.Contains(dom, "pwned") && !strings.Contains(dom, "&lt;script&gt;document.body.dataset.pwned") {
		t.Errorf("a state's script ran or was inserted as markup")
	}
	if strings.Contains(dom, `data-pwned`) {
		t.Errorf("a state's script ran")
	}
}

// checkScreenshot decodes the screenshot and checks it shows a drawn
// diagram: the size asked for, arrows in the page's blue and the violation
// in its red.
func checkScreenshot(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("screenshot %v, want %dx%d", b, w, h)
	}
	blue := color.RGBA{0x1d, 0x4e, 0xd8, 0xff}
	red := color.RGBA{0xfd, 0xe2, 0xe2, 0xff} // the violating step's band
	if n := near(img, blue); n < 200 {
		t.Errorf("%d pixels of arrow blue: no arrows drawn?", n)
	}
	if n := near(img, red); n < 2000 {
		t.Errorf("%d pixels of the violation band's red: violating step not drawn?", n)
	}
}

// near counts the pixels within a small distance of colour c.
func near(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			d := abs(int(r>>8)-int(c.R)) + abs(int(g>>8)-int(c.G)) + abs(int(bl>>8)-int(c.B))
			if d < 24 {
				n++
			}
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestHTMLRespondsToKeysAndClicks drives the page in headless Chromium as
// a person would: the arrow keys, j, Home and End move the selection one
// event at a time and fade the later steps; clicking an event's mark, or a
// step in the list, selects it and shows its state.
func TestHTMLRespondsToKeysAndClicks(t *testing.T) {
	bin := chromium(t)
	tr := richSample()
	hostile := `<img src=x onerror="document.body.dataset.pwned = 1"> & more`
	tr.Events[5].State = hostile
	page := filepath.Join(t.TempDir(), "rich.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := traces.WriteHTML(f, tr); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b := openBrowser(t, bin, "file://"+page)
	selected := func() string { return b.eval(`document.getElementById("details").dataset.event`) }
	faded := func() string { return b.eval(`String(document.querySelectorAll("#diagram g.mark.future").length)`) }
	text := func(id string) string { return b.eval(fmt.Sprintf(`document.getElementById(%q).textContent`, id)) }
	expect := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	expect("at first, the violating event", selected(), "13")
	expect("at first, nothing faded", faded(), "0")
	b.press("ArrowLeft", "ArrowLeft", 37)
	expect("← selects", selected(), "12")
	expect("← heading", text("d-head"), "step 10 · system · stabilize")
	expect("← fades step 11", faded(), "1")
	b.press("Home", "Home", 36)
	expect("Home selects", selected(), "0")
	expect("Home fades every step after the start", faded(), "11")
	b.press("j", "KeyJ", 74)
	b.press("ArrowRight", "ArrowRight", 39)
	expect("j, → select", selected(), "2")
	b.press("End", "End", 35)
	expect("End selects", selected(), "13")
	b.click(`#diagram g.mark[data-event="5"] .dot`)
	expect("a click on a mark selects it", selected(), "5")
	expect("its state, as text", text("d-state"), hostile)
	expect("its Lamport time", text("d-lamport"), fmt.Sprint(tr.Events[5].Lamport))
	expect("the state's markup did not run", b.eval(`String(document.body.dataset.pwned)`), "undefined")
	b.click(`#steps li[data-step="7"]`)
	expect("a click on a step selects its event", selected(), "9")
	// m3 (sent at 1, delivered at 11) and m5 (sent at 1, lost at 8) are
	// on their way at step 7.
	expect("messages on their way", b.eval(`Array.from(document.querySelectorAll("#diagram g.arrow.pending")).map(g => g.dataset.to).sort().join(",")`), "10,13")
	expect("its heading", text("d-head"), "step 7 · n0 · timer")
	expect("the address names it", b.eval(`location.hash`), "#e9")
	if *shots != "" {
		b.eval(`window.scrollTo(0, 0)`)
		b.screenshot(filepath.Join(*shots, "rich-at-step-7.png"))
	}
}
