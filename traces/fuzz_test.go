package traces_test

import (
	"bytes"
	"testing"

	"github.com/distsys/distsys/traces"
)

// FuzzLoad: any input either loads into a trace that validates and survives
// a write/load round trip, or is rejected with an error; never a panic.
func FuzzLoad(f *testing.F) {
	var b bytes.Buffer
	traces.Write(&b, sample())
	f.Add(b.Bytes())
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
	})
}
