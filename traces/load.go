package traces

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Write encodes t as indented JSON.
func Write(w io.Writer, t *Trace) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(t)
}

// WriteFile writes t to path.
func WriteFile(path string, t *Trace) error {
	var b bytes.Buffer
	if err := Write(&b, t); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// Load decodes and validates a trace. Its errors name the offending line
// (for malformed JSON) or field.
func Load(r io.Reader) (*Trace, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Trace
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("trace: %s", describeJSONError(data, err))
	}
	if dec.More() {
		return nil, errors.New("trace: unexpected data after the trace object")
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

// LoadFile loads and validates the trace at path.
func LoadFile(path string) (*Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	defer f.Close()
	t, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

func describeJSONError(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("line %d: malformed JSON: %v", lineOf(data, syn.Offset), syn)
	case errors.As(err, &typ):
		return fmt.Sprintf("line %d: field %q: want %s, got JSON %s", lineOf(data, typ.Offset), typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return "empty file"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated JSON"
	}
	return err.Error()
}

func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// Validate checks what JSON decoding cannot: the format and version, and
// that every event is well formed and refers only to nodes and earlier
// events that exist.
func (t *Trace) Validate() error {
	if t.Format != FormatName {
		return fmt.Errorf("trace: field \"format\" is %q, want %q", t.Format, FormatName)
	}
	if t.Version != Version {
		return fmt.Errorf("trace: field \"version\" is %d; this build reads version %d", t.Version, Version)
	}
	if t.Protocol == "" {
		return errors.New("trace: field \"protocol\" is empty")
	}
	if len(t.Nodes) == 0 {
		return errors.New("trace: field \"nodes\" is empty")
	}
	if t.Violation != nil && t.Violation.Property == "" {
		return errors.New("trace: field \"violation.property\" is empty")
	}
	step := 0
	for i, e := range t.Events {
		where := fmt.Sprintf("trace: events[%d]", i)
		switch {
		case e.ID != i:
			return fmt.Errorf("%s: field \"id\" is %d, want %d", where, e.ID, i)
		case !eventKinds[e.Kind]:
			return fmt.Errorf("%s: field \"kind\": unknown kind %q", where, e.Kind)
		case e.Node < -1 || e.Node >= len(t.Nodes):
			return fmt.Errorf("%s: field \"node\" is %d, want -1..%d", where, e.Node, len(t.Nodes)-1)
		case e.Peer < -1 || e.Peer >= len(t.Nodes):
			return fmt.Errorf("%s: field \"peer\" is %d, want -1..%d", where, e.Peer, len(t.Nodes)-1)
		case e.Cause < -1 || e.Cause >= i:
			return fmt.Errorf("%s: field \"cause\" is %d, want -1 or an earlier event", where, e.Cause)
		case e.Step < step:
			return fmt.Errorf("%s: field \"step\" is %d, after step %d", where, e.Step, step)
		case e.Step > step+1:
			return fmt.Errorf("%s: field \"step\" is %d, skipping step %d", where, e.Step, step+1)
		case e.Step > 0 && e.Action == "":
			return fmt.Errorf("%s: field \"action\" is empty", where)
		case e.Edge < 0:
			return fmt.Errorf("%s: field \"edge\" is %d, want >= 0", where, e.Edge)
		}
		for j, s := range e.Sends {
			if s.To < 0 || s.To >= len(t.Nodes) {
				return fmt.Errorf("%s.sends[%d]: field \"to\" is %d, want 0..%d", where, j, s.To, len(t.Nodes)-1)
			}
		}
		step = e.Step
	}
	return nil
}

// Steps returns the events with Step ≥ 1, one per execution step, in order.
func (t *Trace) Steps() []Event {
	var out []Event
	for _, e := range t.Events {
		if e.Step > 0 {
			out = append(out, e)
		}
	}
	return out
}
