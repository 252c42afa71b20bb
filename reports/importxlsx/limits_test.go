package importxlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"baocao/reports/doc"
	"baocao/reports/sample"
	"baocao/reports/xlsx"
)

// memBound is what reading a refused file may allocate in all.
const memBound = 64 << 20

// part is a zip entry of a crafted file: its content (or its packed form
// with the sizes and CRC it declares).
type part struct {
	name string
	data []byte
	// raw, when set, is written as is (deflated), declaring size and crc.
	raw  []byte
	size uint64
	crc  uint32
}

// craft writes a zip of the parts.
func craft(t testing.TB, parts ...part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		if p.raw == nil {
			w, err := zw.Create(p.name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(p.data)
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: p.crc,
			CompressedSize64: uint64(len(p.raw)), UncompressedSize64: p.size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.raw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// packed deflates prefix, n copies of chunk and suffix without holding
// the whole: the chunk is packed once and its blocks repeated (each
// copy refers only to itself). It returns the packed bytes, the size
// and the CRC of the unpacked stream.
func packed(prefix string, chunk []byte, n int, suffix string) ([]byte, uint64, uint32) {
	seg := func(b []byte, final bool) []byte {
		var out bytes.Buffer
		w, _ := flate.NewWriter(&out, flate.BestCompression)
		w.Write(b)
		if final {
			w.Close()
		} else {
			w.Flush()
		}
		return out.Bytes()
	}
	c := seg(chunk, false)
	out := append([]byte(nil), seg([]byte(prefix), false)...)
	crc := crc32.ChecksumIEEE([]byte(prefix))
	for range n {
		out = append(out, c...)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	out = append(out, seg([]byte(suffix), true)...)
	crc = crc32.Update(crc, crc32.IEEETable, []byte(suffix))
	return out, uint64(len(prefix) + n*len(chunk) + len(suffix)), crc
}

// skeleton is a workbook of one sheet, xl/worksheets/sheet1.xml.
func skeleton() []part {
	return []part{
		{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`)},
		{name: "_rels/.rels", data: []byte(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{name: "xl/workbook.xml", data: []byte(`<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{name: "xl/_rels/workbook.xml.rels", data: []byte(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)},
	}
}

const (
	sheetHead = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Nội dung</t></is></c><c r="B1" t="inlineStr"><is><t>Cơ quan chủ trì</t></is></c></row>`
	sheetTail = `</sheetData></worksheet>`
)

// withSheet is the skeleton with the sheet XML given.
func withSheet(t testing.TB, sheet string, extra ...part) []byte {
	return craft(t, append(append(skeleton(), part{name: "xl/worksheets/sheet1.xml", data: []byte(sheet)}), extra...)...)
}

// taskRow is a row of the crafted table.
func taskRow(r int, extra string) string {
	return fmt.Sprintf(`<row r="%d"><c r="A%d" t="inlineStr"><is><t>Nhiệm vụ %d</t></is></c><c r="B%d" t="inlineStr"><is><t>Sở Nội vụ</t></is></c>%s</row>`, r, r, r, r, extra)
}

// crafted are the hostile files, by name, and whether each is too large
// (413) rather than refused for its shape (422).
func crafted(t testing.TB) []struct {
	name     string
	data     []byte
	tooLarge bool
	want     string
} {
	var out []struct {
		name     string
		data     []byte
		tooLarge bool
		want     string
	}
	add := func(name string, data []byte, tooLarge bool, want string) {
		out = append(out, struct {
			name     string
			data     []byte
			tooLarge bool
			want     string
		}{name, data, tooLarge, want})
	}
	good := sheetHead + taskRow(2, "") + sheetTail

	// An 8 KB file whose styles.xml declares 15 GB.
	small, _, crc := packed("<styleSheet>", []byte(strings.Repeat(" ", 4096)), 1, "</styleSheet>")
	add("declares 15 GB", withSheet(t, good, part{name: "xl/styles.xml", raw: small, size: 15 << 30, crc: crc}), true,
		"the part xl/styles.xml declares 15360 MB unpacked, over the limit of 4 MB")

	// A sheet that declares 1 KB and holds 100 MB.
	big, _, crc := packed(sheetHead, []byte(strings.Repeat(taskRow(3, ""), 100)), 5000, sheetTail)
	add("lies about its size", craft(t, append(skeleton(), part{name: "xl/worksheets/sheet1.xml", raw: big, size: 1 << 10, crc: crc})...), true,
		"the part xl/worksheets/sheet1.xml holds more than the 1 KB it declares")

	// 5,000 rows with a cell at the last column.
	var rows strings.Builder
	for r := 2; r <= 5001; r++ {
		rows.WriteString(taskRow(r, fmt.Sprintf(`<c r="XFD%d" t="inlineStr"><is><t>x</t></is></c>`, r)))
	}
	add("far cells", withSheet(t, sheetHead+rows.String()+`<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`+sheetTail), false,
		`sheet "Sheet1": the cell XFD2 is beyond column Z`)

	// A cell of 1 GB (1 MB packed), declared truly, and one declaring 60 MB.
	gb, size, crc := packed(sheetHead+`<row r="2"><c r="A2" t="inlineStr"><is><t>`, bytes.Repeat([]byte("A"), 1<<20), 1024, `</t></is></c></row>`+sheetTail)
	add("a 1 GB cell", craft(t, append(skeleton(), part{name: "xl/worksheets/sheet1.xml", raw: gb, size: size, crc: crc})...), true,
		"the part xl/worksheets/sheet1.xml declares 1024 MB unpacked, over the limit of 64 MB")
	add("a 1 GB cell declaring 60 MB", craft(t, append(skeleton(), part{name: "xl/worksheets/sheet1.xml", raw: gb, size: 60 << 20, crc: crc})...), true,
		"the part xl/worksheets/sheet1.xml holds more than the 60 MB it declares")
	// A cell of 600 KB, within every size limit of the package.
	add("a long cell", withSheet(t, sheetHead+`<row r="2"><c r="A2" t="inlineStr"><is><t>`+strings.Repeat("a", 600<<10)+`</t></is></c></row>`+sheetTail), false,
		`sheet "Sheet1": the cell A2 is longer than 512 KB`)
	add("a long text between tags", withSheet(t, sheetHead+`<row r="2"><x>`+digits(2<<20)+`</x></row>`+sheetTail), false,
		"the part xl/worksheets/sheet1.xml has an XML text or tag longer than 1 MB")

	// 1,001 parts.
	many := skeleton()
	for i := range 1001 {
		many = append(many, part{name: fmt.Sprintf("xl/media/p%d.bin", i), data: []byte("x")})
	}
	add("too many parts", craft(t, many...), true, "the file has more than 1000 parts")

	// 50 MB of rows packed 1000 to 1.
	bomb, size, crc := packed(sheetHead, bytes.Repeat([]byte(" "), 1<<20), 50, sheetTail)
	add("a zip bomb", craft(t, append(skeleton(), part{name: "xl/worksheets/sheet1.xml", raw: bomb, size: size, crc: crc})...), true,
		"the part xl/worksheets/sheet1.xml is packed")

	// Rows below the cap, nesting and shared strings.
	add("rows beyond the cap", withSheet(t, sheetHead+taskRow(2, "")+taskRow(20001, "")+sheetTail), false,
		`sheet "Sheet1": the cell A20001 is below row 20000`)
	add("deep nesting", withSheet(t, sheetHead+strings.Repeat("<x>", 1000)+strings.Repeat("</x>", 1000)+sheetTail), false,
		"nests XML elements more than 64 deep")
	add("rows out of order", withSheet(t, sheetHead+taskRow(3, "")+taskRow(2, "")+sheetTail), false,
		`the row "2" is out of order`)
	return out
}

// measure runs fn and returns what it allocated in all (TotalAlloc,
// garbage included) and how long it took.
func measure(fn func()) (uint64, time.Duration) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, d
}

// privateTmp points TMPDIR at an empty directory and returns a function
// counting the files left in it.
func privateTmp(t *testing.T) func() int {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return func() int {
		n := 0
		filepath.WalkDir(dir, func(_ string, d os.DirEntry, _ error) error {
			if d != nil && !d.IsDir() {
				n++
			}
			return nil
		})
		return n
	}
}

// TestHostileFiles: each crafted file is refused, quickly, within the
// memory bound, naming the limit, and leaves no temporary file.
func TestHostileFiles(t *testing.T) {
	left := privateTmp(t)
	for _, c := range crafted(t) {
		t.Run(c.name, func(t *testing.T) {
			var err error
			alloc, took := measure(func() { _, err = Read(bytes.NewReader(c.data)) })
			t.Logf("%d KB file: %v in %v, %.1f MB allocated", len(c.data)>>10, err, took.Round(time.Millisecond), float64(alloc)/(1<<20))
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want a FileError, got %v", err)
			}
			if fe.TooLarge != c.tooLarge || !strings.Contains(fe.En, c.want) || fe.Vi == "" {
				t.Errorf("got %+v, want too large %v and %q", fe, c.tooLarge, c.want)
			}
			if alloc > memBound {
				t.Errorf("allocated %d MB, over %d MB", alloc>>20, memBound>>20)
			}
			if took > 10*time.Second {
				t.Errorf("took %v", took)
			}
		})
	}
	if n := left(); n != 0 {
		t.Errorf("%d temporary files left", n)
	}
}

// TestFarEmptyCells: styled empty cells far to the right (as a sheet
// formatted to its last column has) are no value: the table is read
// without padding the rows.
func TestFarEmptyCells(t *testing.T) {
	var rows strings.Builder
	for r := 2; r <= 5001; r++ {
		rows.WriteString(taskRow(r, fmt.Sprintf(`<c r="XFD%d" s="1"/>`, r)))
	}
	data := withSheet(t, sheetHead+rows.String()+`<row r="1048576" ht="20" customHeight="1"/>`+sheetTail)
	var res *Result
	var err error
	alloc, took := measure(func() { res, err = Read(bytes.NewReader(data)) })
	t.Logf("%d KB file: %v, %.1f MB allocated", len(data)>>10, took.Round(time.Millisecond), float64(alloc)/(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tasks) != 5000 || len(res.Errors) != 0 {
		t.Fatalf("%d tasks, errors %v", len(res.Tasks), res.Errors)
	}
	if alloc > memBound {
		t.Errorf("allocated %d MB", alloc>>20)
	}
}

// TestColumnsPadsTheGap records why the importer does not use excelize's
// Rows.Columns: one cell at XFD1 makes it allocate the 16,383 empty
// cells before it.
func TestColumnsPadsTheGap(t *testing.T) {
	data := withSheet(t, sheetHead+`<row r="2"><c r="XFD2"><v>1</v></c></row>`+sheetTail)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rows.Next()
	rows.Next()
	var cols []string
	alloc, _ := measure(func() { cols, _ = rows.Columns() })
	t.Logf("Rows.Columns of a row with one cell at XFD: %d strings, %d KB allocated", len(cols), alloc>>10)
	if len(cols) != excelize.MaxColumns {
		t.Errorf("excelize changed: %d columns", len(cols))
	}
}

// TestTempFiles: reading leaves nothing in the temporary directory,
// whether it succeeds or fails.
func TestTempFiles(t *testing.T) {
	left := privateTmp(t)
	d := sample.Plan(3000)
	good, err := xlsx.Appendices(d, xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := left(); n != 0 {
		t.Fatalf("%d files before", n)
	}
	if res, err := Read(bytes.NewReader(good)); err != nil || len(res.Tasks) != len(d.Appendices[0].Tasks) {
		t.Fatalf("read: %v", err)
	}
	bad := append([]byte(nil), good...)
	bad[len(bad)/2] ^= 0xff // a damaged sheet
	if _, err := Read(bytes.NewReader(bad)); err == nil {
		t.Error("a damaged file was read")
	}
	if n := left(); n != 0 {
		t.Errorf("%d temporary files left", n)
	}
}

// TestNumbersAsExcelize: numbers, dates and booleans read as excelize's
// GetRows shows them.
func TestNumbersAsExcelize(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"STT", "Nội dung", "Cơ quan chủ trì", "Thời gian", "Ghi chú"})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	custom := "dd/mm/yyyy"
	vn, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	for i, v := range []any{45473, 45474.5, 0.714, 1234567.891, true} {
		r := i + 2
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", r), &[]any{r - 1, "Việc", "Sở Nội vụ", v, 3.0})
	}
	f.SetCellStyle("Sheet1", "D2", "D2", date)
	f.SetCellStyle("Sheet1", "D3", "D3", vn)
	f.SetCellStyle("Sheet1", "D4", "D4", pct)
	var buf bytes.Buffer
	f.Write(&buf)
	want, _ := f.GetRows("Sheet1")
	res, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for i, task := range res.Tasks {
		if task.Deadline.Text != want[i+1][3] {
			t.Errorf("row %d: %q, excelize shows %q", i+2, task.Deadline.Text, want[i+1][3])
		}
	}
	if len(res.Tasks) != 5 || res.Tasks[0].Deadline.Text != "06-30-24" || res.Tasks[1].Deadline.Text != "01/07/2024" {
		t.Errorf("tasks %+v", res.Tasks)
	}
}

// TestLargeTable: the largest table baocao writes (20,000 tasks) is read,
// and what reading it costs.
func TestLargeTable(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	d := sample.Plan(MaxRows - 10)
	data, err := xlsx.Appendices(d, xlsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var res *Result
	alloc, took := measure(func() { res, err = Read(bytes.NewReader(data)) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d tasks from %d KB: %v, %d MB allocated", len(res.Tasks), len(data)>>10, took.Round(time.Millisecond), alloc>>20)
	if len(res.Tasks) != len(d.Appendices[0].Tasks) {
		t.Errorf("%d tasks", len(res.Tasks))
	}
}

// seeds are real files baocao writes and the crafted ones.
func seeds(t testing.TB) [][]byte {
	files, _ := filepath.Glob("../../testdata/plans/*.json")
	var out [][]byte
	for _, f := range files {
		d, err := doc.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data, err := xlsx.Appendices(d, xlsx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	for _, c := range crafted(t) {
		if len(c.data) < 256<<10 {
			out = append(out, c.data)
		}
	}
	return out
}

// FuzzImport: no file makes Read panic or allocate beyond the bound.
func FuzzImport(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var res *Result
		var err error
		alloc, _ := measure(func() { res, err = Read(bytes.NewReader(data)) })
		if alloc > memBound {
			t.Fatalf("allocated %d MB reading %d bytes", alloc>>20, len(data))
		}
		if err == nil && len(res.Tasks) != len(res.Rows) {
			t.Fatalf("%d tasks, %d rows", len(res.Tasks), len(res.Rows))
		}
	})
}

// digits are n pseudo-random digits (they do not pack well).
func digits(n int) string {
	b := make([]byte, n)
	x := uint32(1)
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = '0' + byte(x>>24)%10
	}
	return string(b)
}
