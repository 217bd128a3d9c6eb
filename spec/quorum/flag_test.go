package quorum_test

// long is set by long_test.go when the tests are built with -tags long:
// the larger proofs run only then.
var long bool
