// Package vn formats dates, numbers and words the way Vietnamese official
// documents write them (Decree 30/2020/NĐ-CP and common usage).
package vn

import (
	"fmt"
	"strings"
)

// Blank stands for a part of a date or number left blank on a draft.
const Blank = "      "

// Day formats a day of the month: below 10 with a leading 0.
func Day(d int) string { return fmt.Sprintf("%02d", d) }

// Month formats a month: 01 and 02 with a leading 0 (so that a later hand
// cannot turn "1" into "11" or "12"), others without.
func Month(m int) string {
	if m <= 2 {
		return fmt.Sprintf("%02d", m)
	}
	return fmt.Sprint(m)
}

// DateWords writes "ngày 05 tháng 01 năm 2024"; zero day or month is left
// blank for a draft ("ngày      tháng      năm 2024").
func DateWords(year, month, day int) string {
	var b strings.Builder
	b.WriteString("ngày ")
	if day > 0 {
		b.WriteString(Day(day))
	} else {
		b.WriteString(Blank)
	}
	b.WriteString(" tháng ")
	if month > 0 {
		b.WriteString(Month(month))
	} else {
		b.WriteString(Blank)
	}
	fmt.Fprintf(&b, " năm %d", year)
	return b.String()
}

// DateLine writes the place-and-date line: "Lai Châu, ngày 05 tháng 01 năm 2024".
func DateLine(place string, year, month, day int) string {
	return place + ", " + DateWords(year, month, day)
}

// Upper puts Vietnamese text in capitals (ToUpper is correct for all
// Vietnamese letters, đ included).
func Upper(s string) string { return strings.ToUpper(s) }

// Roman writes 1–39 as a Roman numeral (I, II, … XXXIX), for section and
// appendix numbers; other values are written in Arabic digits.
func Roman(n int) string {
	if n <= 0 || n >= 40 {
		return fmt.Sprint(n)
	}
	tens := []string{"", "X", "XX", "XXX"}
	ones := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"}
	return tens[n/10] + ones[n%10]
}
