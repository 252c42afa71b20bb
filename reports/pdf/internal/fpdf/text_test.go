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
		case 13:
			f.SetTextColor(200, 0, 0) // each line a text object in q … Q
		case 15:
			f.SetTextColor(0, 0, 0)
		}
		if i%19 == 0 { // a space inside a word: upstream's CellFormat
			f.TextJustified(x, y, 60, []string{"một hai", "ba"})
			want = append(want, pos{(x + f.cMargin) * f.k, (f.h - (y + .3*f.fontSize)) * f.k})
			continue
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
	f.endpage() // what AddPage and Close do first
	content := f.pages[1].String()
	if err := f.err; err != nil {
		t.Fatal(err)
	}
	checkNesting(t, content)
	readers := map[string]func(string) float64{
		"nearest": func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v },
		"poppler": readPopplerString,
	}
	for name, read := range readers {
		var got []pos
		var lx, ly float64
		var args []string
		for _, tok := range operands(content) {
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
	if n := strings.Count(content, "BT"); n > len(want)*4/5 {
		t.Errorf("%d text objects for %d lines", n, len(want))
	}
	// Only upstream's CellFormat (a space inside a word, one line in 19)
	// still writes "0 Tw".
	if n := strings.Count(content, "0 Tw"); n != (len(want)+18)/19 {
		t.Errorf("0 Tw written %d times", n)
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

// operands splits content into its tokens, a string or an array bracket
// being one token each.
func operands(content string) []string {
	var toks []string
	for i := 0; i < len(content); {
		switch c := content[i]; {
		case c == '(':
			j, depth := i+1, 1
			for ; depth > 0; j++ {
				switch content[j] {
				case '\\':
					j++
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			toks = append(toks, content[i:j])
			i = j
		case c == '[' || c == ']':
			toks = append(toks, content[i:i+1])
			i++
		case c == ' ' || c == '\n' || c == '\r':
			i++
		default:
			j := i
			for j < len(content) && !strings.ContainsRune(" \n\r()[]", rune(content[j])) {
				j++
			}
			toks = append(toks, content[i:j])
			i = j
		}
	}
	return toks
}

// checkNesting fails if text objects are not balanced, if an operator that
// may not be inside a text object is (ISO 32000-1 8.2, figure 9: paths,
// q and Q, line width), or text is shown outside one.
func checkNesting(t *testing.T, content string) {
	t.Helper()
	in := false
	for i, tok := range operands(content) {
		switch tok {
		case "BT", "ET":
			if in == (tok == "BT") {
				t.Fatalf("token %d: %s with a text object open: %v", i, tok, in)
			}
			in = tok == "BT"
		case "q", "Q", "m", "l", "re", "S", "f", "B", "w", "cm":
			if in {
				t.Fatalf("token %d: %s inside a text object", i, tok)
			}
		case "Td", "Tj", "TJ":
			if !in {
				t.Fatalf("token %d: %s outside a text object", i, tok)
			}
		}
	}
	if in {
		t.Fatal("a text object left open at the end of the page")
	}
}

// TestHundredths checks hundredths against what appendFixed writes, on
// random numbers and on numbers at a rounding half.
func TestHundredths(t *testing.T) {
	f := &Fpdf{}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200000 {
		v := (rng.Float64() - 0.3) * 2000
		if i%2 == 0 {
			v = float64(rng.IntN(200000)-50000)/100 + 0.005 // at a half
		}
		s := string(appendFixed(nil, v, 2))
		want, err := strconv.ParseInt(strings.Replace(s, ".", "", 1), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.hundredths(v); got != want {
			t.Fatalf("%v: %d, appendFixed wrote %s", v, got, s)
		}
	}
}
