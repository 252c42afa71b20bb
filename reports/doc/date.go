package doc

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is an issue date that may be partial: a draft knows its year and
// perhaps its month, and prints blanks for the rest.
type Date struct {
	Year, Month, Day int
	// invalid keeps a parse error from JSON so that Validate can report it
	// with the field's name.
	invalid error
}

// ParseDate reads "2024", "2024-01" or "2024-01-05" and rejects impossible
// dates such as 2024-02-31.
func ParseDate(s string) (Date, error) {
	parts := strings.Split(strings.TrimSpace(s), "-")
	if len(parts) > 3 || parts[0] == "" {
		return Date{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || (i == 0 && len(p) != 4) || (i > 0 && len(p) != 2) {
			return Date{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		n[i] = v
	}
	d := Date{Year: n[0], Month: n[1], Day: n[2]}
	if d.Year < 1945 || d.Year > 9999 {
		return Date{}, fmt.Errorf("date %q: year out of range", s)
	}
	if len(parts) >= 2 && (d.Month < 1 || d.Month > 12) {
		return Date{}, fmt.Errorf("date %q: month must be 1–12", s)
	}
	if len(parts) == 3 {
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if d.Day < 1 || t.Day() != d.Day {
			return Date{}, fmt.Errorf("date %q: no such day", s)
		}
	}
	return d, nil
}

// Complete reports whether the date has a day, month and year.
func (d Date) Complete() bool { return d.Day > 0 && d.Month > 0 }

// Time is the date at midnight UTC, or the zero time for a partial date.
func (d Date) Time() time.Time {
	if !d.Complete() {
		return time.Time{}
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

func (d Date) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// MarshalJSON writes the ISO form.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads the ISO form.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		*d = Date{invalid: fmt.Errorf("want a date string such as \"2024-01-05\"")}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		*d = Date{invalid: err}
		return nil
	}
	*d = v
	return nil
}

// Created is the creation time every renderer writes into its files (PDF
// info, XLSX properties and zip entries), so that output depends on the
// document alone: its date, a draft's missing month or day taken as the
// first; no date (year 0) is 2000-01-01, as the XLSX options say.
func (d Date) Created() time.Time {
	return time.Date(max(d.Year, 2000), time.Month(max(d.Month, 1)), max(d.Day, 1), 0, 0, 0, 0, time.UTC)
}
