package fpdf

import (
	"math"
	"math/rand"
	"strconv"
	"testing"
)

// TestAppendFixed: appendFixed writes what strconv writes, for numbers
// of every size a page holds, halves, negative zeros and the exotic.
func TestAppendFixed(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	vals := []float64{0, math.Copysign(0, -1), -0.001, 0.005, 0.015, 0.025, 1.005, 2.675, 0.125, -0.125, 0.5, 1.5, 2.5,
		-2.5, 841.89, 595.28, 1e9, 1e15, 1e20, -1e20, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64,
		math.SmallestNonzeroFloat64, 999.995, 999.9949999, 0.0005, -0.0005, 123456789.125}
	for range 200000 {
		vals = append(vals, (r.Float64()-0.3)*1000, (r.Float64()-0.5)*1e7, float64(r.Intn(200000))/1000, float64(r.Intn(2000000))/8000)
	}
	for _, v := range vals {
		for prec := range 5 {
			got := string(appendFixed(nil, v, prec))
			want := strconv.FormatFloat(v, 'f', prec, 64)
			if got != want {
				t.Fatalf("appendFixed(%v, %d) = %q, strconv %q", v, prec, got, want)
			}
		}
	}
}
