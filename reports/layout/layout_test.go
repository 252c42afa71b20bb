package layout

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBalance(t *testing.T) {
	// One unit a character: "ỦY BAN NHÂN DÂN HUYỆN TÂY SƠN" in 22 units
	// fills as "ỦY BAN NHÂN DÂN HUYỆN / TÂY SƠN"; balanced, the longest
	// line is as short as it can be.
	measure := func(s string) float64 { return float64(utf8.RuneCountInString(s)) }
	got := Balance("ỦY BAN NHÂN DÂN HUYỆN TÂY SƠN", 22, measure)
	if want := []string{"ỦY BAN NHÂN DÂN", "HUYỆN TÂY SƠN"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Balance = %q, want %q", got, want)
	}
	if got := Balance("TỈNH LAI CHÂU", 22, measure); len(got) != 1 {
		t.Errorf("a line that fits: %q", got)
	}
}

func TestGlue(t *testing.T) {
	for _, c := range []struct {
		text string
		want []int // words no line may break before
	}{
		{"giai đoạn 2016 - 2020 của tỉnh", []int{3, 4}},
		{"Lai Châu, ngày 05 tháng 01 năm 2024 và", []int{3, 4, 5, 6, 7}},
		{"ngày 05 tháng", nil}, // not a date
		{"- Mục một", []int{1}},
	} {
		words := strings.Fields(c.text)
		var got []int
		Glue(len(words), func(int) bool { return true }, func(i int) string { return words[i] }, func(i int) { got = append(got, i) })
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: glued before %v, want %v", c.text, got, c.want)
		}
	}
}

func TestCentredHeading(t *testing.T) {
	for s, want := range map[string]bool{"I. MỤC ĐÍCH": false, "QUYẾT ĐỊNH:": true, "Phần I": true, "XIV. KHÁC": false} {
		if CentredHeading(2, s) != want {
			t.Errorf("%q centred: %v", s, !want)
		}
	}
	if CentredHeading(3, "Phần I") {
		t.Error("a level-3 heading is centred")
	}
}

func TestColumns(t *testing.T) {
	tw := TextWidth(false)
	lx, lw, rx, rw := Columns(tw)
	if math.Abs(lx+lw/2-tw*AgencyCentre) > 1e-9 || math.Abs(rx+rw/2-tw*NationalCentre) > 1e-9 || rx+rw > tw+1e-9 || lw > rx {
		t.Errorf("columns %v %v %v %v of %v", lx, lw, rx, rw, tw)
	}
	if tw != 165 || TextWidth(true) != 262 {
		t.Errorf("text widths %v, %v", tw, TextWidth(true))
	}
}
