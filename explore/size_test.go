package explore

import (
	"testing"
	"unsafe"
)

func TestShardSize(t *testing.T) {
	if s := unsafe.Sizeof(fpShard{}); s != 128 {
		t.Fatalf("fpShard is %d bytes", s)
	}
}
