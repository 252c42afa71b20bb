// Package benchcmp holds only a benchmark: the same appendix rendered by
// baocao's PDF renderer and by upstream fpdf (codeberg.org/go-pdf/fpdf,
// used the straightforward way, with the same fonts), in one run, with
// the ratio of their times. Upstream fpdf is a dependency of its test
// alone, so it never reaches the binary.
//
//	go test -run '^$' -bench Upstream -benchtime 20x ./reports/pdf/benchcmp
package benchcmp
