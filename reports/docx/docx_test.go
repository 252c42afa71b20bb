package docx_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/docx"
	"baocao/reports/letter/lettertest"
	"baocao/reports/sample"
)

const nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func renderer(t testing.TB) *docx.Renderer {
	t.Helper()
	fam, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return docx.New(fam)
}

func seeds(t *testing.T) map[string]*doc.Document {
	t.Helper()
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	if len(files) < 5 {
		t.Fatalf("want the five seed plans, found %d", len(files))
	}
	out := map[string]*doc.Document{}
	for _, f := range files {
		d, err := doc.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = d
	}
	return out
}

// pkg is an opened DOCX package.
type pkg struct {
	names []string
	parts map[string][]byte
	times []time.Time
}

func open(t *testing.T, data []byte) *pkg {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	p := &pkg{parts: map[string][]byte{}}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := p.parts[f.Name]; dup {
			t.Errorf("part %s twice", f.Name)
		}
		p.names = append(p.names, f.Name)
		p.parts[f.Name] = b
		p.times = append(p.times, f.Modified)
	}
	return p
}

// node is a parsed XML element.
type node struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*node
	text     strings.Builder
}

func (n *node) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// walk calls fn for n and every element under it.
func (n *node) walk(fn func(*node)) {
	fn(n)
	for _, c := range n.children {
		c.walk(fn)
	}
}

func (n *node) child(local string) *node {
	for _, c := range n.children {
		if c.name.Local == local {
			return c
		}
	}
	return nil
}

// parse reads a part, failing the test when it is not well-formed XML.
func parse(t *testing.T, name string, data []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := &node{}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name, attrs: tok.Attr}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text.Write(tok)
		}
	}
	if len(root.children) != 1 {
		t.Fatalf("%s: %d root elements", name, len(root.children))
	}
	return root.children[0]
}

// order is the sequence of the children of the properties elements
// baocao writes, as ECMA-376 Part 1 (transitional) lists them in
// CT_PPrBase, CT_RPr (EG_RPrBase), CT_SectPr, CT_TblPr, CT_TcPr; a child
// out of this order does not validate against the schema.
var order = map[string][]string{
	"pPr": {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
		"pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
		"autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
		"suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
		"rPr", "sectPr", "pPrChange"},
	"rPr": {"rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
		"emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position",
		"sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
		"eastAsianLayout", "specVanish", "oMath"},
	"sectPr": {"headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
		"pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
		"bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"},
	"tblPr": {"tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
		"tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
		"tblDescription", "tblPrChange"},
	"tcPr": {"cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
		"tcFitText", "vAlign", "hideMark"},
	"pBdr":       {"top", "left", "bottom", "right", "between", "bar"},
	"tblBorders": {"top", "left", "start", "bottom", "right", "end", "insideH", "insideV"},
	"tblCellMar": {"top", "left", "start", "bottom", "right", "end"},
	"style": {"name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
		"unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr",
		"tblPr", "trPr", "tcPr", "tblStylePr"},
}

// checkOrder checks the children of every properties element.
func checkOrder(t *testing.T, part string, root *node) {
	t.Helper()
	root.walk(func(n *node) {
		seq, ok := order[n.name.Local]
		if !ok || n.name.Space != nsW || n.name.Local == "rPr" && len(n.children) > 0 && n.children[0].name.Local == "ins" {
			return
		}
		last := -1
		for _, c := range n.children {
			i := slices.Index(seq, c.name.Local)
			if i < 0 {
				t.Errorf("%s: w:%s holds w:%s, which the schema does not allow there", part, n.name.Local, c.name.Local)
				continue
			}
			if i < last || i == last && c.name.Local != "headerReference" && c.name.Local != "footerReference" {
				t.Errorf("%s: w:%s: w:%s out of the schema's order (or twice)", part, n.name.Local, c.name.Local)
			}
			last = i
		}
	})
}

// checkPackage checks what makes Word open a package without a repair:
// every part well-formed XML, content types and relationships
// consistent, the properties in the schema's order, parts in a fixed
// order with one time.
func checkPackage(t *testing.T, data []byte) (*pkg, map[string]*node) {
	t.Helper()
	p := open(t, data)
	if len(p.names) == 0 || p.names[0] != "[Content_Types].xml" {
		t.Fatalf("first part %v, want [Content_Types].xml", p.names)
	}
	if !slices.IsSorted(p.names[1:]) {
		t.Errorf("parts not in order: %v", p.names)
	}
	for _, m := range p.times {
		if !m.Equal(p.times[0]) {
			t.Errorf("zip times differ: %v", p.times)
			break
		}
	}
	trees := map[string]*node{}
	for name, b := range p.parts {
		trees[name] = parse(t, name, b)
	}
	// Content types: each part has one, each override names a part.
	ct := trees["[Content_Types].xml"]
	defaults, overrides := map[string]string{}, map[string]string{}
	for _, c := range ct.children {
		switch c.name.Local {
		case "Default":
			defaults[c.attr("Extension")] = c.attr("ContentType")
		case "Override":
			overrides[strings.TrimPrefix(c.attr("PartName"), "/")] = c.attr("ContentType")
		}
	}
	for name := range overrides {
		if _, ok := p.parts[name]; !ok {
			t.Errorf("content type for a missing part %s", name)
		}
	}
	for _, name := range p.names[1:] {
		if overrides[name] == "" && defaults[strings.TrimPrefix(path.Ext(name), ".")] == "" {
			t.Errorf("part %s has no content type", name)
		}
	}
	if overrides["word/document.xml"] != "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" {
		t.Errorf("main part's type %q", overrides["word/document.xml"])
	}
	// Relationships: each target exists, each id used is defined.
	ids := map[string]map[string]string{} // source part → id → target
	for name, tree := range trees {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		dir, file := path.Split(name)
		source := path.Join(strings.TrimSuffix(dir, "_rels/"), strings.TrimSuffix(file, ".rels"))
		ids[source] = map[string]string{}
		for _, r := range tree.children {
			target := path.Join(path.Dir(source), r.attr("Target"))
			if _, ok := p.parts[target]; !ok {
				t.Errorf("%s: relationship %s to a missing part %s", name, r.attr("Id"), target)
			}
			if _, dup := ids[source][r.attr("Id")]; dup {
				t.Errorf("%s: id %s twice", name, r.attr("Id"))
			}
			ids[source][r.attr("Id")] = r.attr("Type")
		}
	}
	if !strings.HasSuffix(ids["."]["rIdDocument"], "/officeDocument") && !strings.HasSuffix(ids[""]["rIdDocument"], "/officeDocument") {
		t.Errorf("no officeDocument relationship: %v", ids)
	}
	trees["word/document.xml"].walk(func(n *node) {
		for _, a := range n.attrs {
			if a.Name.Space == "http://schemas.openxmlformats.org/officeDocument/2006/relationships" && ids["word/document.xml"][a.Value] == "" {
				t.Errorf("document.xml: r:%s=%q is not a relationship of the part", a.Name.Local, a.Value)
			}
		}
	})
	for name, tree := range trees {
		if strings.HasPrefix(name, "word/") && !strings.Contains(name, "_rels") {
			checkOrder(t, name, tree)
		}
	}
	return p, trees
}

// sections are the section properties of a document, in order.
func sections(body *node) []*node {
	var out []*node
	body.walk(func(n *node) {
		if n.name.Local == "sectPr" {
			out = append(out, n)
		}
	})
	return out
}

func TestSeedsPackages(t *testing.T) {
	r := renderer(t)
	ctx := context.Background()
	for name, d := range seeds(t) {
		t.Run(name, func(t *testing.T) {
			data, err := r.Document(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			_, trees := checkPackage(t, data)
			body := trees["word/document.xml"].child("body")
			secs := sections(body)
			want := 1 + len(d.Printed().Appendices)
			if d.PromulgatedBy != nil {
				want++
			}
			if len(secs) != want {
				t.Errorf("%d sections, want %d", len(secs), want)
			}
			if last := body.children[len(body.children)-1]; last.name.Local != "sectPr" {
				t.Errorf("the body ends with w:%s, not the last section's properties", last.name.Local)
			}
			for i, s := range secs {
				sz, mar := s.child("pgSz"), s.child("pgMar")
				land := sz.attr("orient") == "landscape"
				w, h := "11906", "16838"
				top, bottom, left, right := "1134", "1134", "1701", "850" // 20, 20, 30, 15 mm
				if land {
					w, h = h, w
					top, bottom, left, right = "1134", "850", "1134", "850" // 20, 15, 20, 15 mm
				}
				if sz.attr("w") != w || sz.attr("h") != h {
					t.Errorf("section %d: page %sx%s, want A4 %sx%s", i, sz.attr("w"), sz.attr("h"), w, h)
				}
				if mar.attr("top") != top || mar.attr("bottom") != bottom || mar.attr("left") != left || mar.attr("right") != right {
					t.Errorf("section %d: margins %v", i, mar.attrs)
				}
				if s.child("titlePg") == nil || s.child("pgNumType") == nil || s.child("pgNumType").attr("start") != "1" {
					t.Errorf("section %d: not numbered from 1 with a different first page", i)
				}
				if i > btoi(d.PromulgatedBy != nil) && land != d.Printed().Appendices[i-1-btoi(d.PromulgatedBy != nil)].IsLandscape() {
					t.Errorf("section %d: landscape %v", i, land)
				}
			}
			checkTables(t, body, d)
			// Times New Roman named as the font, the body's style.
			styles := trees["word/styles.xml"]
			var font string
			styles.walk(func(n *node) {
				if n.name.Local == "rFonts" && font == "" {
					font = n.attr("ascii")
				}
			})
			if font != docx.FontName {
				t.Errorf("font %q", font)
			}
			var normal bool
			styles.walk(func(n *node) {
				if n.name.Local == "style" && n.attr("styleId") == "Normal" && n.attr("default") == "1" {
					normal = true
				}
			})
			if !normal {
				t.Error("no default paragraph style")
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkTables: the header block is a borderless table; each appendix
// table repeats its header row and lets its rows split; it has a row per
// task.
func checkTables(t *testing.T, body *node, d *doc.Document) {
	t.Helper()
	var tables []*node
	for _, c := range body.children {
		if c.name.Local == "tbl" {
			tables = append(tables, c)
		}
	}
	header := tables[0]
	for _, b := range header.child("tblPr").child("tblBorders").children {
		if b.attr("val") != "nil" {
			t.Errorf("the header block has a %s border", b.name.Local)
		}
	}
	var appendix []*node
	for _, tb := range tables {
		if tb.child("tblPr").child("tblBorders").child("insideH").attr("val") == "single" {
			appendix = append(appendix, tb)
		}
	}
	printed := d.Printed().Appendices
	if len(appendix) != len(printed) {
		t.Fatalf("%d ruled tables, want %d", len(appendix), len(printed))
	}
	for k, tb := range appendix {
		var rows []*node
		for _, c := range tb.children {
			if c.name.Local == "tr" {
				rows = append(rows, c)
			}
		}
		if len(rows) != 1+len(printed[k].Tasks) {
			t.Errorf("table %d: %d rows, want a header and %d", k, len(rows), len(printed[k].Tasks))
			continue
		}
		if tr := rows[0].child("trPr"); tr == nil || tr.child("tblHeader") == nil {
			t.Errorf("table %d: the header row does not repeat", k)
		}
		for i, row := range rows[1:] {
			if tr := row.child("trPr"); tr != nil && tr.child("cantSplit") != nil {
				t.Errorf("table %d, row %d may not split", k, i+1)
			}
		}
	}
}

// TestDeterministic: the same document gives the same bytes, its zip
// times its own date.
func TestDeterministic(t *testing.T) {
	r := renderer(t)
	d := seeds(t)["lai-chau-2024"]
	var prev []byte
	for range 3 {
		data, err := r.Document(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil && !bytes.Equal(prev, data) {
			t.Fatal("two renders differ")
		}
		prev = data
	}
	p := open(t, prev)
	if want := d.Date.Created(); !p.times[0].Equal(want) {
		t.Errorf("zip time %v, want the document's %v", p.times[0], want)
	}
	core := string(p.parts["docProps/core.xml"])
	if !strings.Contains(core, d.Date.Created().UTC().Format("2006-01-02T15:04:05Z")) || !strings.Contains(core, "Tuyên truyền") {
		t.Errorf("core properties: %s", core)
	}
}

// TestDraftAndStamp: a draft's first page says "DỰ THẢO" in its header;
// an appendix file of a numbered document carries its number and date at
// the top right of its first page (Decree 30, App. I, Part II).
func TestDraftAndStamp(t *testing.T) {
	r := renderer(t)
	d := sample.Plan(3)
	d.Draft = false
	data, err := r.Appendix(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	p, trees := checkPackage(t, data)
	first := firstHeader(t, p, trees)
	if !strings.Contains(first, "15/KH-UBND ngày") {
		t.Errorf("appendix file's first-page header: %q", first)
	}
	d.Number, d.Draft = 0, true
	data, err = r.Document(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	p, trees = checkPackage(t, data)
	if first := firstHeader(t, p, trees); first != "DỰ THẢO" {
		t.Errorf("draft's first-page header: %q", first)
	}
}

// firstHeader is the text of the first section's first-page header.
func firstHeader(t *testing.T, p *pkg, trees map[string]*node) string {
	t.Helper()
	sec := sections(trees["word/document.xml"].child("body"))[0]
	var id string
	for _, h := range sec.children {
		if h.name.Local == "headerReference" && h.attr("type") == "first" {
			id = h.attr("id")
		}
	}
	for _, r := range trees["word/_rels/document.xml.rels"].children {
		if r.attr("Id") == id {
			var s strings.Builder
			trees["word/"+r.attr("Target")].walk(func(n *node) {
				if n.name.Local == "t" {
					s.WriteString(n.text.String())
				}
			})
			return s.String()
		}
	}
	t.Fatalf("no first-page header %q", id)
	return ""
}

// TestCancelled: a render whose context ended stops with its error.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := renderer(t)
	d := sample.Plan(200)
	if _, err := r.Document(ctx, d); !errors.Is(err, context.Canceled) {
		t.Errorf("Document: %v", err)
	}
	if _, err := r.Appendix(ctx, d); !errors.Is(err, context.Canceled) {
		t.Errorf("Appendix: %v", err)
	}
}

// TestText: markup and spacing reach the file as text: Markdown styles
// as runs, characters XML escapes, glue as no-break spaces.
func TestText(t *testing.T) {
	d := sample.Plan(1)
	d.Body = "## I. MỤC ĐÍCH\n\nGiai đoạn 2016 - 2020, **đậm** và *nghiêng* <b>&amp; \"x\"</b>.\n\n- Mục một"
	data, err := renderer(t).Document(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	_, trees := checkPackage(t, data)
	var runs []string
	trees["word/document.xml"].walk(func(n *node) {
		if n.name.Local != "r" {
			return
		}
		var style, text string
		for _, c := range n.children {
			switch c.name.Local {
			case "rPr":
				if c.child("b") != nil {
					style += "b"
				}
				if c.child("i") != nil {
					style += "i"
				}
			case "t":
				text += c.text.String()
			}
		}
		runs = append(runs, style+":"+text)
	})
	all := strings.Join(runs, "|")
	for _, want := range []string{"b:I. MỤC ĐÍCH", ":Giai đoạn 2016\u00a0-\u00a02020, ", "b:đậm", "i:nghiêng", `<b>&amp; "x"</b>.`, ":-\u00a0|:Mục một"} {
		if !strings.Contains(all, want) {
			t.Errorf("no run %q in %s", want, all)
		}
	}
}

// paraText is a paragraph's text: its w:t, a line break and a no-break
// space as a space.
func paraText(p *node) string {
	var s strings.Builder
	p.walk(func(n *node) {
		switch n.name.Local {
		case "t":
			s.WriteString(n.text.String())
		case "br":
			s.WriteString(" ")
		}
	})
	return strings.ReplaceAll(s.String(), "\u00a0", " ")
}

// TestLetter: a công văn (the Lai Châu demo's Quý I reminder letter)
// has its "V/v …" summary in the header table's agency column, on a row
// under the number, 12 pt, and no kind line or centred title; then
// "Kính gửi:" with the agencies, the body, the closing and its appendix
// in a section of its own. The appendix's narrow agency column keeps a
// glued run wider than itself breakable ("Phát thanh – Truyền").
func TestLetter(t *testing.T) {
	ld, _ := lettertest.LetterQ1(t)
	data, err := renderer(t).Document(context.Background(), ld)
	if err != nil {
		t.Fatal(err)
	}
	_, trees := checkPackage(t, data)
	body := trees["word/document.xml"].child("body")
	header := body.child("tbl")
	var rows []*node
	for _, c := range header.children {
		if c.name.Local == "tr" {
			rows = append(rows, c)
		}
	}
	if len(rows) != 3 {
		t.Fatalf("the header table has %d rows, want 3 (agencies, number and date, V/v)", len(rows))
	}
	var cells []*node
	for _, c := range rows[2].children {
		if c.name.Local == "tc" {
			cells = append(cells, c)
		}
	}
	subject := cells[0].child("p")
	if got := paraText(subject); !strings.HasPrefix(got, "V/v đôn đốc báo cáo kết quả thực hiện") {
		t.Errorf("the header's third row reads %q", got)
	}
	if sz := subject.child("pPr").child("rPr").child("sz"); sz == nil || sz.attr("val") != "24" {
		t.Error("the V/v line is not 12 pt")
	}
	for _, c := range cells[1:] {
		if got := paraText(c); got != "" {
			t.Errorf("the V/v row's other cells hold %q", got)
		}
	}
	var texts []string
	var styles []string
	for _, c := range body.children {
		if c.name.Local == "p" {
			texts = append(texts, paraText(c))
			if ps := c.child("pPr").child("pStyle"); ps != nil {
				styles = append(styles, ps.attr("val"))
			}
		}
	}
	all := strings.Join(texts, "\n")
	if slices.Contains(styles, "Title") || strings.Contains(all, "CÔNG VĂN") {
		t.Errorf("a công văn with a kind line or a title: styles %v", styles)
	}
	for _, want := range []string{"Kính gửi:", "- Sở Nội vụ.", "Thực hiện Kế hoạch", "Phụ lục"} {
		if !strings.Contains(all, want) {
			t.Errorf("the letter lacks %q", want)
		}
	}
	if !strings.Contains(string(open(t, data).parts["word/document.xml"]), "Phát thanh – Truyền") {
		t.Error("the Đài's name in the appendix's agency column is glued wider than the column")
	}
}
