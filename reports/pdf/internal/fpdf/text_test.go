package fpdf

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestTextObjectsSamePositions draws lines of text at many positions, with
// lines and font changes between them, and replays the page's content as
// a reader does: every line must start at exactly the double that
// upstream's absolute "BT x y Td" gave it, both for a reader that parses
// numbers to the nearest double and for poppler's lexer; and lines must
// share text objects.
func TestTextObjectsSamePositions(t *testing.T) {
	f := newDoc(t)
	addFamily(t, f)
	f.SetCompression(false)
	f.AddPage()
	f.SetFont("serif", "", 12)
	rng := rand.New(rand.NewPCG(1, 2))
	type pos struct{ x, y float64 }
	var want []pos
	for i := range 600 {
		x, y := 10+rng.Float64()*150, 10+rng.Float64()*270
		if i%3 != 0 { // same column, next line: what a cell's lines do
			x, y = want[len(want)-1].x/f.k, f.h-want[len(want)-1].y/f.k+5.08+float64(i%4)*.01
		}
		switch i % 17 {
		case 5:
			f.Line(x, y, x+10, y)
		case 11:
			f.SetFont("serif", "B", 11.5)
		}
		if i%7 == 0 {
			f.TextJustified(x, y, 60, []string{"một", "hai", "ba"})
			// where TextJustified writes the line
			want = append(want, pos{(x + f.cMargin) * f.k, (f.h - (y + .3*f.fontSize)) * f.k})
			continue
		}
		f.TextWords(x, y, []string{"một", "hai"})
		want = append(want, pos{x * f.k, (f.h - y) * f.k})
	}
	content := f.pages[1].String()
	f.Close()
	if err := f.err; err != nil {
		t.Fatal(err)
	}
	readers := map[string]func(string) float64{
		"nearest": func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v },
		"poppler": readPopplerString,
	}
	for name, read := range readers {
		var got []pos
		var lx, ly float64
		var args []string
		for _, tok := range strings.Fields(content) {
			switch tok {
			case "BT":
				lx, ly = 0, 0
			case "Td":
				lx += read(args[len(args)-2])
				ly += read(args[len(args)-1])
				got = append(got, pos{lx, ly})
			}
			args = append(args, tok)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d lines placed, want %d", name, len(got), len(want))
		}
		for i := range want {
			wx := read(string(appendFixed(nil, want[i].x, 2)))
			wy := read(string(appendFixed(nil, want[i].y, 2)))
			if got[i].x != wx || got[i].y != wy {
				t.Errorf("%s: line %d at (%v, %v), upstream's absolute move (%v, %v)", name, i, got[i].x, got[i].y, wx, wy)
			}
		}
	}
	if n := strings.Count(content, "BT"); n > len(want)*3/4 {
		t.Errorf("%d text objects for %d lines", n, len(want))
	}
	if strings.Contains(content, "0 Tw") {
		t.Error("0 Tw written")
	}
}

// readPopplerString reads a PDF number as poppler's lexer does.
func readPopplerString(s string) float64 {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	ip, fp, _ := strings.Cut(s, ".")
	xi, _ := strconv.Atoi(ip)
	xf := float64(xi)
	scale := 0.1
	for _, c := range fp {
		xf += float64(scale * float64(c-'0'))
		scale *= 0.1
	}
	if neg {
		xf = -xf
	}
	return xf
}

func TestReadPoppler(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 10, 29230, -21459, -1680, 40527, 5, 99999, -7} {
		if got, want := readPoppler(v), readPopplerString(string(appendHundredths(nil, v))); got != want {
			t.Errorf("%d: %v, want %v", v, got, want)
		}
		if got, want := string(appendHundredths(nil, v)), strconv.FormatFloat(float64(v)/100, 'f', -1, 64); got != want {
			t.Errorf("%d written %q, want %q", v, got, want)
		}
	}
}
