package traces

import (
	"path/filepath"
	"strings"
	"testing"
)

// labelsOf lists every label of d with the box the layout gave it.
func labelsOf(d diagram) (texts []string, boxes []box) {
	add := func(t textShape) {
		if len(t.Lines) == 0 {
			return
		}
		var s []string
		for _, l := range t.Lines {
			s = append(s, l.Text)
		}
		texts, boxes = append(texts, strings.Join(s, " / ")), append(boxes, t.Box)
	}
	for _, l := range d.Lanes {
		add(l.Name)
	}
	for _, r := range d.Rows {
		add(r.Num)
	}
	add(d.End)
	if d.Violation != nil {
		add(*d.Violation)
	}
	for _, m := range d.Marks {
		add(m.Label)
	}
	for _, a := range d.Arrows {
		add(a.Label)
	}
	return texts, boxes
}

// TestGeometryKeepsLabelsApart lays out every saved counterexample (the
// gallery) and the test traces, and checks the boxes the layout reserved:
// no two labels meet, each lies inside the picture, none is cut short, and
// every message delivered, lost or dropped is named, along its arrow or at
// the mark that ends it. The browser test measures the same pages as
// drawn; this one runs without a browser.
func TestGeometryKeepsLabelsApart(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "catalog", "testdata", "counterexamples", "*.json"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	files = append(files, more...)
	if len(files) < 40 {
		t.Fatalf("only %d traces to lay out", len(files))
	}
	for _, f := range files {
		tr, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		l := tr.Layout()
		d := l.geometry()
		texts, boxes := labelsOf(d)
		frame := axisBox(0, 0, float64(d.Width), float64(d.Height))
		for i := range boxes {
			if !frame.holds(boxes[i]) {
				t.Errorf("%s: label %q leaves the %dx%d picture", name, texts[i], d.Width, d.Height)
			}
			if strings.Contains(texts[i], "…") {
				t.Errorf("%s: label %q is cut short", name, texts[i])
			}
			for j := range i {
				if boxes[i].overlaps(boxes[j]) {
					t.Errorf("%s: labels %q and %q meet", name, texts[j], texts[i])
				}
			}
		}
		marks := map[int]string{}
		for _, m := range d.Marks {
			for _, line := range m.Label.Lines {
				marks[m.Event] += line.Text + " "
			}
		}
		for _, a := range d.Arrows {
			if a.Fate == FateInFlight || len(a.Label.Lines) > 0 {
				continue
			}
			msg := l.Arrows[a.Index].Message
			if at := strings.Join(strings.Fields(marks[a.To]), " "); !strings.Contains(at, msg) {
				t.Errorf("%s: message %q has no label, and its end's mark says %q", name, msg, at)
			}
		}
	}
}

// TestWrapKeepsEveryCharacter: wrapping breaks lines at spaces and commas,
// never wider than asked unless a single character is, and loses nothing
// but the spaces it breaks at.
func TestWrapKeepsEveryCharacter(t *testing.T) {
	for _, c := range []struct {
		s     string
		width float64
		want  []string
	}{
		{"", 100, nil},
		{"short", 100, []string{"short"}},
		{"election, voted for n0 in t1, leader of t1", 150, []string{"election, voted for", "n0 in t1, leader of", "t1"}},
		{"LogRequest(t1 prefix=0/t0 commit=0 [v1@t1])", 120, []string{"LogRequest(t1", "prefix=0/t0", "commit=0 [v1@t1])"}},
		{"abcdefghijklmnopqrstuvwxyz", 70, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}},
	} {
		got := wrap(c.s, c.width, labelSize)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %v) = %q, want %q", c.s, c.width, got, c.want)
		}
		if strings.ReplaceAll(strings.Join(got, ""), " ", "") != strings.ReplaceAll(c.s, " ", "") {
			t.Errorf("wrap(%q, %v) = %q lost characters", c.s, c.width, got)
		}
		for _, line := range got {
			if textWidth(line, labelSize) > c.width {
				t.Errorf("wrap(%q, %v): line %q is %v wide", c.s, c.width, line, textWidth(line, labelSize))
			}
		}
	}
}
