package traces

import (
	"strings"
	"unicode/utf8"
)

// The diagram writes its labels in a monospace font (the page's CSS names
// the usual ones), so that their widths are known here, before a browser
// draws them: every layout decision (column widths, wrapping, where a
// message's label goes) rests on these bounds, and the browser test
// measures the result.
const (
	labelSize = 11.0 // font size of marks' and arrows' labels, px
	lineH     = 14.0 // height of one line of a label: above the font's ascent plus descent
	// An ASCII character of a monospace font is 0.6 em wide (DejaVu Sans
	// Mono, Menlo, Liberation Mono; Consolas 0.55); any other character
	// (→, ✗, …) may come from a fallback font, so it counts a full em.
	asciiEm = 0.62
	otherEm = 1.0
)

// textWidth bounds from above the width of s drawn in the diagram's
// monospace font at size px.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf {
			w += asciiEm * size
		} else {
			w += otherEm * size
		}
	}
	return w
}

// wrap breaks s into lines no wider than width px (at size px): after a
// space or a comma where it can, inside a word only when the word alone is
// wider than a line.
func wrap(s string, width, size float64) []string {
	if s == "" {
		return nil
	}
	if textWidth(s, size) <= width {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, word := range words(s) {
		switch {
		case textWidth(line+word, size) <= width:
			line += word
		case line != "" && textWidth(word, size) <= width:
			lines = append(lines, strings.TrimRight(line, " "))
			line = word
		default:
			// A word wider than a line: fill the line, then cut it.
			for _, r := range word {
				if line != "" && textWidth(line+string(r), size) > width {
					lines = append(lines, strings.TrimRight(line, " "))
					line = ""
				}
				line += string(r)
			}
		}
	}
	if strings.TrimSpace(line) != "" {
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}

// words splits s after each space and comma, keeping them: joined, the
// words give s back.
func words(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == ' ' || r == ',' {
			out = append(out, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// widest is the width of the widest of lines.
func widest(lines []string, size float64) float64 {
	w := 0.0
	for _, l := range lines {
		w = max(w, textWidth(l, size))
	}
	return w
}
