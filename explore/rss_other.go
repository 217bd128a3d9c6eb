//go:build !unix

package explore

// peakRSS is not known on this platform.
func peakRSS() uint64 { return 0 }
