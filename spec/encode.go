package spec

import "encoding/binary"

// The Append functions build canonical encodings. Each value is
// self-delimiting, so a sequence of them is unambiguous.

// AppendUint appends v as an unsigned varint.
func AppendUint(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }

// AppendInt appends v as a zig-zag varint.
func AppendInt(b []byte, v int64) []byte { return binary.AppendVarint(b, v) }

// AppendBool appends v as one byte.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// AppendString appends s with its length.
func AppendString(b []byte, s string) []byte {
	b = AppendUint(b, uint64(len(s)))
	return append(b, s...)
}

// AppendInts appends a slice of ints with its length.
func AppendInts(b []byte, vs []int) []byte {
	b = AppendUint(b, uint64(len(vs)))
	for _, v := range vs {
		b = AppendInt(b, int64(v))
	}
	return b
}
