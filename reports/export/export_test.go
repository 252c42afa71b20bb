package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// generate yields n submissions, some with formula-like texts.
func generate(n int) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		at := time.Date(2024, 3, 12, 2, 30, 0, 0, time.UTC)
		for i := 0; i < n; i++ {
			r := Row{Plan: "Kế hoạch tuyên truyền cải cách hành chính tỉnh Lai Châu năm 2024", TaskNumber: i%14 + 1,
				Task: "Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử tỉnh", Agency: "Văn phòng UBND tỉnh",
				Period: "2024-Q1", Status: "Hoàn thành", Result: fmt.Sprintf("Đăng %d tin, bài", i%40),
				Figures: "24 tin bài", SubmittedBy: "Nguyễn Thị Hoa", SubmittedAt: at.Add(time.Duration(i) * time.Minute), Revision: 1}
			switch i % 5 {
			case 1:
				r.Result = "=HYPERLINK(\"http://x\",\"bấm\")"
			case 2:
				r.SubmittedBy = "@SUM(A1:A9)"
			case 3:
				r.Result = "-5 + 3"
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

func TestInert(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+84 912": "'+84 912", "-5": "'-5", "@x": "'@x",
		"\tx": "'\tx", "\rx": "'\rx", "Hoàn thành": "Hoàn thành", "": "", "a=b": "a=b"} {
		if got := Inert(in); got != want {
			t.Errorf("Inert(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := CSV(&b, generate(10), ','); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\ufeffKế hoạch,STT")) {
		t.Fatalf("no BOM or header: %q", b.String()[:30])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 11 || rows[2][6] != `'=HYPERLINK("http://x","bấm")` || rows[3][8] != "'@SUM(A1:A9)" || rows[1][9] != "12/03/2024 09:30" {
		t.Errorf("rows %q", rows[1:4])
	}
	// With ";" (Excel with Vietnamese regional settings): the same records.
	b.Reset()
	if err := CSV(&b, generate(10), ';'); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff")))
	r.Comma = ';'
	semi, err := r.ReadAll()
	if err != nil || !strings.HasPrefix(b.String(), "\ufeffKế hoạch;STT") || len(semi) != len(rows) || semi[2][6] != rows[2][6] {
		t.Errorf("semicolon CSV: %v %q", err, b.String()[:40])
	}
}

func TestXLSX(t *testing.T) {
	var b bytes.Buffer
	if err := XLSX(&b, generate(10), "Times New Roman"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Tiến độ")
	if len(rows) != 11 || rows[0][0] != "Kế hoạch" {
		t.Fatalf("%d rows", len(rows))
	}
	for r := 2; r <= 11; r++ {
		for c := 1; c <= 12; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			if formula, _ := f.GetCellFormula("Tiến độ", cell); formula != "" {
				t.Errorf("%s is a formula: %s", cell, formula)
			}
		}
	}
	if v, _ := f.GetCellValue("Tiến độ", "G3"); v != `'=HYPERLINK("http://x","bấm")` {
		t.Errorf("G3 %q", v)
	}
	if typ, _ := f.GetCellType("Tiến độ", "B2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Error("STT is text")
	}
}

// TestOpensInLibreOffice: the XLSX export opens in LibreOffice with every
// row, and formula-like texts come out as text.
func TestOpensInLibreOffice(t *testing.T) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("libreoffice is required")
		}
		t.Skip("libreoffice not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "tien-do.xlsx")
	f, _ := os.Create(in)
	if err := XLSX(f, generate(500), "Times New Roman"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command(lo, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "p"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in).CombinedOutput()
	if err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "tien-do.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 501 {
		t.Fatalf("LibreOffice shows %d rows, want 501", len(rows))
	}
	if rows[2][6] != `'=HYPERLINK("http://x","bấm")` || rows[4][6] != "'-5 + 3" {
		t.Errorf("formula-like texts: %q %q", rows[2][6], rows[4][6])
	}
}

// BenchmarkExport200k streams 200,000 submissions to each format and
// reports the peak heap in use (sampled) and the file size.
func BenchmarkExport200k(b *testing.B) {
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var peak uint64
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					var m runtime.MemStats
					for {
						runtime.ReadMemStats(&m)
						peak = max(peak, m.HeapInuse)
						select {
						case <-stop:
							return
						case <-time.After(20 * time.Millisecond):
						}
					}
				}()
				var n countingWriter
				var err error
				if format == "csv" {
					err = CSV(&n, generate(200000), ',')
				} else {
					err = XLSX(&n, generate(200000), "Times New Roman")
				}
				close(stop)
				<-done
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(n)/(1<<20), "file-MB")
			}
		})
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
