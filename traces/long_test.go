//go:build long

package traces_test

// TestHTMLInARealBrowser (four headless Chromium runs) runs with
// `go test -tags long ./traces`; .ci/run runs it.
func init() { long = true }
