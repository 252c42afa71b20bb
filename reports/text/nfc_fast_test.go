package text

import (
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// TestCleanSkipsNormalText: text already clean and in NFC (what nearly
// every input is) comes back as the same string, with no copy and no
// allocation: Clean only checks it (norm.NFC.IsNormalString); decomposed
// text is normalised.
func TestCleanSkipsNormalText(t *testing.T) {
	s := strings.Repeat("Tuyên truyền công tác cải cách hành chính nhà nước tỉnh Lai Châu năm 2024.\n", 50)
	if !norm.NFC.IsNormalString(s) {
		t.Fatal("the sample is not NFC")
	}
	var got string
	if n := testing.AllocsPerRun(20, func() { got = Clean(s) }); n != 0 {
		t.Errorf("Clean of NFC text allocates %v times", n)
	}
	if unsafe.StringData(got) != unsafe.StringData(s) {
		t.Error("Clean of NFC text made a copy")
	}
	nfd := norm.NFD.String(s)
	if nfd == s || Clean(nfd) != s {
		t.Error("decomposed text is not normalised")
	}
}
