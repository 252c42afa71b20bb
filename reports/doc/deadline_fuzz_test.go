package doc_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"baocao/reports/doc"
	"baocao/reports/period"
)

// hostileDeadlines are words that once meant a wrong day or none.
var hostileDeadlines = []string{
	"Trước ngày 31 tháng 2 năm 2024", "ngày 45 tháng 6 năm 2024", "31/02/2024", "29/2/2023", "0/0/0000",
	"02 lần vào Quý II và Quý IV", "Quý IV/2025 - Quý II/2026", "Từ Quý III/2024 đến Quý I/2025",
	"01 lần/quý", "2 lần trong năm", "Trước ngày 30/6/2024", "ngày 15 tháng 6 năm 2024",
	"Tháng 6 và tháng 12/2024", "Quý II - Quý III năm 2024", "Quý IV - Quý II", "Năm 2000 - 2030",
	"Quý V", "Tháng 13/2024", "Trước ngày 99 hằng tháng", "9999 lần/quý", "0 lần", "Quý IV/0000 - Quý I/0000",
	"Quý IV - Quý I/0000", "Từ ngày 31/12/9999 đến 1/1/0000", "ngày 16 tháng 3, 6, 9, 12, 15 năm 2024",
	"Định kỳ định kỳ định kỳ định kỳ Quý I", "02 lần 02 lần 02 lần vào Quý II", "Quý I, , năm", "- - -", "đến đến",
	"Khi có yêu cầu, chậm nhất 31/02/2024", "tháng\u00a06/2024", "Quý II (02 lần)", "/quý",
}

var periodCode = regexp.MustCompile(`^(?:(\d{4})-)?(Q[1-4]|H1|9M|Y)$`)

// FuzzDeadline: Meaning never panics, says the same twice, and a day or
// month it gives exists.
func FuzzDeadline(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "plans", "*.json"))
	for _, name := range files {
		r, err := os.Open(name)
		if err != nil {
			f.Fatal(err)
		}
		d, err := doc.Decode(r)
		r.Close()
		if err != nil {
			f.Fatal(err)
		}
		for _, a := range d.Appendices {
			for _, t := range a.Tasks {
				f.Add(t.Deadline.Text, d.Date.Year)
			}
		}
	}
	for _, s := range hostileDeadlines {
		f.Add(s, 2024)
		f.Add(s, 2023)
	}
	f.Fuzz(func(t *testing.T, text string, year int) {
		year = 1945 + (year%8000+8000)%8000 // a plan's year, 1945–9944
		d := doc.Deadline{Text: text}
		m := d.Meaning(year)
		if m2 := d.Meaning(year); !reflect.DeepEqual(m, m2) {
			t.Fatalf("%q: %+v then %+v", text, m, m2)
		}
		err := d.Check(year)
		if (err != nil) != (m.Kind == doc.Invalid) || (m.Kind == doc.Invalid) != (m.Problem != "") {
			t.Fatalf("%q: %+v, Check %v", text, m, err)
		}
		if err != nil && errors.Unwrap(err) != nil {
			t.Fatalf("%q: wrapped error", text)
		}
		real := func(y, mo, dd int) bool {
			return mo >= 1 && mo <= 12 && time.Date(y, time.Month(mo), dd, 0, 0, 0, 0, time.UTC).Day() == dd
		}
		switch m.Kind {
		case doc.OnDate:
			dt := m.Date
			if dt.IsZero() || dt.Location() != time.UTC || dt.Hour() != 0 || dt.Year() != m.Year {
				t.Fatalf("%q: date %v of %+v", text, dt, m)
			}
			// The day read back in words is the same day.
			back := doc.Deadline{Text: fmt.Sprintf("ngày %d tháng %d năm %04d", dt.Day(), dt.Month(), dt.Year())}.Meaning(year)
			if dt.Year() >= 0 && dt.Year() <= 9999 && (back.Kind != doc.OnDate || !back.Date.Equal(dt)) {
				t.Fatalf("%q: %v read back as %+v", text, dt, back)
			}
		case doc.InMonth:
			if len(m.Months) != 1 || !real(m.Year, m.Months[0], 1) {
				t.Fatalf("%q: month %+v", text, m)
			}
		case doc.InMonths:
			if len(m.Months) < 2 || !slices.IsSorted(m.Months) || m.Day < 0 || m.Day > 31 {
				t.Fatalf("%q: months %+v", text, m)
			}
			for _, mo := range m.Months {
				if !real(m.Year, mo, 1) {
					t.Fatalf("%q: month %d in %+v", text, mo, m)
				}
			}
		case doc.Quarter:
			if m.Quarter < 1 || m.Quarter > 4 {
				t.Fatalf("%q: quarter %+v", text, m)
			}
		case doc.Periods:
			if len(m.Periods) == 0 {
				t.Fatalf("%q: no periods %+v", text, m)
			}
			for _, c := range m.Periods {
				if !periodCode.MatchString(c) {
					t.Fatalf("%q: period %q in %+v", text, c, m)
				}
			}
		case doc.Regular, doc.Year, doc.FreeText, doc.Invalid:
		default:
			t.Fatalf("%q: kind %q", text, m.Kind)
		}
		for y := m.Year - 1; y <= m.Year+1; y++ {
			for _, p := range period.All(y) {
				period.Due(m, p)
			}
		}
	})
}
