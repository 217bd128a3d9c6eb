// Package spectest holds the checks every protocol's tests run: that Step
// is deterministic and never mutates its argument, and that the canonical
// encodings tell states and messages apart exactly, over states reached by
// random executions (rapid shrinks any failure to a short one).
package spectest

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/distsys/distsys/spec"
)

// Pure checks with rapid (t is usually a *testing.T) that p's Step and
// Crash are deterministic and leave their argument untouched, on states
// reached by random executions: each execution starts every node, then
// takes up to maxSteps inputs drawn from the requests of work (any item,
// any choice), the messages sent so far, the timers set, the choices a
// spec.Chooser offers, and crashes followed by recoveries.
//
// It also checks that AppendState and AppendMsg are injective on every
// state and message an execution meets (initial, stepped and crashed
// states; messages sent, observed, requested, chosen, and a
// spec.Adversary's forgeries): two values with one encoding must be equal,
// and equal values must have one encoding. Equal means deeply equal: every
// field, exported or not, pointers followed, a nil slice or map equal to
// an empty one (Go's == would compare pointers, reflect.DeepEqual would
// tell nil from empty).
func Pure[S, M any](t rapid.TB, p spec.Protocol[S, M], work []spec.WorkItem[M], maxSteps int) {
	t.Helper()
	rapid.Check(t, func(rt *rapid.T) {
		n := p.Nodes()
		states := make([]S, n)
		timers := make([]map[spec.Timer]bool, n)
		type envelope struct {
			from, to spec.NodeID
			msg      M
		}
		seenStates := newInjective("AppendState", p.AppendState)
		seenMsgs := newInjective("AppendMsg", p.AppendMsg)
		var inflight []envelope
		apply := func(i spec.NodeID, in spec.Input[M]) {
			next, outs := checkStep(rt, p, states[i], in)
			states[i] = next
			seenStates.add(rt, next)
			for _, o := range outs {
				switch o.Kind {
				case spec.Send:
					if o.To < 0 || int(o.To) >= n {
						rt.Fatalf("node %d sends to node %d of %d", i, o.To, n)
					}
					inflight = append(inflight, envelope{i, o.To, o.Msg})
					seenMsgs.add(rt, o.Msg)
				case spec.SetTimer:
					timers[i][o.Timer] = true
				case spec.CancelTimer:
					delete(timers[i], o.Timer)
				case spec.Observe:
					seenMsgs.add(rt, o.Msg)
				}
			}
		}
		for _, w := range work {
			for _, c := range w.Choices {
				seenMsgs.add(rt, c)
			}
		}
		if adv, ok := p.(spec.Adversary[M]); ok {
			for i := range n {
				for j := range n {
					for _, f := range adv.Forgeries(spec.NodeID(i), spec.NodeID(j)) {
						seenMsgs.add(rt, f)
					}
				}
			}
		}
		for i := range n {
			states[i] = p.Init(spec.NodeID(i))
			seenStates.add(rt, states[i])
			timers[i] = map[spec.Timer]bool{}
			apply(spec.NodeID(i), spec.Input[M]{Kind: spec.Start})
		}
		chooser, _ := p.(spec.Chooser[S, M])
		steps := rapid.IntRange(0, maxSteps).Draw(rt, "steps")
		for range steps {
			kind := rapid.IntRange(0, 4).Draw(rt, "kind")
			switch {
			case kind == 4 && chooser != nil:
				i := spec.NodeID(rapid.IntRange(0, n-1).Draw(rt, "chooser"))
				choices := chooser.Choices(states[i])
				if len(choices) == 0 {
					continue
				}
				for _, c := range choices {
					seenMsgs.add(rt, c)
				}
				c := choices[rapid.IntRange(0, len(choices)-1).Draw(rt, "choice")]
				apply(i, spec.Input[M]{Kind: spec.Choose, Msg: c})
			case kind == 0 && len(inflight) > 0:
				k := rapid.IntRange(0, len(inflight)-1).Draw(rt, "message")
				e := inflight[k]
				inflight = append(inflight[:k:k], inflight[k+1:]...)
				apply(e.to, spec.Input[M]{Kind: spec.Receive, From: e.from, Msg: e.msg})
			case kind == 1 && len(work) > 0:
				w := work[rapid.IntRange(0, len(work)-1).Draw(rt, "request")]
				c := w.Choices[rapid.IntRange(0, len(w.Choices)-1).Draw(rt, "choice")]
				apply(w.Node, spec.Input[M]{Kind: spec.Request, Msg: c})
			case kind == 2:
				i := spec.NodeID(rapid.IntRange(0, n-1).Draw(rt, "node"))
				var set []spec.Timer
				for t := range 256 {
					if timers[i][spec.Timer(t)] {
						set = append(set, spec.Timer(t))
					}
				}
				if len(set) == 0 {
					continue
				}
				tm := set[rapid.IntRange(0, len(set)-1).Draw(rt, "timer")]
				delete(timers[i], tm)
				apply(i, spec.Input[M]{Kind: spec.Fire, Timer: tm})
			case kind == 3:
				i := spec.NodeID(rapid.IntRange(0, n-1).Draw(rt, "crash"))
				states[i] = checkCrash(rt, p, states[i])
				seenStates.add(rt, states[i])
				timers[i] = map[spec.Timer]bool{}
				apply(i, spec.Input[M]{Kind: spec.Recover})
			}
		}
	})
}

// checkStep runs Step twice on s and fails if the two runs differ or if s
// changed.
func checkStep[S, M any](rt *rapid.T, p spec.Protocol[S, M], s S, in spec.Input[M]) (S, []spec.Output[M]) {
	before := p.AppendState(nil, s)
	snapshot := deepCopy(s)
	s1, o1 := p.Step(s, in)
	unchanged(rt, p, s, snapshot, before, fmt.Sprintf("Step(%s)", in.Kind))
	s2, o2 := p.Step(s, in)
	if d := cmp.Diff(s1, s2, exportAll); d != "" {
		rt.Fatalf("Step(%s) is not deterministic: states differ (-first +second):\n%s", in.Kind, d)
	}
	if d := cmp.Diff(o1, o2, exportAll); d != "" {
		rt.Fatalf("Step(%s) is not deterministic: outputs differ (-first +second):\n%s", in.Kind, d)
	}
	if !bytes.Equal(p.AppendState(nil, s1), p.AppendState(nil, s2)) {
		rt.Fatalf("Step(%s): equal states encode differently", in.Kind)
	}
	return s1, o1
}

func checkCrash[S, M any](rt *rapid.T, p spec.Protocol[S, M], s S) S {
	before := p.AppendState(nil, s)
	snapshot := deepCopy(s)
	c1 := p.Crash(s)
	unchanged(rt, p, s, snapshot, before, "Crash")
	if d := cmp.Diff(c1, p.Crash(s), exportAll); d != "" {
		rt.Fatalf("Crash is not deterministic (-first +second):\n%s", d)
	}
	return c1
}

func unchanged[S, M any](rt *rapid.T, p spec.Protocol[S, M], s, snapshot S, before []byte, what string) {
	if d := cmp.Diff(snapshot, s, exportAll); d != "" {
		rt.Fatalf("%s mutated its argument (-before +after):\n%s", what, d)
	}
	if !bytes.Equal(before, p.AppendState(nil, s)) {
		rt.Fatalf("%s mutated its argument: its encoding changed", what)
	}
}

// injective keeps the values of one type an execution met, both by
// encoding and by value, and fails as soon as the encoding does not tell
// them apart exactly.
type injective[T any] struct {
	what    string
	encode  func([]byte, T) []byte
	byBytes map[string]T      // encoding → the first value met with it
	byValue map[string]string // value (see valueKey) → its encoding
}

func newInjective[T any](what string, encode func([]byte, T) []byte) *injective[T] {
	return &injective[T]{what: what, encode: encode, byBytes: map[string]T{}, byValue: map[string]string{}}
}

// add checks v against the values met so far: one met with v's encoding
// must equal v, and one equal to v must have v's encoding.
func (c *injective[T]) add(rt *rapid.T, v T) {
	b := string(c.encode(nil, v))
	k := valueKey(v)
	if old, ok := c.byBytes[b]; ok && valueKey(old) != k {
		rt.Fatalf("%s is not injective: two different values encode to %x (-first +second):\n%s", c.what, b, cmp.Diff(old, v, exportAll))
	}
	if ob, ok := c.byValue[k]; ok && ob != b {
		rt.Fatalf("%s: equal values encode differently, %x and %x: %#v", c.what, ob, b, v)
	}
	if _, ok := c.byBytes[b]; !ok {
		c.byBytes[b] = v
	}
	c.byValue[k] = b
}

// valueKey describes v completely, so that two values have one key
// exactly when they are equal: every field, exported or not, pointers
// followed, maps in key order, a nil slice or map equal to an empty one.
func valueKey[T any](v T) string {
	var b strings.Builder
	writeValue(&b, reflect.ValueOf(&v).Elem(), 0)
	return b.String()
}

func writeValue(b *strings.Builder, v reflect.Value, depth int) {
	if depth > 100 {
		panic("spectest: a state or message nests deeper than 100 levels (a cycle?)")
	}
	switch v.Kind() {
	case reflect.Bool:
		fmt.Fprint(b, v.Bool(), ";")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprint(b, v.Int(), ";")
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		fmt.Fprint(b, v.Uint(), ";")
	case reflect.Float32, reflect.Float64:
		fmt.Fprintf(b, "%x;", math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		fmt.Fprintf(b, "%x,%x;", math.Float64bits(real(c)), math.Float64bits(imag(c)))
	case reflect.String:
		fmt.Fprintf(b, "%q;", v.String())
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil;")
			return
		}
		b.WriteString("&")
		writeValue(b, v.Elem(), depth+1)
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil;")
			return
		}
		fmt.Fprintf(b, "%s(", v.Elem().Type())
		writeValue(b, v.Elem(), depth+1)
		b.WriteString(")")
	case reflect.Struct:
		b.WriteString("{")
		for i := range v.NumField() {
			writeValue(b, v.Field(i), depth+1)
		}
		b.WriteString("}")
	case reflect.Slice, reflect.Array:
		fmt.Fprintf(b, "[%d:", v.Len())
		for i := range v.Len() {
			writeValue(b, v.Index(i), depth+1)
		}
		b.WriteString("]")
	case reflect.Map:
		entries := make([]string, 0, v.Len())
		it := v.MapRange()
		for it.Next() {
			var e strings.Builder
			writeValue(&e, it.Key(), depth+1)
			e.WriteString("=")
			writeValue(&e, it.Value(), depth+1)
			entries = append(entries, e.String())
		}
		sort.Strings(entries)
		fmt.Fprintf(b, "map[%d:%s]", len(entries), strings.Join(entries, ""))
	default:
		// Functions and channels have no value to compare: a state or a
		// message holding one is not plain data.
		panic(fmt.Sprintf("spectest: a state or message holds a %s", v.Type()))
	}
}

// exportAll lets cmp compare unexported fields: protocol states are plain
// data and every field counts.
var exportAll = cmp.Exporter(func(reflect.Type) bool { return true })

// deepCopy returns a copy of v that shares no memory with it.
func deepCopy[T any](v T) T {
	src := reflect.ValueOf(&v).Elem()
	dst := reflect.New(src.Type()).Elem()
	copyValue(dst, src)
	return dst.Interface().(T)
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		settable(dst).Set(p)
	case reflect.Struct:
		for i := range src.NumField() {
			copyValue(settable(dst.Field(i)), settable(src.Field(i)))
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			copyValue(s.Index(i), src.Index(i))
		}
		settable(dst).Set(s)
	case reflect.Array:
		for i := range src.Len() {
			copyValue(settable(dst.Index(i)), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			k := reflect.New(src.Type().Key()).Elem()
			copyValue(k, it.Key())
			e := reflect.New(src.Type().Elem()).Elem()
			copyValue(e, it.Value())
			m.SetMapIndex(k, e)
		}
		settable(dst).Set(m)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := reflect.New(src.Elem().Type()).Elem()
		copyValue(e, src.Elem())
		settable(dst).Set(e)
	default:
		settable(dst).Set(settable(src))
	}
}

// settable makes an unexported field readable and writable.
func settable(v reflect.Value) reflect.Value {
	if v.CanSet() || !v.CanAddr() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}
