package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/distsys/distsys/traces"
)

const vizSynopsis = "modelcheck viz TRACE [-format text|mermaid|html] [-o FILE]"

// cmdViz draws a trace file: as text for the terminal, as a Mermaid
// sequenceDiagram, or as a self-contained HTML page.
func cmdViz(args []string, stdout io.Writer) (int, error) {
	fs := flag.NewFlagSet("viz", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "text, mermaid (a sequenceDiagram for Markdown) or html (one self-contained page)")
	out := fs.String("o", "", "write to this file instead of standard output")
	if err := parseFlags(fs, reorder(fs, args), vizSynopsis, stdout); err != nil {
		return exitUsage, err
	}
	if fs.NArg() != 1 {
		return exitUsage, usageError{fmt.Errorf("viz: want one trace file, got %d arguments", fs.NArg())}
	}
	render, ok := renderers[*format]
	if !ok {
		return exitUsage, usageError{fmt.Errorf("viz: -format %q: want text, mermaid or html", *format)}
	}
	t, err := traces.LoadFile(fs.Arg(0))
	if err != nil {
		return exitUsage, err
	}
	var b bytes.Buffer
	if err := render(&b, t); err != nil {
		return exitUsage, err
	}
	if *out == "" {
		_, err = stdout.Write(b.Bytes())
		return exitOK, err
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return exitUsage, err
	}
	return exitOK, nil
}

// renderers are viz's formats.
var renderers = map[string]func(io.Writer, *traces.Trace) error{
	"text":    traces.WriteText,
	"mermaid": traces.WriteMermaid,
	"html":    traces.WriteHTML,
}
