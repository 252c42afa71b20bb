package fpdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"baocao/fonts"
)

// upstreamCIDFontMap is fpdf v0.12.0's generateCIDFontMap, kept to check
// appendWidths against.
func (f *Fpdf) upstreamCIDFontMap(font *fontDefType, LastRune int) {
	rangeID := 0
	cidArray := make(map[int]*untypedKeyMap)
	cidArrayKeys := make([]int, 0)
	prevCid := -2
	prevWidth := -1
	interval := false
	startCid := 1
	cwLen := LastRune + 1

	// for each character
	for cid := startCid; cid < cwLen; cid++ {
		if font.Cw[cid] == 0x00 {
			continue
		}
		width := int(font.Cw[cid])
		if width == 65535 {
			width = 0
		}
		if numb, OK := font.usedRunes[cid]; cid > 255 && (!OK || numb == 0) {
			continue
		}

		if cid == prevCid+1 {
			if width == prevWidth {

				if width == cidArray[rangeID].get(0) {
					cidArray[rangeID].put(nil, width)
				} else {
					cidArray[rangeID].pop()
					rangeID = prevCid
					r := untypedKeyMap{
						valueSet: make([]int, 0),
						keySet:   make([]any, 0),
					}
					cidArray[rangeID] = &r
					cidArrayKeys = append(cidArrayKeys, rangeID)
					cidArray[rangeID].put(nil, prevWidth)
					cidArray[rangeID].put(nil, width)
				}
				interval = true
				cidArray[rangeID].put("interval", 1)
			} else {
				if interval {
					// new range
					rangeID = cid
					r := untypedKeyMap{
						valueSet: make([]int, 0),
						keySet:   make([]any, 0),
					}
					cidArray[rangeID] = &r
					cidArrayKeys = append(cidArrayKeys, rangeID)
					cidArray[rangeID].put(nil, width)
				} else {
					cidArray[rangeID].put(nil, width)
				}
				interval = false
			}
		} else {
			rangeID = cid
			r := untypedKeyMap{
				valueSet: make([]int, 0),
				keySet:   make([]any, 0),
			}
			cidArray[rangeID] = &r
			cidArrayKeys = append(cidArrayKeys, rangeID)
			cidArray[rangeID].put(nil, width)
			interval = false
		}
		prevCid = cid
		prevWidth = width

	}
	previousKey := -1
	nextKey := -1
	isInterval := false
	for g := 0; g < len(cidArrayKeys); {
		key := cidArrayKeys[g]
		ws := *cidArray[key]
		cws := len(ws.keySet)
		if (key == nextKey) && (!isInterval) && (ws.getIndex("interval") < 0 || cws < 4) {
			if cidArray[key].getIndex("interval") >= 0 {
				cidArray[key].delete("interval")
			}
			cidArray[previousKey] = arrayMerge(cidArray[previousKey], cidArray[key])
			cidArrayKeys = remove(cidArrayKeys, key)
		} else {
			g++
			previousKey = key
		}
		nextKey = key + cws
		// ui := ws.getIndex("interval")
		// ui = ui + 1
		if ws.getIndex("interval") >= 0 {
			if cws > 3 {
				isInterval = true
			} else {
				isInterval = false
			}
			cidArray[key].delete("interval")
			nextKey--
		} else {
			isInterval = false
		}
	}
	var w fmtBuffer
	for _, k := range cidArrayKeys {
		ws := cidArray[k]
		if len(arrayCountValues(ws.valueSet)) == 1 {
			w.printf(" %d %d %d", k, k+len(ws.valueSet)-1, ws.get(0))
		} else {
			w.printf(" %d [ %s ]\n", k, implode(" ", ws.valueSet))
		}
	}
	f.out("/W [" + w.String() + " ]")
}

func TestCIDToGIDMapZ(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	maps := []map[int]int{
		{},
		{0: 1},
		{65535: 0x1234},
		{1: 0x100, 2: 0x200, 3: 0, 4: 0xFFFF},
	}
	for range 50 {
		m := map[int]int{}
		for range r.Intn(400) {
			cid := r.Intn(0x2000)
			if r.Intn(10) == 0 {
				cid = r.Intn(0x10000)
			}
			m[cid] = r.Intn(0x10000)
			if r.Intn(4) == 0 {
				m[cid] = r.Intn(0x100) << 8
			}
		}
		maps = append(maps, m)
	}
	for i, m := range maps {
		want := make([]byte, 256*256*2)
		for cc, glyph := range m {
			want[cc*2] = byte(glyph >> 8)
			want[cc*2+1] = byte(glyph & 0xFF)
		}
		zr, err := zlib.NewReader(bytes.NewReader(cidToGIDMapZ(codesOf(m))))
		if err != nil {
			t.Fatalf("map %d: %v", i, err)
		}
		got, err := io.ReadAll(zr) // checks the Adler-32 too
		if err != nil {
			t.Fatalf("map %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("map %d: stream differs", i)
		}
	}
}

var wEntry = regexp.MustCompile(`(\d+) \[([ \d]*)\]|(\d+) (\d+) (\d+)`)

// widthsOf reads a W array into code → width.
func widthsOf(t *testing.T, w string) map[int]int {
	t.Helper()
	out := map[int]int{}
	for _, m := range wEntry.FindAllStringSubmatch(w, -1) {
		if m[1] != "" {
			c, _ := strconv.Atoi(m[1])
			for _, f := range strings.Fields(m[2]) {
				v, _ := strconv.Atoi(f)
				if _, dup := out[c]; dup {
					t.Fatalf("code %d twice in %q", c, w)
				}
				out[c] = v
				c++
			}
			continue
		}
		a, _ := strconv.Atoi(m[3])
		b, _ := strconv.Atoi(m[4])
		v, _ := strconv.Atoi(m[5])
		for c := a; c <= b; c++ {
			if _, dup := out[c]; dup {
				t.Fatalf("code %d twice in %q", c, w)
			}
			out[c] = v
		}
	}
	return out
}

func TestWidthsAsUpstream(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(2))
	for _, face := range fam.Faces {
		font, err := ParseUTF8Font(face)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			used := makeSubsetRange(57)
			last := 0
			for range r.Intn(300) {
				c := r.Intn(0x2000)
				if i%3 == 0 {
					c = 0x20 + r.Intn(0x1F0)
				}
				used[c] = c
				last = max(last, c)
			}
			f := NewCustom(&InitType{OrientationStr: "P", UnitStr: "mm", Size: SizeType{Wd: 210, Ht: 297}})
			f.state = 1
			def := fontDefType{Cw: font.file.CharWidths, usedRunes: used}
			f.upstreamCIDFontMap(&def, last)
			want := widthsOf(t, string(f.buffer.Bytes()))
			got := widthsOf(t, string(appendWidths(nil, font.file.CharWidths, last, usedValues(used))))
			if len(got) != len(want) {
				t.Fatalf("%d codes, upstream %d", len(got), len(want))
			}
			for c, w := range want {
				if got[c] != w {
					t.Fatalf("code %d: width %d, upstream %d", c, got[c], w)
				}
			}
		}
	}
}

func TestAppendUTF16Escaped(t *testing.T) {
	for _, s := range []string{"", "abc", "a(b)c\\d\re", "Cộng hòa xã hội chủ nghĩa Việt Nam", "Ω α Ж …–—", "\u2028\u0129\u0128", "a\nb", "\u010a\u1e0a\u0a0d\u0d0a"} {
		got := appendUTF16Escaped(nil, s)
		if want := (&Fpdf{}).escape(utf8toutf16(s, false)); string(got) != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
		// What a reader makes of the literal string (ISO 32000-1
		// 7.3.4.2) is the UTF-16 code units, and no end of line is
		// written raw (a raw one is read as a line feed whatever it was).
		if bytes.ContainsAny(got, "\r\n") {
			t.Errorf("%q: raw end of line in %q", s, got)
		}
		if read, want := unescapeLiteral(got), utf8toutf16(s, false); read != want {
			t.Errorf("%q: read back as %q, want %q", s, read, want)
		}
	}
}

// unescapeLiteral reads the body of a PDF literal string as a reader does
// (the escapes appendEscapedByte writes; raw ends of line as a line feed).
func unescapeLiteral(b []byte) string {
	var out []byte
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			i++
			switch b[i] {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			default:
				out = append(out, b[i])
			}
		case c == '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			out = append(out, '\n')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// TestSharedFontConcurrent cuts subsets of one parsed font from many
// goroutines (run with -race) and checks each against a serial cut.
func TestSharedFontConcurrent(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	orig := bytes.Clone(fam.Faces[0])
	font, err := ParseUTF8Font(fam.Faces[0])
	if err != nil {
		t.Fatal(err)
	}
	sets := []string{"Kế hoạch số 12/KH-UBND", "Ủy ban nhân dân tỉnh Ninh Thuận", "0123456789 ()[]", "Ω α Ж"}
	want := make([][]byte, len(sets))
	runes := func(s string) map[int]int {
		m := makeSubsetRange(57)
		for _, r := range s {
			m[int(r)] = int(r)
		}
		return m
	}
	for i, s := range sets {
		_, want[i] = font.file.cut(runes(s))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 10 {
				i := (g + k) % len(sets)
				if _, got := font.file.cut(runes(sets[i])); !bytes.Equal(got, want[i]) {
					t.Errorf("cut %d differs", i)
				}
			}
		})
	}
	wg.Wait()
	if !bytes.Equal(orig, fam.Faces[0]) {
		t.Error("cutting changed the font's bytes")
	}
}

// TestDeflateProgram checks that subset font programs, deflated with the
// constant tables spliced in, inflate to the program (with zlib, which
// checks the Adler-32).
func TestDeflateProgram(t *testing.T) {
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, face := range fam.Faces {
		font, err := ParseUTF8Font(face)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"a", "Kế hoạch số 12/KH-UBND", "Ủy ban nhân dân tỉnh Ninh Thuận ĐƯỜNG ỜỚỞỠỢ 0123456789"} {
			used := makeSubsetRange(57)
			for _, r := range s {
				used[int(r)] = int(r)
			}
			cut, program := font.file.cut(used)
			zr, err := zlib.NewReader(bytes.NewReader(font.file.deflateProgram(program, cut.subsetKeys)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, program) {
				t.Fatalf("%q: inflated program differs", s)
			}
		}
	}
}

// Upstream's helpers of generateCIDFontMap.

// The untypedKeyMap structure and its methods are copyrighted 2019 by Arteom Korotkiy (Gmail: arteomkorotkiy).
// Imitation of untyped Map Array
type untypedKeyMap struct {
	keySet   []any
	valueSet []int
}

// Get position of key=>value in PHP Array
func (pa *untypedKeyMap) getIndex(key any) int {
	if key != nil {
		for i, mKey := range pa.keySet {
			if mKey == key {
				return i
			}
		}
		return -1
	}
	return -1
}

// Put key=>value in PHP Array
func (pa *untypedKeyMap) put(key any, value int) {
	if key == nil {
		var i int
		for n := 0; ; n++ {
			i = pa.getIndex(n)
			if i < 0 {
				key = n
				break
			}
		}
		pa.keySet = append(pa.keySet, key)
		pa.valueSet = append(pa.valueSet, value)
	} else {
		i := pa.getIndex(key)
		if i < 0 {
			pa.keySet = append(pa.keySet, key)
			pa.valueSet = append(pa.valueSet, value)
		} else {
			pa.valueSet[i] = value
		}
	}
}

// Delete value in PHP Array
func (pa *untypedKeyMap) delete(key any) {
	if pa == nil || pa.keySet == nil || pa.valueSet == nil {
		return
	}
	i := pa.getIndex(key)
	if i >= 0 {
		if i == 0 {
			pa.keySet = pa.keySet[1:]
			pa.valueSet = pa.valueSet[1:]
		} else if i == len(pa.keySet)-1 {
			pa.keySet = pa.keySet[:len(pa.keySet)-1]
			pa.valueSet = pa.valueSet[:len(pa.valueSet)-1]
		} else {
			pa.keySet = append(pa.keySet[:i], pa.keySet[i+1:]...)
			pa.valueSet = append(pa.valueSet[:i], pa.valueSet[i+1:]...)
		}
	}
}

// Get value from PHP Array
func (pa *untypedKeyMap) get(key any) int {
	i := pa.getIndex(key)
	if i >= 0 {
		return pa.valueSet[i]
	}
	return 0
}

// Imitation of PHP function pop()
func (pa *untypedKeyMap) pop() {
	pa.keySet = pa.keySet[:len(pa.keySet)-1]
	pa.valueSet = pa.valueSet[:len(pa.valueSet)-1]
}

// Imitation of PHP function array_merge()
func arrayMerge(arr1, arr2 *untypedKeyMap) *untypedKeyMap {
	answer := untypedKeyMap{}
	if arr1 == nil && arr2 == nil {
		answer = untypedKeyMap{
			make([]any, 0),
			make([]int, 0),
		}
	} else if arr2 == nil {
		answer.keySet = arr1.keySet[:]
		answer.valueSet = arr1.valueSet[:]
	} else if arr1 == nil {
		answer.keySet = arr2.keySet[:]
		answer.valueSet = arr2.valueSet[:]
	} else {
		answer.keySet = arr1.keySet[:]
		answer.valueSet = arr1.valueSet[:]
		for i := 0; i < len(arr2.keySet); i++ {
			if arr2.keySet[i] == "interval" {
				if arr1.getIndex("interval") < 0 {
					answer.put("interval", arr2.valueSet[i])
				}
			} else {
				answer.put(nil, arr2.valueSet[i])
			}
		}
	}
	return &answer
}

func remove(arr []int, key int) []int {
	n := 0
	for i, mKey := range arr {
		if mKey == key {
			n = i
		}
	}
	if n == 0 {
		return arr[1:]
	} else if n == len(arr)-1 {
		return arr[:len(arr)-1]
	}
	return append(arr[:n], arr[n+1:]...)
}

func implode(sep string, arr []int) string {
	var s fmtBuffer
	for i := 0; i < len(arr)-1; i++ {
		s.printf("%v", arr[i])
		s.printf("%s", sep)
	}
	if len(arr) > 0 {
		s.printf("%v", arr[len(arr)-1])
	}
	return s.String()
}

// arrayCountValues counts the occurrences of each item in the $mp array.
func arrayCountValues(mp []int) map[int]int {
	answer := make(map[int]int)
	for _, v := range mp {
		answer[v] = answer[v] + 1
	}
	return answer
}

// codesOf is a map of codes to glyphs as a cut's codeGlyphs: in code order.
func codesOf(m map[int]int) []cidGlyph {
	codes := make([]cidGlyph, 0, len(m))
	for cid, g := range m {
		codes = append(codes, cidGlyph{cid, g})
	}
	slices.SortFunc(codes, func(a, b cidGlyph) int { return a.cid - b.cid })
	return codes
}
