package traces_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/distsys/distsys/traces"
)

// FuzzLoad: any input either loads into a trace that validates, survives a
// write/load round trip and renders in every format, or is rejected with
// an error; never a panic.
func FuzzLoad(f *testing.F) {
	for _, tr := range []*traces.Trace{sample(), richSample()} {
		var b bytes.Buffer
		traces.Write(&b, tr)
		f.Add(b.Bytes())
	}
	f.Add([]byte(`{"format":"distsys-trace","version":1}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := traces.Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := traces.Write(&out, tr); err != nil {
			t.Fatal(err)
		}
		if _, err := traces.Load(&out); err != nil {
			t.Fatalf("a loaded trace does not load again: %v", err)
		}
		for _, render := range []func(io.Writer, *traces.Trace) error{traces.WriteText, traces.WriteMermaid, traces.WriteHTML} {
			if err := render(io.Discard, tr); err != nil {
				t.Fatalf("a loaded trace does not render: %v", err)
			}
		}
	})
}
