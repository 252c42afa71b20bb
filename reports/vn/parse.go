package vn

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DateLayout is how pages, exports and messages write a day: 15/03/2024.
const DateLayout = "02/01/2006"

// DMY writes a day as dd/mm/yyyy.
func DMY(t time.Time) string { return t.Format(DateLayout) }

var dmyRe = regexp.MustCompile(`^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$`)
var isoRe = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)

// DateError is a date a person typed that is no day, worded in
// Vietnamese and in English.
type DateError struct{ Text string }

func (e *DateError) Error() string {
	return fmt.Sprintf("“%s” không phải là một ngày dạng ngày/tháng/năm, ví dụ 15/03/2024 / not a date dd/mm/yyyy", e.Text)
}

// ParseDate reads a day as a Vietnamese clerk types it: dd/mm/yyyy (also
// d/m/yyyy, and with "-" or "." between), or yyyy-mm-dd. The day must
// exist (no 31/02). It answers midnight UTC of that day.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, m, d int
	if g := dmyRe.FindStringSubmatch(s); g != nil {
		d, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		y, _ = strconv.Atoi(g[3])
	} else if g := isoRe.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
	} else {
		return time.Time{}, &DateError{Text: s}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d {
		return time.Time{}, &DateError{Text: s}
	}
	return t, nil
}
