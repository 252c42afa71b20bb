package vn

import (
	"math"
	"strconv"
	"strings"
)

// Number writes x with "." between thousands and "," before decimals,
// with at most decimals digits after the comma and no trailing zeros:
// Number(1234.5, 1) = "1.234,5", Number(1234, 1) = "1.234".
func Number(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	var b strings.Builder
	if neg && (strings.Trim(intPart, "0") != "" || frac != "") {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// Int writes an integer with thousands separators: 1.234.567.
func Int(n int64) string { return Number(float64(n), 0) }

// Percent writes part/whole as a percentage with one decimal: 71,4%; a
// whole of zero gives "0%".
func Percent(part, whole float64) string {
	if whole == 0 {
		return "0%"
	}
	return Number(math.Round(part/whole*1000)/10, 1) + "%"
}

var digits = [...]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// Words reads a whole number out in Vietnamese: 14 "mười bốn", 21 "hai
// mươi mốt", 105 "một trăm linh năm", 1001 "một nghìn không trăm linh một".
func Words(n int64) string {
	if n == 0 {
		return "không"
	}
	if n < 0 {
		return "âm " + Words(-n)
	}
	scales := []string{"", "nghìn", "triệu", "tỷ"}
	var groups []int
	for m := n; m > 0; m /= 1000 {
		groups = append(groups, int(m%1000))
	}
	var parts []string
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			// "một tỷ không trăm nghìn" is not said: a zero group is skipped,
			// except that the scale "tỷ" repeats every nine digits.
			if i > 0 && i%3 == 0 && i/3 > 0 && len(parts) > 0 {
				parts = append(parts, "tỷ")
			}
			continue
		}
		full := i < len(groups)-1 // a group after a higher one reads its hundreds
		parts = append(parts, group(g, full))
		if i > 0 {
			scale := scales[i%3]
			if i%3 == 0 {
				scale = "tỷ"
			}
			if i >= 3 && i%3 != 0 {
				scale += " tỷ"
			}
			parts = append(parts, scale)
		}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// group reads 0–999; full reads the hundreds and "linh" even when they are
// zero (after a higher group: "không trăm linh một").
func group(n int, full bool) string {
	h, t, u := n/100, n/10%10, n%10
	var w []string
	if h > 0 || full {
		w = append(w, digits[h], "trăm")
	}
	switch {
	case t == 0 && u > 0 && (h > 0 || full):
		w = append(w, "linh", digits[u])
	case t == 0:
		if u > 0 {
			w = append(w, digits[u])
		}
	case t == 1:
		w = append(w, "mười")
		switch u {
		case 0:
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digits[u])
		}
	default:
		w = append(w, digits[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 4:
			w = append(w, "tư")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digits[u])
		}
	}
	return strings.Join(w, " ")
}

// Count writes a count as official texts do: two digits below ten ("02
// nhiệm vụ", "09 cơ quan"), thousands separated above.
func Count(n int) string {
	if n >= 1 && n <= 9 {
		return "0" + strconv.Itoa(n)
	}
	return Int(int64(n))
}
