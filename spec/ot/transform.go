package ot

import "strings"

// OpKind says what an operation does to the text.
type OpKind uint8

// The kinds of operations.
const (
	// Nop changes nothing: a delete whose character a concurrent delete
	// removed first becomes one.
	Nop OpKind = iota
	// Ins inserts Letter before index Pos (Pos = length appends).
	Ins
	// Del deletes the character at index Pos.
	Del
)

// Op is one edit of the shared text, by index. Author is the client
// that made it (the tie-break of two inserts at one index); ID names it
// (and the character it inserts) for the properties.
type Op struct {
	Kind   OpKind
	Pos    uint8
	Letter byte
	Author uint8
	ID     uint8
}

// Transform returns incoming rewritten to apply after concurrent, an
// operation on the same text that was applied first: indices at or after
// concurrent's shift by one. Of two inserts at one index, the one of the
// smaller author goes left. A delete of the character concurrent deleted
// too becomes a Nop.
func Transform(incoming, concurrent Op) Op {
	return transform(incoming, concurrent, none)
}

// Transform is the transformation the protocol applies: the package's
// Transform, or the mutant's broken one.
func (pr *Protocol) Transform(incoming, concurrent Op) Op {
	return transform(incoming, concurrent, pr.mu)
}

func transform(in, c Op, mu mutant) Op {
	switch {
	case mu == noTransform || in.Kind == Nop || c.Kind == Nop:
		return in
	case in.Kind == Ins && c.Kind == Ins:
		if in.Pos > c.Pos || in.Pos == c.Pos && (mu == noTieBreak || in.Author > c.Author) {
			in.Pos++
		}
	case in.Kind == Ins && c.Kind == Del:
		if in.Pos > c.Pos {
			in.Pos--
		}
	case in.Kind == Del && c.Kind == Ins:
		if in.Pos >= c.Pos {
			in.Pos++
		}
	case in.Kind == Del && c.Kind == Del:
		switch {
		case in.Pos > c.Pos:
			in.Pos--
		case in.Pos == c.Pos:
			in.Kind, in.Pos = Nop, 0
		}
	}
	return in
}

// Apply returns text after op. Correct transformations never make an
// index out of range; a broken one (a mutant) may, and then an insert
// goes at the end and a delete does nothing.
func Apply(text string, op Op) string {
	pos := min(int(op.Pos), len(text))
	switch {
	case op.Kind == Ins:
		return text[:pos] + string(op.Letter) + text[pos:]
	case op.Kind == Del && pos < len(text):
		return text[:pos] + text[pos+1:]
	}
	return text
}

// FormatOp is "ins(0,A)", "del(2)" or "nop", with the author as "@c1"
// when with is set.
func FormatOp(op Op, with bool) string {
	var b strings.Builder
	switch op.Kind {
	case Ins:
		b.WriteString("ins(" + itoa(int(op.Pos)) + "," + string(op.Letter) + ")")
	case Del:
		b.WriteString("del(" + itoa(int(op.Pos)) + ")")
	default:
		b.WriteString("nop")
	}
	if with {
		b.WriteString("@c" + itoa(int(op.Author)))
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
