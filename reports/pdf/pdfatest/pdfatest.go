// Package pdfatest checks, one by one, the properties PDF/A-2b (ISO
// 19005-2) asks of a file that baocao makes or signs, for the tests of
// every package that makes one. No validator such as veraPDF is installable
// here, so the file is read with qpdf's JSON form (every object, streams
// decoded) and each rule is a check of its own; qpdf --check also runs.
package pdfatest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Need skips t when qpdf is missing, unless BAOCAO_REQUIRE_TOOLS=1 (set by
// .ci/run), where that is a failure.
func Need(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("qpdf"); err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatalf("qpdf is required (BAOCAO_REQUIRE_TOOLS=1): %v", err)
		}
		t.Skip("qpdf not installed")
	}
}

// File is a PDF read through qpdf's JSON form.
type File struct {
	Raw     []byte
	Objects map[string]object // "12 0 R" → object
	Trailer map[string]any
}

type object struct {
	Value  any
	Dict   map[string]any
	Data   []byte
	Stream bool
}

// Read reads data with qpdf.
func Read(t testing.TB, data []byte) *File {
	t.Helper()
	Need(t)
	p := t.TempDir() + "/in.pdf"
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", p).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	out, err := exec.Command("qpdf", "--json", "--json-key=qpdf", "--decode-level=generalized", "--json-stream-data=inline", p).Output()
	if err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	var j struct {
		QPDF []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &j); err != nil || len(j.QPDF) < 2 {
		t.Fatalf("qpdf --json: %v", err)
	}
	var objs map[string]struct {
		Value  any `json:"value"`
		Stream *struct {
			Dict map[string]any `json:"dict"`
			Data string         `json:"data"`
		} `json:"stream"`
	}
	if err := json.Unmarshal(j.QPDF[1], &objs); err != nil {
		t.Fatal(err)
	}
	f := &File{Raw: data, Objects: map[string]object{}}
	for k, v := range objs {
		if k == "trailer" {
			f.Trailer, _ = v.Value.(map[string]any)
			continue
		}
		o := object{Value: v.Value}
		if v.Stream != nil {
			o.Stream, o.Dict = true, v.Stream.Dict
			o.Data, _ = base64.StdEncoding.DecodeString(v.Stream.Data)
		} else if d, ok := v.Value.(map[string]any); ok {
			o.Dict = d
		}
		f.Objects[strings.TrimPrefix(k, "obj:")] = o
	}
	return f
}

// Resolve follows a reference ("12 0 R") to its value (a stream's
// dictionary); anything else is returned as it is.
func (f *File) Resolve(v any) any {
	if s, ok := v.(string); ok && strings.HasSuffix(s, " R") {
		o := f.Objects[s]
		if o.Stream {
			return o.Dict
		}
		return o.Value
	}
	return v
}

// Dict is v resolved as a dictionary (nil if it is not one).
func (f *File) Dict(v any) map[string]any {
	d, _ := f.Resolve(v).(map[string]any)
	return d
}

// Catalog is the document catalog.
func (f *File) Catalog() map[string]any { return f.Dict(f.Trailer["/Root"]) }

// Info is the document information dictionary.
func (f *File) Info() map[string]any { return f.Dict(f.Trailer["/Info"]) }

// Text is a qpdf JSON string as text ("u:…" or a plain string).
func Text(v any) string {
	s, _ := v.(string)
	if rest, ok := strings.CutPrefix(s, "u:"); ok {
		return rest
	}
	return s
}

// Check asserts every PDF/A-2b property baocao's files must have and
// reports each one that fails with its rule. It returns the XMP packet.
func Check(t testing.TB, data []byte) *XMP {
	t.Helper()
	f := Read(t, data)
	// ISO 19005-2 6.1.2: the header, then a comment of at least four bytes
	// above 127.
	lines := bytes.SplitN(data, []byte("\n"), 3)
	if len(lines) < 3 || !bytes.HasPrefix(lines[0], []byte("%PDF-1.")) || len(lines[0]) != 8 {
		t.Errorf("6.1.2: the file does not start with %%PDF-1.n")
	} else if n := countHigh(lines[1]); lines[1][0] != '%' || n < 4 {
		t.Errorf("6.1.2: the second line is not a comment of 4 bytes > 127 (%q)", lines[1])
	}
	// 6.1.3: a file identifier; no encryption.
	if id, _ := f.Trailer["/ID"].([]any); len(id) != 2 {
		t.Errorf("6.1.3: the trailer has no /ID")
	}
	if _, ok := f.Trailer["/Encrypt"]; ok {
		t.Errorf("6.1.3: the file is encrypted")
	}
	// 6.1.3: nothing after the last %%EOF but an end of line.
	if tail := bytes.TrimRight(data, "\r\n"); !bytes.HasSuffix(tail, []byte("%%EOF")) {
		t.Errorf("6.1.3: data after the last %%%%EOF")
	}
	cat := f.Catalog()
	// 6.2.3: the output intent, with an ICC profile of 3 components.
	checkOutputIntent(t, f, cat)
	// 6.2.11: every font embedded.
	checkFonts(t, f)
	// 6.3, 6.5, 6.6: no forbidden features.
	checkForbidden(t, f, cat)
	// 6.6.2: the metadata stream, unfiltered, with the PDF/A identification
	// and the Info entries repeated.
	return checkXMP(t, f, cat)
}

func countHigh(b []byte) int {
	n := 0
	for _, c := range b {
		if c > 127 {
			n++
		}
	}
	return n
}

func checkOutputIntent(t testing.TB, f *File, cat map[string]any) {
	t.Helper()
	intents, _ := f.Resolve(cat["/OutputIntents"]).([]any)
	found := false
	for _, it := range intents {
		d := f.Dict(it)
		if d["/S"] != "/GTS_PDFA1" {
			continue
		}
		found = true
		ref, _ := d["/DestOutputProfile"].(string)
		prof := f.Objects[ref]
		if !prof.Stream {
			t.Errorf("6.2.3: the output intent has no DestOutputProfile stream")
			continue
		}
		if n, _ := prof.Dict["/N"].(float64); n != 3 {
			t.Errorf("6.2.3: the output profile has /N %v, want 3 (RGB)", prof.Dict["/N"])
		}
		if len(prof.Data) < 128 || string(prof.Data[36:40]) != "acsp" || string(prof.Data[16:20]) != "RGB " {
			t.Errorf("6.2.3: the output profile is not an RGB ICC profile")
		} else if prof.Data[8] > 4 {
			t.Errorf("6.2.3: ICC version %d is newer than PDF/A-2 allows", prof.Data[8])
		}
		if Text(d["/OutputConditionIdentifier"]) == "" {
			t.Errorf("6.2.3: the output intent has no OutputConditionIdentifier")
		}
	}
	if !found {
		t.Errorf("6.2.3: no GTS_PDFA1 output intent")
	}
}

func checkFonts(t testing.TB, f *File) {
	t.Helper()
	for ref, o := range f.Objects {
		if o.Dict == nil || o.Dict["/Type"] != "/Font" || o.Dict["/Subtype"] == "/Type0" || o.Dict["/Subtype"] == "/Type3" {
			continue
		}
		fd := f.Dict(o.Dict["/FontDescriptor"])
		if fd == nil {
			t.Errorf("6.2.11.4: font %s (%v) has no font descriptor", ref, o.Dict["/BaseFont"])
			continue
		}
		embedded := false
		for _, k := range []string{"/FontFile", "/FontFile2", "/FontFile3"} {
			if r, ok := fd[k].(string); ok && f.Objects[r].Stream && len(f.Objects[r].Data) > 0 {
				embedded = true
			}
		}
		if !embedded {
			t.Errorf("6.2.11.4: font %s (%v) is not embedded", ref, o.Dict["/BaseFont"])
		}
		if o.Dict["/Subtype"] == "/CIDFontType2" && o.Dict["/CIDToGIDMap"] == nil {
			t.Errorf("6.2.11.3: CIDFontType2 %s has no CIDToGIDMap", ref)
		}
	}
}

func checkForbidden(t testing.TB, f *File, cat map[string]any) {
	t.Helper()
	for _, k := range []string{"/AA", "/OpenAction"} {
		if _, ok := cat[k]; ok {
			t.Errorf("6.5.1/6.6.1: the catalog has %s", k)
		}
	}
	if names := f.Dict(cat["/Names"]); names != nil {
		for _, k := range []string{"/JavaScript", "/EmbeddedFiles"} {
			if _, ok := names[k]; ok {
				t.Errorf("6.6.1/6.8: the name dictionary has %s", k)
			}
		}
	}
	if af := f.Dict(cat["/AcroForm"]); af != nil {
		if v, ok := af["/NeedAppearances"]; ok && v == true {
			t.Errorf("6.4.1: AcroForm NeedAppearances is true")
		}
		if _, ok := af["/XFA"]; ok {
			t.Errorf("6.4.2: AcroForm has XFA")
		}
	}
	for ref, o := range f.Objects {
		d := o.Dict
		if d == nil {
			continue
		}
		if s, _ := d["/S"].(string); s == "/JavaScript" || s == "/Launch" || s == "/ImportData" || s == "/ResetForm" {
			t.Errorf("6.6.1: object %s is a forbidden action %s", ref, s)
		}
		switch d["/Type"] {
		case "/Annot":
			checkAnnot(t, f, ref, d)
		case "/ExtGState":
			for _, k := range []string{"/TR", "/TR2"} {
				if v, ok := d[k]; ok && v != "/Default" {
					t.Errorf("6.2.5: ExtGState %s has %s", ref, k)
				}
			}
			if bm, ok := d["/BM"].(string); ok && !standardBlend[bm] {
				t.Errorf("6.2.10: ExtGState %s has blend mode %s", ref, bm)
			}
		}
		if d["/Subtype"] == "/Image" {
			if v, ok := d["/Interpolate"]; ok && v == true {
				t.Errorf("6.2.8: image %s interpolates", ref)
			}
			for _, k := range []string{"/Alternates", "/OPI"} {
				if _, ok := d[k]; ok {
					t.Errorf("6.2.8: image %s has %s", ref, k)
				}
			}
		}
		if d["/Subtype"] == "/PS" || d["/Subtype"] == "/Movie" || d["/Subtype"] == "/Sound" {
			t.Errorf("6.2.9/6.3.1: object %s has forbidden subtype %v", ref, d["/Subtype"])
		}
	}
}

var standardBlend = map[string]bool{"/Normal": true, "/Compatible": true, "/Multiply": true, "/Screen": true, "/Overlay": true,
	"/Darken": true, "/Lighten": true, "/ColorDodge": true, "/ColorBurn": true, "/HardLight": true, "/SoftLight": true,
	"/Difference": true, "/Exclusion": true, "/Hue": true, "/Saturation": true, "/Color": true, "/Luminosity": true}

func checkAnnot(t testing.TB, f *File, ref string, d map[string]any) {
	t.Helper()
	switch d["/Subtype"] {
	case "/3D", "/Sound", "/Screen", "/Movie", "/FileAttachment":
		t.Errorf("6.3.1: annotation %s of type %v", ref, d["/Subtype"])
		return
	}
	flags, _ := d["/F"].(float64)
	fl := int(flags)
	if fl&4 == 0 || fl&(1|2|32) != 0 {
		t.Errorf("6.3.2: annotation %s has flags %d (print must be set; hidden, invisible, noview not)", ref, fl)
	}
	rect, _ := f.Resolve(d["/Rect"]).([]any)
	zero := len(rect) == 4 && rect[0] == rect[2] && rect[1] == rect[3]
	if !zero {
		ap := f.Dict(d["/AP"])
		if ap == nil || ap["/N"] == nil {
			t.Errorf("6.3.3: annotation %s has no normal appearance", ref)
		}
		for _, k := range []string{"/D", "/R"} {
			if _, ok := ap[k]; ok {
				t.Errorf("6.3.3: annotation %s has a %s appearance", ref, k)
			}
		}
	}
}

// XMP is what the checks read from the metadata packet.
type XMP struct {
	Part, Conformance           string
	Title, Creator, Description string
	Identifier, Date            string
	Keywords, Producer, Tool    string
	CreateDate, ModifyDate      string
	Raw                         []byte
}

func checkXMP(t testing.TB, f *File, cat map[string]any) *XMP {
	t.Helper()
	ref, _ := cat["/Metadata"].(string)
	m := f.Objects[ref]
	if !m.Stream {
		t.Errorf("6.6.2.1: the catalog has no metadata stream")
		return &XMP{}
	}
	if m.Dict["/Type"] != "/Metadata" || m.Dict["/Subtype"] != "/XML" {
		t.Errorf("6.6.2.1: the metadata stream is not /Type /Metadata /Subtype /XML")
	}
	// qpdf's JSON lists a stream's dictionary after decoding; the raw file
	// tells whether the stream was filtered.
	if raw := rawObject(f.Raw, ref); bytes.Contains(raw, []byte("/Filter")) {
		t.Errorf("6.6.2.1: the metadata stream is filtered")
	}
	x := parseXMP(t, m.Data)
	if !bytes.HasPrefix(m.Data, []byte("<?xpacket begin=")) || !bytes.Contains(m.Data, []byte(`<?xpacket end="w"?>`)) {
		t.Errorf("6.6.2.2: the metadata is not a writable XMP packet")
	}
	if x.Part != "2" || x.Conformance != "B" {
		t.Errorf("6.6.4: pdfaid part %q conformance %q, want 2 and B", x.Part, x.Conformance)
	}
	info := f.Info()
	pairs := []struct{ info, xmp, got string }{
		{"/Title", "dc:title", x.Title}, {"/Author", "dc:creator", x.Creator}, {"/Subject", "dc:description", x.Description},
		{"/Keywords", "pdf:Keywords", x.Keywords}, {"/Producer", "pdf:Producer", x.Producer}, {"/Creator", "xmp:CreatorTool", x.Tool},
	}
	for _, p := range pairs {
		if v, ok := info[p.info]; ok && Text(v) != p.got {
			t.Errorf("6.6.3: Info %s %q, XMP %s %q", p.info, Text(v), p.xmp, p.got)
		}
	}
	for _, p := range []struct{ info, xmp, got string }{{"/CreationDate", "xmp:CreateDate", x.CreateDate}, {"/ModDate", "xmp:ModifyDate", x.ModifyDate}} {
		v, ok := info[p.info]
		if !ok {
			continue
		}
		a, err1 := pdfDate(Text(v))
		b, err2 := time.Parse(time.RFC3339, p.got)
		if err1 != nil || err2 != nil || !a.Equal(b) {
			t.Errorf("6.6.3: Info %s %q, XMP %s %q (%v %v)", p.info, Text(v), p.xmp, p.got, err1, err2)
		}
	}
	return x
}

// rawObject is the bytes of object ref ("12 0 R") up to its stream or end.
func rawObject(data []byte, ref string) []byte {
	head := []byte("\n" + strings.TrimSuffix(ref, " R") + " obj")
	i := bytes.LastIndex(data, head)
	if i < 0 {
		return nil
	}
	rest := data[i:]
	if j := bytes.Index(rest, []byte("stream")); j >= 0 {
		return rest[:j]
	}
	return rest
}

// pdfDate reads D:YYYYMMDDHHmmSS with Z or ±HH'mm'.
func pdfDate(s string) (time.Time, error) {
	s = strings.TrimPrefix(s, "D:")
	if len(s) < 14 {
		return time.Time{}, fmt.Errorf("short date %q", s)
	}
	zone := strings.ReplaceAll(strings.TrimSuffix(s[14:], "'"), "'", ":")
	if zone == "Z" || zone == "" {
		zone = "Z"
	}
	return time.Parse("20060102150405Z07:00", s[:14]+zone)
}

func parseXMP(t testing.TB, data []byte) *XMP {
	t.Helper()
	x := &XMP{Raw: data}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var path []string
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Errorf("6.6.2.2: the XMP packet is not well-formed XML: %v", err)
			}
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			path = append(path, e.Name.Space+" "+e.Name.Local)
		case xml.EndElement:
			path = path[:len(path)-1]
		case xml.CharData:
			s := strings.TrimSpace(string(e))
			if s == "" {
				continue
			}
			for _, p := range path {
				switch p {
				case "http://www.aiim.org/pdfa/ns/id/ part":
					x.Part = s
				case "http://www.aiim.org/pdfa/ns/id/ conformance":
					x.Conformance = s
				case "http://purl.org/dc/elements/1.1/ title":
					x.Title = s
				case "http://purl.org/dc/elements/1.1/ creator":
					x.Creator = s
				case "http://purl.org/dc/elements/1.1/ description":
					x.Description = s
				case "http://purl.org/dc/elements/1.1/ identifier":
					x.Identifier = s
				case "http://purl.org/dc/elements/1.1/ date":
					x.Date = s
				case "http://ns.adobe.com/pdf/1.3/ Keywords":
					x.Keywords = s
				case "http://ns.adobe.com/pdf/1.3/ Producer":
					x.Producer = s
				case "http://ns.adobe.com/xap/1.0/ CreatorTool":
					x.Tool = s
				case "http://ns.adobe.com/xap/1.0/ CreateDate":
					x.CreateDate = s
				case "http://ns.adobe.com/xap/1.0/ ModifyDate":
					x.ModifyDate = s
				}
			}
		}
	}
	return x
}
