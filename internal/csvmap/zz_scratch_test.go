package csvmap

import (
	"fmt"
	"testing"
)

func BenchmarkZZValues(b *testing.B) {
	var in [][]byte
	for i := 0; i < 100000; i++ {
		in = append(in, []byte(fmt.Sprintf("%d.50", i%5000)))
	}
	// a large array to thrash caches a bit like the CSV stream
	junk := make([]byte, 64<<20)
	v := NewValues("USD")
	b.ResetTimer()
	j := 0
	for i := 0; i < b.N; i++ {
		if _, err := v.ParseBytes(in[i%len(in)]); err != nil {
			b.Fatal(err)
		}
		junk[j] = byte(i)
		j = (j + 64) % len(junk)
	}
	b.Log(len(v.slots))
}
